// The NER model's features: hashed, computed the same way by the trainer
// (tools/ner/train_ner.cpp), `wirefeed eval ner` and the entities stage.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "entities/gazetteer.h"
#include "wirefeed/core/article.h"

namespace wirefeed::stages::ner {

// Bump whenever a feature changes: models record it and refuse other versions.
inline constexpr std::uint32_t kFeatureVersion = 4;

// Word clusters learned from unlabeled news (tools/ner/word_clusters.cpp): each
// lower-cased word has a path in a 3-level hierarchy (coarse to fine), the way
// Brown-cluster bit-string prefixes are used as features.
class WordClusters {
 public:
  static constexpr int kLevels = 3;
  // Lines "word<TAB>c1<TAB>c2<TAB>c3".
  void add_tsv(std::string_view tsv);
  // Cluster ids of a lower_hash(), or nullptr for an unclustered word.
  const std::uint32_t* find(std::uint64_t word_hash) const {
    const auto it = paths_.find(word_hash);
    return it == paths_.end() ? nullptr : it->second.data();
  }
  std::size_t size() const { return paths_.size(); }

 private:
  std::unordered_map<std::uint64_t, std::array<std::uint32_t, kLevels>> paths_;
};

// What the whole document says about a word: a capitalized word the document
// also writes in lower case is probably not a name ("Sales rose" / "sales"); a
// word at a sentence start or in an all-caps headline that the document writes
// capitalized mid-sentence probably is.
class DocumentContext {
 public:
  void build(std::string_view text, const std::vector<core::Token>& tokens,
             const std::vector<core::Sentence>& sentences);
  bool seen_lower(std::uint64_t word_hash) const { return lower_.contains(word_hash); }
  bool seen_capitalized(std::uint64_t word_hash) const { return capitalized_.contains(word_hash); }

 private:
  // A set of word hashes in one flat array, reused article after article: no
  // allocation per word, as a node-based set would make.
  class HashSet {
   public:
    void reset(std::size_t expected);
    void insert(std::uint64_t h);
    bool contains(std::uint64_t h) const;

   private:
    std::vector<std::uint64_t> slots_;  // 0: empty (hashes are stored | 1)
    std::size_t mask_ = 0;
  };
  HashSet lower_;
  HashSet capitalized_;
};

// What prepare() derives from a word as written, cached by the tagger per
// word (news repeats its words): keyed by the word's XXH3, direct-mapped.
class WordFactsCache {
 public:
  struct Facts {
    std::uint64_t lower = 0;        // lower_hash()
    std::uint64_t short_shape = 0;  // hash of the collapsed shape
    const std::uint32_t* cluster = nullptr;
    bool has_letter = false;
    bool has_lower_letter = false;
  };
  static constexpr std::size_t kSlots = 4096;
  // The slot for `raw`, and whether it already holds raw's facts.
  std::pair<Facts*, bool> find(std::uint64_t raw) {
    if (slots_.empty()) slots_.resize(kSlots);
    raw |= 1;  // never 0, the empty mark
    Slot& s = slots_[(raw >> 5) & (kSlots - 1)];
    const bool hit = s.raw == raw;
    s.raw = raw;
    return {&s.facts, hit};
  }
  void clear() { slots_.clear(); }

 private:
  struct Slot {
    std::uint64_t raw = 0;
    Facts facts;
  };
  std::vector<Slot> slots_;
};

// One sentence: per-token facts (prepare()) and, from compute(), the feature
// keys: token i owns keys[offsets[i] .. offsets[i + 1]).
struct SentenceFeatures {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint64_t> lower;        // lower_hash()
  std::vector<std::uint64_t> raw;          // XXH3 of the token as written
  std::vector<std::uint64_t> short_shape;  // hash of the collapsed shape ("Xx")
  std::vector<const std::uint32_t*> cluster;
  std::vector<Gazetteer::TokenMatch> gazetteer;
  bool caps_sentence = false;  // an all-caps headline
};

// Which context keys to emit. The tagger caches two groups and asks for
// the rest: the clusters of the words at -1 and +1, which depend on those
// words alone (cached with the words: neighbour_cluster_key()), and the
// four keys of the short shapes at -1, 0 and +1 (cached per shape triple:
// shape_keys()).
struct ContextParts {
  bool neighbour_clusters = true;
  bool shapes = true;
};

// A token's features are of three kinds:
//   - word keys: the word alone (form, affixes, shape, clusters);
//   - neighbour keys: each word within two tokens, by offset;
//   - context keys: everything else (bigrams, shapes around, gazetteer
//     matches, sentence and document facts).
// The first two depend only on word types, so the tagger caches their weight
// sums per word (tagger.cpp); the trainer sees all three through compute().
class Featurizer {
 public:
  Featurizer(const Gazetteer* gazetteer, const WordClusters* clusters)
      : gazetteer_(gazetteer), clusters_(clusters) {}

  // All keys of every token.
  void compute(std::string_view text, const core::Token* tokens, std::size_t count,
               const DocumentContext& document, SentenceFeatures& out) const;

  // The parts: prepare() fills the per-token facts the others read, from
  // `cache` where it knows the word (it must only ever serve this featurizer).
  void prepare(std::string_view text, const core::Token* tokens, std::size_t count,
               SentenceFeatures& out, WordFactsCache* cache = nullptr) const;
  void word_keys(std::string_view word, const SentenceFeatures& s, std::size_t i,
                 std::vector<std::uint64_t>& out) const;
  void context_keys(std::string_view word, const SentenceFeatures& s, std::size_t i,
                    const DocumentContext& document, std::vector<std::uint64_t>& out,
                    ContextParts parts = {}) const;
  // The short shapes of the previous word, this one and the next (edge() past
  // the sentence) as context_keys() keys them.
  static std::array<std::uint64_t, 4> shape_keys(std::uint64_t prev, std::uint64_t here,
                                                 std::uint64_t next);
  // The shape triple of token i, edges included.
  static std::array<std::uint64_t, 3> shape_triple(const SentenceFeatures& s, std::size_t i);
  // The key of `lower` (a lower_hash(), or edge()) seen `offset` tokens away
  // (-2, -1, 1, 2).
  static std::uint64_t neighbour_key(int offset, std::uint64_t lower);
  static std::uint64_t edge(int offset);  // beyond the sentence's start or end
  // The key context_keys() gives a word at `offset` -1 or +1 for its cluster
  // path (nullptr: none, and 0 is returned), and the sentence edge's key there.
  static std::uint64_t neighbour_cluster_key(int offset, const std::uint32_t* cluster);
  static std::uint64_t edge_cluster_key(int offset);

 private:
  const Gazetteer* gazetteer_;
  const WordClusters* clusters_;
};

}  // namespace wirefeed::stages::ner
