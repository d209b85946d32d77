#include "entities/tagger.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "entities/label_vectors.h"
#include "resources/resources.h"

namespace wirefeed::stages::ner {

namespace {

std::int8_t type_of_class(std::string_view cls) {
  if (cls.ends_with("FIRST")) return -1;  // given names: evidence, not entities
  if (cls.ends_with("PER")) return static_cast<std::int8_t>(EntityType::kPerson);
  if (cls.ends_with("ORG")) return static_cast<std::int8_t>(EntityType::kOrganization);
  if (cls.ends_with("LOC") || cls.starts_with("geo-"))
    return static_cast<std::int8_t>(EntityType::kLocation);
  if (cls.ends_with("MISC")) return static_cast<std::int8_t>(EntityType::kMisc);
  return -1;
}
}  // namespace

Tagger::Tagger(NerModel model, Gazetteer gazetteer, WordClusters clusters)
    : model_(std::move(model)),
      gazetteer_(std::move(gazetteer)),
      clusters_(std::move(clusters)),
      featurizer_(&gazetteer_, &clusters_) {
  for (const std::string& cls : gazetteer_.classes()) class_type_.push_back(type_of_class(cls));
  edge_ = {};
  const int offsets[4] = {-2, -1, 1, 2};
  for (int k = 0; k < 4; ++k) {
    const std::uint64_t key = Featurizer::neighbour_key(offsets[k], Featurizer::edge(offsets[k]));
    model_.add_quantized(&key, 1, edge_.at[k]);
  }
  // Offsets -1 and +1 (at[1], at[2]) also carry the neighbour's cluster.
  for (int k : {1, 2}) {
    const std::uint64_t key = Featurizer::edge_cluster_key(offsets[k]);
    model_.add_quantized(&key, 1, edge_.at[k]);
  }
}

const Tagger& Tagger::builtin() {
  static const Tagger tagger = [] {
    Gazetteer gazetteer;
    gazetteer.add_tsv(resources::ner_gazetteer());
    WordClusters clusters;
    clusters.add_tsv(resources::ner_clusters());
    return Tagger(NerModel::load(resources::ner_model(), kFeatureVersion), std::move(gazetteer),
                  std::move(clusters));
  }();
  return tagger;
}

const Tagger* Tagger::for_language(std::string_view code) {
  // Sorted by code (files_under() is in path order): a short list, searched
  // linearly per article.
  // Behind pointers: a Tagger's featurizer points at its own members, so it
  // must be built in place and never moved.
  static const std::vector<std::pair<std::string, std::unique_ptr<Tagger>>> taggers = [] {
    std::vector<std::pair<std::string, std::unique_ptr<Tagger>>> out;
    constexpr std::string_view kPrefix = "lang/", kFile = "/ner-model.bin";
    for (const auto& [path, bytes] : resources::files_under(kPrefix)) {
      if (!path.ends_with(kFile)) continue;
      const std::string_view lang =
          path.substr(kPrefix.size(), path.size() - kPrefix.size() - kFile.size());
      const Tagger& english = builtin();
      // The lists the model was trained with (tools/ner/train_ner.cpp
      // --training-names own): English's classes in English's order (class
      // ids are features), without English's CoNLL names, plus the names of
      // the language's own training data.
      Gazetteer gazetteer;
      for (const std::string& cls : english.gazetteer_.classes()) gazetteer.add(cls, "");
      gazetteer.add_tsv(resources::ner_gazetteer(), "conll-");
      const std::string names_path = std::string(kPrefix) + std::string(lang) + "/ner-names.tsv";
      gazetteer.add_tsv(resources::find(names_path));
      out.emplace_back(std::string(lang),
                       std::make_unique<Tagger>(NerModel::load(bytes, kFeatureVersion),
                                                std::move(gazetteer), english.clusters_));
    }
    return out;
  }();
  for (const auto& [lang, tagger] : taggers)
    if (lang == code) return tagger.get();
  return nullptr;
}

void Tagger::label(std::string_view text, const std::vector<core::Token>& tokens,
                   const std::vector<core::Sentence>& sentences, TaggerWork& work,
                   std::vector<std::uint8_t>& labels) const {
  labels.assign(tokens.size(), kOutside);
  work.document.build(text, tokens, sentences);
  // The cache holds one model's sums: a work area used with another language's
  // tagger starts afresh.
  if (work.cache.empty() || work.cache_model != this) {
    work.cache.assign(TaggerWork::kCacheSlots, TaggerWork::CacheSlot{});
    work.word_facts.clear();
    work.shapes.assign(TaggerWork::kShapeSlots, TaggerWork::ShapeSlot{});
    work.cache_model = this;
  }
  constexpr int kOffsets[4] = {-2, -1, 1, 2};
  SentenceFeatures& f = work.features;
  for (const core::Sentence& s : sentences) {
    const std::size_t n = s.token_count;
    if (n == 0) continue;
    const core::Token* first = tokens.data() + s.first_token;
    featurizer_.prepare(text, first, n, f, &work.word_facts);
    auto word = [&](std::size_t i) {
      return text.substr(first[i].begin, first[i].end - first[i].begin);
    };
    // Word and neighbour sums, from the cache or the model.
    work.sentence_words.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t raw = f.raw[i] | 1;  // never 0, the empty mark
      TaggerWork::CacheSlot& slot = work.cache[(raw >> 3) & (TaggerWork::kCacheSlots - 1)];
      if (slot.raw != raw) {
        slot.raw = raw;
        slot.scores = {};
        work.keys.clear();
        featurizer_.word_keys(word(i), f, i, work.keys);
        model_.add_quantized(work.keys.data(), work.keys.size(), slot.scores.own);
        for (int k = 0; k < 4; ++k) {
          const std::uint64_t key = Featurizer::neighbour_key(kOffsets[k], f.lower[i]);
          model_.add_quantized(&key, 1, slot.scores.at[k]);
        }
        // The word's cluster as the previous or next word's (offsets -1, +1).
        for (int k : {1, 2}) {
          const std::uint64_t key = Featurizer::neighbour_cluster_key(kOffsets[k], f.cluster[i]);
          if (key) model_.add_quantized(&key, 1, slot.scores.at[k]);
        }
      }
      work.sentence_words[i] = slot.scores;
    }
    work.emissions.assign(n * kLabels, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
      std::int32_t sum[kLabels];
      std::copy(std::begin(work.sentence_words[i].own), std::end(work.sentence_words[i].own), sum);
      for (int k = 0; k < 4; ++k) {
        const auto j = static_cast<std::ptrdiff_t>(i) + kOffsets[k];
        // Token i sees word j at offset k: word j's sum for that offset.
        const std::int32_t* at = j >= 0 && j < static_cast<std::ptrdiff_t>(n)
                                     ? work.sentence_words[j].at[k]
                                     : edge_.at[k];
        vec::add_labels(sum, at);
      }
      work.keys.clear();
      // The shape keys' sum, from the cache or the model.
      const std::array<std::uint64_t, 3> triple = Featurizer::shape_triple(f, i);
      const std::uint64_t slot_hash =
          (triple[0] * 0x9E3779B97F4A7C15ull) ^ (triple[1] * 0xBF58476D1CE4E5B9ull) ^ triple[2];
      TaggerWork::ShapeSlot& shape = work.shapes[(slot_hash >> 40) & (TaggerWork::kShapeSlots - 1)];
      if (shape.triple != triple) {
        shape.triple = triple;
        std::fill(std::begin(shape.sums), std::end(shape.sums), 0);
        const auto keys = Featurizer::shape_keys(triple[0], triple[1], triple[2]);
        model_.add_quantized(keys.data(), keys.size(), shape.sums);
      }
      vec::add_labels(sum, shape.sums);
      featurizer_.context_keys(word(i), f, i, work.document, work.keys,
                               {.neighbour_clusters = false, .shapes = false});
      model_.add_quantized(work.keys.data(), work.keys.size(), sum);
      vec::to_scores(sum, model_.scale(), work.emissions.data() + i * kLabels);
    }
    viterbi(work.emissions.data(), n, model_.transitions(), work.sentence_labels, work.viterbi);
    std::copy(work.sentence_labels.begin(), work.sentence_labels.end(),
              labels.begin() + s.first_token);
  }
}

void Tagger::mentions(const std::vector<std::uint8_t>& labels, std::vector<Mention>& out) {
  out.clear();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const int y = labels[i];
    if (y == kOutside) continue;
    const bool continues = is_inside(y) && !out.empty() &&
                           out.back().first_token + out.back().token_count == i &&
                           out.back().type == label_type(y);
    if (continues) {
      ++out.back().token_count;
    } else {
      out.push_back({static_cast<std::uint32_t>(i), 1, label_type(y)});
    }
  }
}

void Tagger::gazetteer_mentions(std::string_view text, const std::vector<core::Token>& tokens,
                                const std::vector<core::Sentence>& sentences,
                                std::vector<Mention>& out) const {
  out.clear();
  DocumentContext document;
  document.build(text, tokens, sentences);
  auto capitalized = [](std::string_view w) {
    const unsigned char c = w.empty() ? 0 : static_cast<unsigned char>(w[0]);
    return (c >= 'A' && c <= 'Z') || c >= 0xC3;
  };
  for (const core::Sentence& s : sentences) {
    const core::Token* first = tokens.data() + s.first_token;
    for (std::uint32_t i = 0; i < s.token_count;) {
      auto word = [&](std::uint32_t k) {
        return text.substr(first[k].begin, first[k].end - first[k].begin);
      };
      std::uint32_t classes = 0;
      const std::uint32_t length =
          capitalized(word(i)) ? gazetteer_.longest_at(text, first, s.token_count, i, &classes) : 0;
      bool keep = length > 0 && capitalized(word(i + length - 1));
      if (keep && length == 1) {
        // One word is weak evidence in a language the lists were not made
        // for: "La", "Il" and "Se" name towns too. Keep it only if the text
        // never writes it in lower case, and, at a sentence start, also
        // capitalizes it mid-sentence somewhere.
        const std::string_view w = word(i);
        const std::uint64_t h = lower_hash(w);
        const bool acronym = w.size() >= 2 && std::all_of(w.begin(), w.end(), [](char c) {
                               return (c >= 'A' && c <= 'Z') || c == '.';
                             });
        keep = (w.size() >= 4 || acronym) && !document.seen_lower(h) &&
               (i > 0 || document.seen_capitalized(h));
      }
      int votes[kEntityTypes] = {};
      for (std::uint32_t m = classes; m != 0; m &= m - 1) {
        const int t = class_type_[static_cast<std::size_t>(__builtin_ctz(m))];
        if (t >= 0) ++votes[t];
      }
      int best = 0;
      for (int t = 1; t < kEntityTypes; ++t)
        if (votes[t] > votes[best]) best = t;
      if (!keep || votes[best] == 0) {
        ++i;
        continue;
      }
      out.push_back({s.first_token + i, length, static_cast<EntityType>(best)});
      i += length;
    }
  }
}

}  // namespace wirefeed::stages::ner
