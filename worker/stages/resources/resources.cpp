#include "resources/resources.h"

#include <algorithm>

#include "resources/embedded_files.h"

namespace wirefeed::stages::resources {

namespace {

// The generated table (embedded_files.cpp, from resources/embedded_files.cpp.in)
// is sorted by path at configure time.
const EmbeddedFile* table_end() { return kEmbeddedFiles + kEmbeddedFileCount; }

}  // namespace

std::string_view find(std::string_view path) {
  const EmbeddedFile* it =
      std::lower_bound(kEmbeddedFiles, table_end(), path,
                       [](const EmbeddedFile& f, std::string_view p) { return f.path < p; });
  if (it == table_end() || it->path != path) return {};
  return it->content();
}

std::vector<std::pair<std::string_view, std::string_view>> files_under(std::string_view prefix) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const EmbeddedFile* it = kEmbeddedFiles; it != table_end(); ++it) {
    if (it->path.starts_with(prefix)) out.emplace_back(it->path, it->content());
  }
  return out;
}

std::string_view vader_lexicon() { return find("lexicons/vader_lexicon.txt"); }
std::string_view ner_model() { return find("ner/model.bin"); }
std::string_view ner_gazetteer() { return find("ner/gazetteer.tsv"); }
std::string_view ner_clusters() { return find("ner/clusters.tsv"); }
std::string_view ner_places() { return find("ner/places.tsv"); }

}  // namespace wirefeed::stages::resources
