// Entity-name dictionaries matched over tokens: the gazetteer features of the
// NER model and the tagger's fallback for languages the model was not trained on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/article.h"

namespace wirefeed::stages::ner {

// ASCII-lower-cased XXH3 of a token: how gazetteers, clusters and features key
// words. Case folding keeps "JAPAN" in a headline matching "Japan".
std::uint64_t lower_hash(std::string_view word);

// Names are token sequences (tokenized like article text) in a trie whose edges
// are lower-cased token hashes. Matching walks the trie from every token, so a
// sentence of n tokens costs about n lookups plus the length of the matches:
// one pass, like an Aho-Corasick automaton over tokens.
class Gazetteer {
 public:
  static constexpr int kMaxClasses = 32;

  // Lines "CLASS<TAB>name" (tools/ner/build_gazetteer.py). Classes whose name
  // starts with `skip_prefix` are left out (the trainer adds its own CoNLL lists).
  void add_tsv(std::string_view tsv, std::string_view skip_prefix = {});
  void add(std::string_view cls, std::string_view name);

  // Interned class names, in first-seen order; a class id indexes this.
  const std::vector<std::string>& classes() const { return classes_; }
  int find_class(std::string_view cls) const;
  std::size_t names() const { return names_; }

  // Per token: classes of a match starting here, and of a match covering it
  // after its first token. Bit c is class id c.
  struct TokenMatch {
    std::uint32_t begin = 0;
    std::uint32_t inside = 0;
  };
  // Tokens `tokens[0..count)` of `text`; `out` is resized to `count`.
  void match(std::string_view text, const core::Token* tokens, std::size_t count,
             std::vector<TokenMatch>& out) const;
  // The same over tokens already hashed with lower_hash().
  void match(const std::uint64_t* token_hashes, std::size_t count,
             std::vector<TokenMatch>& out) const;

  // The longest match starting at token `i`: its length in tokens (0 if none)
  // and its class mask.
  std::uint32_t longest_at(std::string_view text, const core::Token* tokens, std::size_t count,
                           std::size_t i, std::uint32_t* classes) const;

 private:
  int intern(std::string_view cls);
  std::uint32_t child(std::uint32_t node, std::uint64_t token_hash) const;

  void grow();

  std::vector<std::string> classes_;
  // (node, token) -> child node, open addressing: the tagger walks it for
  // every token, so one flat array beats a node-based map.
  struct Edge {
    std::uint64_t key = 0;  // 0: empty
    std::uint32_t child = 0;
  };
  std::vector<Edge> edges_;
  std::size_t edge_count_ = 0;
  std::vector<std::uint32_t> accept_;  // node -> class mask
  std::size_t names_ = 0;
};

}  // namespace wirefeed::stages::ner
