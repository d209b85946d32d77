// Data files compiled into the binary (data/), so a worker needs nothing on disk.
//
// Every file listed in WIREFEED_EMBEDDED_DATA (worker/stages/CMakeLists.txt) is
// placed in .rodata byte for byte and found here by its path below data/. Per-
// language resources live under data/lang/<code>/ (e.g. "lang/es/dates.tsv"):
// a stage discovers its languages with files_under(), so adding a language is
// adding files to that list, not code. All views point into static storage and
// are valid for the life of the process; the functions are thread-safe.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace wirefeed::stages::resources {

// The content of the embedded file at `path` (relative to data/, '/' separated);
// empty if no such file is embedded.
std::string_view find(std::string_view path);

// Every embedded file whose path starts with `prefix`, as (path, content) pairs
// in path order.
std::vector<std::pair<std::string_view, std::string_view>> files_under(std::string_view prefix);

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
