// Data files compiled into the binary (data/), so a worker needs nothing on disk.
#pragma once

#include <string_view>

namespace wirefeed::stages::resources {

// data/lexicons/vader_lexicon.txt: token, mean valence, std dev, ratings (TSV).
std::string_view vader_lexicon();

// data/ner (make model): the NER model (entities/model.h), the gazetteer
// ("CLASS<TAB>name"), word clusters ("word<TAB>c1<TAB>c2<TAB>c3") and GeoNames
// places ("id<TAB>kind<TAB>cc<TAB>lat<TAB>lon<TAB>population<TAB>names").
std::string_view ner_model();
std::string_view ner_gazetteer();
std::string_view ner_clusters();
std::string_view ner_places();

}  // namespace wirefeed::stages::resources
