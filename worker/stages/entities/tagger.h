// Named-entity mentions in segmented text: the NER model where it applies
// (English), the gazetteers alone elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "entities/features.h"
#include "entities/gazetteer.h"
#include "entities/model.h"
#include "wirefeed/core/article.h"

namespace wirefeed::stages::ner {

struct Mention {
  std::uint32_t first_token = 0;
  std::uint32_t token_count = 0;
  EntityType type = EntityType::kMisc;
};

// The weight sums of a word type's word keys, and of its neighbour keys at
// offsets -2, -1, +1, +2 (features.h; at -1 and +1 with its cluster's key),
// in the model's quantized units.
struct WordScores {
  std::int32_t own[kLabels];
  std::int32_t at[4][kLabels];
};

// Reusable per-thread buffers for tagging, and a cache of WordScores: a
// word's own and neighbour features are about half of a token's lookups, and
// news repeats its words.
struct TaggerWork {
  static constexpr std::size_t kCacheSlots = 4096;  // direct-mapped, ~780 KB
  struct CacheSlot {
    std::uint64_t raw = 0;  // the word's XXH3; 0: empty
    WordScores scores;
  };
  std::vector<CacheSlot> cache;
  const void* cache_model = nullptr;  // the Tagger whose weights fill `cache`
  std::vector<WordScores> sentence_words;
  std::vector<std::uint64_t> keys;
  SentenceFeatures features;
  WordFactsCache word_facts;  // also `cache_model`'s
  // The sums of the shape keys (Featurizer::shape_keys()) per shape triple:
  // news has a few hundred. Direct-mapped, also `cache_model`'s.
  static constexpr std::size_t kShapeSlots = 1024;
  struct ShapeSlot {
    std::array<std::uint64_t, 3> triple{};  // the three shape hashes; zeros: empty
    std::int32_t sums[kLabels];
  };
  std::vector<ShapeSlot> shapes;
  DocumentContext document;
  std::vector<float> emissions;
  std::vector<float> viterbi;
  std::vector<std::uint8_t> sentence_labels;
};

class Tagger {
 public:
  Tagger(NerModel model, Gazetteer gazetteer, WordClusters clusters);

  // The compiled-in model, gazetteer and clusters (data/ner), loaded once on
  // first use. Throws std::runtime_error if the model does not fit this build.
  static const Tagger& builtin();

  // The compiled-in model for a language other than English
  // (data/lang/<code>/ner-model.bin and the training names ner-names.tsv, by
  // `make ner-models`), with builtin()'s lists minus English's CoNLL names and
  // builtin()'s clusters; nullptr for a language without one.
  // All language models load together on first use.
  static const Tagger* for_language(std::string_view code);

  // BIO labels (model.h) for every token, decoding sentence by sentence.
  void label(std::string_view text, const std::vector<core::Token>& tokens,
             const std::vector<core::Sentence>& sentences, TaggerWork& work,
             std::vector<std::uint8_t>& labels) const;

  // Mentions of labelled tokens (a B, or an I after another type, starts one).
  static void mentions(const std::vector<std::uint8_t>& labels, std::vector<Mention>& out);

  // Gazetteer-only tagging for text the model was not trained for: the longest
  // dictionary match at each capitalized token, its type by the sources' vote.
  void gazetteer_mentions(std::string_view text, const std::vector<core::Token>& tokens,
                          const std::vector<core::Sentence>& sentences,
                          std::vector<Mention>& out) const;

  const NerModel& model() const { return model_; }
  const Gazetteer& gazetteer() const { return gazetteer_; }
  const WordClusters& clusters() const { return clusters_; }

 private:
  NerModel model_;
  Gazetteer gazetteer_;
  WordClusters clusters_;
  Featurizer featurizer_;
  std::vector<std::int8_t> class_type_;  // gazetteer class id -> EntityType, -1 for none
  WordScores edge_;                      // neighbour keys beyond the sentence
};

}  // namespace wirefeed::stages::ner
