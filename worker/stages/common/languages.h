// Per-language resources of a stage, as data: the files data/lang/<code>/<name>
// compiled into the binary (resources::files_under). A stage loads them once at
// construction into one value per language and picks one per article by the
// language stage's result (core::content_language), so adding a language is
// adding its files, not code.
//
// Thread-safety: immutable after construction; find() may be called from any
// thread. The parsed values own their data or point into the embedded files,
// which live as long as the process.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resources/resources.h"

namespace wirefeed::stages::lexical {

template <class T>
class PerLanguage {
 public:
  // Parses data/lang/<code>/<file_name> of every language that has it with
  // `parse(code, content)` (which may throw std::runtime_error naming the
  // problem: a broken resource fails at start).
  template <class Parse>
  PerLanguage(std::string_view file_name, Parse parse) {
    constexpr std::string_view kRoot = "lang/";
    for (const auto& [path, content] : resources::files_under(kRoot)) {
      const std::string_view rest = path.substr(kRoot.size());
      const std::size_t slash = rest.find('/');
      if (slash == std::string_view::npos || rest.substr(slash + 1) != file_name) continue;
      std::string code(rest.substr(0, slash));
      T value = parse(std::string_view(code), content);
      by_code_.emplace(std::move(code), std::move(value));
    }
  }

  // The resources of `code` ("es"), or null for a language without them.
  const T* find(std::string_view code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &it->second;
  }

  // The language codes that have this resource, sorted.
  std::vector<std::string_view> codes() const {
    std::vector<std::string_view> out;
    for (const auto& [code, value] : by_code_) out.push_back(code);
    return out;
  }

 private:
  std::map<std::string, T, std::less<>> by_code_;
};

// Calls `line(fields)` for each non-empty line of a tab-separated resource that
// is not a comment ('#' first): fields are views into `content`.
template <class Line>
void for_each_tsv_line(std::string_view content, Line line) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view row = content.substr(pos, end - pos);
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty() || row.front() == '#') continue;
    fields.clear();
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = row.find('\t', start);
      fields.push_back(row.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    line(fields);
  }
}

}  // namespace wirefeed::stages::lexical
