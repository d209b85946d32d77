// The table of embedded data files, generated at configure time from
// WIREFEED_EMBEDDED_DATA (worker/stages/CMakeLists.txt). Private to resources/.
#pragma once

#include <cstddef>
#include <string_view>

namespace wirefeed::stages::resources {

struct EmbeddedFile {
  std::string_view path;  // relative to data/
  const char* begin;
  const char* end;
  std::string_view content() const {
    return std::string_view(begin, static_cast<std::size_t>(end - begin));
  }
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

}  // namespace wirefeed::stages::resources
