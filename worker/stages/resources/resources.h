// Data files compiled into the binary (data/), so a worker needs nothing on disk.
#pragma once

#include <string_view>

namespace wirefeed::stages::resources {

// data/lexicons/vader_lexicon.txt: token, mean valence, std dev, ratings (TSV).
std::string_view vader_lexicon();

}  // namespace wirefeed::stages::resources
