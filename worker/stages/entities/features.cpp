#include "entities/features.h"

#include <xxhash.h>

#include <charconv>

namespace wirefeed::stages::ner {

void WordClusters::add_tsv(std::string_view tsv) {
  while (!tsv.empty()) {
    const std::size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    std::array<std::uint32_t, kLevels> path{};
    std::string_view rest = line.substr(tab + 1);
    for (int level = 0; level < kLevels; ++level) {
      const std::size_t t = rest.find('\t');
      const std::string_view field = rest.substr(0, t);
      std::from_chars(field.data(), field.data() + field.size(), path[level]);
      rest = t == std::string_view::npos ? std::string_view{} : rest.substr(t + 1);
    }
    paths_[lower_hash(line.substr(0, tab))] = path;
  }
}

namespace {

bool starts_upper(std::string_view w) {
  if (w.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(w[0]);
  if (c >= 'A' && c <= 'Z') return true;
  // Latin-1 Supplement and Latin Extended-A capitals (À..Þ, Ā, Ă, ...), which
  // names like "Élysée" and "Łódź" start with.
  if (c == 0xC3 && w.size() > 1) {
    const unsigned char d = static_cast<unsigned char>(w[1]);
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  if ((c == 0xC4 || c == 0xC5) && w.size() > 1) return (static_cast<unsigned char>(w[1]) & 1) == 0;
  return false;
}

bool has_lower_letter(std::string_view w) {
  for (char c : w)
    if (c >= 'a' && c <= 'z') return true;
  return false;
}

bool has_letter(std::string_view w) {
  for (char c : w)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

// Xxxx-style shapes: letters X/x, digits d, other ASCII kept, non-ASCII 'u'
// (a capital at the start of a word: 'X'). The long form caps runs at 4; the
// short form collapses runs. Byte i's shape character, 0 for a UTF-8
// continuation byte (no character of its own).
char shape_char(std::string_view w, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(w[i]);
  if (c >= 'A' && c <= 'Z') return 'X';
  if (c >= 'a' && c <= 'z') return 'x';
  if (c >= '0' && c <= '9') return 'd';
  if (c < 0x80) return static_cast<char>(c);
  if ((c & 0xC0) == 0x80) return 0;
  return (i == 0 && starts_upper(w)) ? 'X' : 'u';
}

// XXH3 of the long shape ("Xxxxx" for "London", "X.X." for "U.S.").
std::uint64_t long_shape_hash(std::string_view w) {
  char buf[64];
  std::size_t n = 0;
  char last = 0;
  int run = 0;
  for (std::size_t i = 0; i < w.size() && n < sizeof buf; ++i) {
    const char s = shape_char(w, i);
    if (s == 0) continue;
    run = s == last ? run + 1 : 1;
    if (run <= 4) buf[n++] = s;
    last = s;
  }
  return XXH3_64bits(buf, n);
}

// XXH3 of the short shape ("Xx" for "London"); computed for every token.
std::uint64_t short_shape_hash(std::string_view w) {
  char buf[64];
  std::size_t n = 0;
  char last = 0;
  for (std::size_t i = 0; i < w.size() && n < sizeof buf; ++i) {
    const char s = shape_char(w, i);
    if (s == 0) continue;
    if (s != last) buf[n++] = s;
    last = s;
  }
  return XXH3_64bits(buf, n);
}

inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x | 1;  // odd: 0 marks an empty model slot
}

inline std::uint64_t str_hash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// Feature templates. Values are the template id mixed with what it looks at.
enum Template : std::uint64_t {
  kBias = 1,
  kWord,
  kLower,
  kPrefix,
  kSuffix = kPrefix + 8,
  kShape = kSuffix + 8,
  kShortShape,
  kLowerAt,  // + offset (-2..2 -> 0..4)
  kShortShapeAt = kLowerAt + 8,
  kBigramPrev = kShortShapeAt + 8,
  kBigramNext,
  kShapePair,  // short shapes of previous and this token
  kShapePairNext,
  kCluster,  // + level
  kClusterPrev = kCluster + 4,
  kClusterNext = kClusterPrev + 4,
  kSentenceStart = kClusterNext + 4,
  kCapsSentence,
  kCapsSentenceLower,
  kGazetteerBegin,
  kGazetteerInside,
  kGazetteerSingle,
  kDocumentLower,
  kDocumentCapitalized,
  kNoCluster,
  kLength,
  kCapitalizedMid,      // capitalized, not first, in a mixed-case sentence
  kCapitalizedMidPrev,  // ... with the previous word
};

constexpr std::uint64_t kBeforeSentence = 0x5EED0001;
constexpr std::uint64_t kAfterSentence = 0x5EED0002;

}  // namespace

void DocumentContext::HashSet::reset(std::size_t expected) {
  std::size_t capacity = 64;
  while (capacity < expected * 2) capacity *= 2;
  if (slots_.size() < capacity) slots_.resize(capacity);
  std::fill(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(capacity), 0);
  mask_ = capacity - 1;
}

void DocumentContext::HashSet::insert(std::uint64_t h) {
  h |= 1;
  std::size_t i = (h >> 7) & mask_;
  while (slots_[i] != 0 && slots_[i] != h) i = (i + 1) & mask_;
  slots_[i] = h;
}

bool DocumentContext::HashSet::contains(std::uint64_t h) const {
  if (slots_.empty()) return false;
  h |= 1;
  std::size_t i = (h >> 7) & mask_;
  while (slots_[i] != 0) {
    if (slots_[i] == h) return true;
    i = (i + 1) & mask_;
  }
  return false;
}

void DocumentContext::build(std::string_view text, const std::vector<core::Token>& tokens,
                            const std::vector<core::Sentence>& sentences) {
  // At most one entry per token: sized so the table stays at most half full.
  lower_.reset(tokens.size());
  capitalized_.reset(tokens.size());
  for (const core::Sentence& s : sentences) {
    for (std::uint32_t k = 0; k < s.token_count; ++k) {
      const core::Token& t = tokens[s.first_token + k];
      if (t.kind != core::TokenKind::kWord) continue;
      const std::string_view w = text.substr(t.begin, t.end - t.begin);
      const unsigned char c = static_cast<unsigned char>(w[0]);
      if (c >= 'a' && c <= 'z')
        lower_.insert(lower_hash(w));
      else if (k > 0 && starts_upper(w) && has_lower_letter(w))
        capitalized_.insert(lower_hash(w));
    }
  }
}

std::uint64_t Featurizer::neighbour_key(int offset, std::uint64_t lower) {
  return mix(kLowerAt + static_cast<std::uint64_t>(offset + 2), lower);
}

std::uint64_t Featurizer::edge(int offset) { return offset < 0 ? kBeforeSentence : kAfterSentence; }

void Featurizer::prepare(std::string_view text, const core::Token* tokens, std::size_t count,
                         SentenceFeatures& out, WordFactsCache* cache) const {
  out.lower.resize(count);
  out.raw.resize(count);
  out.short_shape.resize(count);
  out.cluster.resize(count);
  bool caps_sentence = true;  // an all-caps headline: case says nothing there
  int letters_words = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view w = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    out.raw[i] = str_hash(w);
    WordFactsCache::Facts fresh;
    auto [facts, known] = cache ? cache->find(out.raw[i]) : std::pair{&fresh, false};
    if (!known) {
      facts->lower = lower_hash(w);
      facts->short_shape = short_shape_hash(w);
      facts->cluster = clusters_ ? clusters_->find(facts->lower) : nullptr;
      facts->has_letter = has_letter(w);
      facts->has_lower_letter = has_lower_letter(w);
    }
    out.lower[i] = facts->lower;
    out.short_shape[i] = facts->short_shape;
    out.cluster[i] = facts->cluster;
    if (facts->has_letter) {
      ++letters_words;
      if (facts->has_lower_letter) caps_sentence = false;
    }
  }
  out.caps_sentence = caps_sentence && letters_words >= 2;
  if (gazetteer_)
    gazetteer_->match(out.lower.data(), count, out.gazetteer);
  else
    out.gazetteer.assign(count, {});
}

std::array<std::uint64_t, 4> Featurizer::shape_keys(std::uint64_t prev, std::uint64_t here,
                                                    std::uint64_t next) {
  return {mix(kShortShapeAt + 1, prev), mix(kShortShapeAt + 3, next),
          mix(kShapePair, mix(prev, here)), mix(kShapePairNext, mix(here, next))};
}

std::array<std::uint64_t, 3> Featurizer::shape_triple(const SentenceFeatures& s, std::size_t i) {
  return {i > 0 ? s.short_shape[i - 1] : kBeforeSentence, s.short_shape[i],
          i + 1 < s.short_shape.size() ? s.short_shape[i + 1] : kAfterSentence};
}

std::uint64_t Featurizer::neighbour_cluster_key(int offset, const std::uint32_t* cluster) {
  if (!cluster) return 0;
  return mix(offset < 0 ? kClusterPrev : kClusterNext, cluster[1]);
}

std::uint64_t Featurizer::edge_cluster_key(int offset) {
  return offset < 0 ? mix(kClusterPrev, kBeforeSentence) : mix(kClusterNext, kAfterSentence);
}

void Featurizer::word_keys(std::string_view w, const SentenceFeatures& s, std::size_t i,
                           std::vector<std::uint64_t>& out) const {
  // Inlined: a call per key cost more than the key itself.
  auto emit = [&](std::uint64_t tmpl, std::uint64_t value) __attribute__((always_inline)) {
    out.push_back(mix(tmpl, value));
  };
  emit(kBias, 0);
  emit(kWord, s.raw[i]);
  emit(kLower, s.lower[i]);
  emit(kLength, std::min<std::size_t>(w.size(), 12));
  // Affixes of the lower-cased word, 1..4 bytes, for words longer than that.
  char lower_buf[64];
  const std::size_t n = std::min(w.size(), sizeof lower_buf);
  for (std::size_t k = 0; k < n; ++k) {
    const char c = w[k];
    lower_buf[k] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  for (std::size_t a = 1; a <= 4 && a < n; ++a) {
    emit(kPrefix + a, XXH3_64bits(lower_buf, a));
    emit(kSuffix + a, XXH3_64bits(lower_buf + n - a, a));
  }
  emit(kShape, long_shape_hash(w));
  emit(kShortShape, s.short_shape[i]);
  if (const std::uint32_t* c = s.cluster[i]) {
    for (int level = 0; level < WordClusters::kLevels; ++level) emit(kCluster + level, c[level]);
  } else {
    emit(kNoCluster, s.short_shape[i]);
  }
}

void Featurizer::context_keys(std::string_view w, const SentenceFeatures& s, std::size_t i,
                              const DocumentContext& document, std::vector<std::uint64_t>& out,
                              ContextParts parts) const {
  const std::size_t count = s.lower.size();
  const auto ii = static_cast<std::ptrdiff_t>(i);
  auto emit = [&](std::uint64_t tmpl, std::uint64_t value) __attribute__((always_inline)) {
    out.push_back(mix(tmpl, value));
  };
  auto lower_at = [&](std::ptrdiff_t j) -> std::uint64_t {
    if (j < 0) return kBeforeSentence;
    if (j >= static_cast<std::ptrdiff_t>(count)) return kAfterSentence;
    return s.lower[j];
  };
  auto shape_at = [&](std::ptrdiff_t j) -> std::uint64_t {
    if (j < 0) return kBeforeSentence;
    if (j >= static_cast<std::ptrdiff_t>(count)) return kAfterSentence;
    return s.short_shape[j];
  };
  const std::uint64_t lw = s.lower[i];
  // The trainer's key order, kept: shape_keys() in two halves around the bigrams.
  std::array<std::uint64_t, 4> shapes{};
  if (parts.shapes) {
    shapes = shape_keys(shape_at(ii - 1), s.short_shape[i], shape_at(ii + 1));
    out.push_back(shapes[0]);
    out.push_back(shapes[1]);
  }
  emit(kBigramPrev, mix(lower_at(ii - 1), lw));
  emit(kBigramNext, mix(lw, lower_at(ii + 1)));
  if (parts.shapes) {
    out.push_back(shapes[2]);
    out.push_back(shapes[3]);
  }
  // neighbour_cluster_key() and edge_cluster_key() give the same keys.
  if (parts.neighbour_clusters) {
    if (i > 0 && s.cluster[i - 1])
      emit(kClusterPrev, s.cluster[i - 1][1]);
    else if (i == 0)
      emit(kClusterPrev, kBeforeSentence);
    if (i + 1 < count && s.cluster[i + 1])
      emit(kClusterNext, s.cluster[i + 1][1]);
    else if (i + 1 == count)
      emit(kClusterNext, kAfterSentence);
  }

  const bool capitalized = starts_upper(w);
  if (i == 0) emit(kSentenceStart, s.short_shape[i]);
  if (capitalized && i > 0 && !s.caps_sentence) {
    emit(kCapitalizedMid, s.cluster[i] ? s.cluster[i][1] : 0);
    emit(kCapitalizedMidPrev, lower_at(ii - 1));
  }
  if (s.caps_sentence) {
    emit(kCapsSentence, 0);
    emit(kCapsSentenceLower, lw);
  }

  const Gazetteer::TokenMatch g = s.gazetteer[i];
  const std::uint64_t case_bit = capitalized ? 1 : 0;
  for (std::uint32_t m = g.begin; m != 0; m &= m - 1) {
    const std::uint64_t cls = static_cast<std::uint64_t>(__builtin_ctz(m));
    // A one-token match ends here too: B with no I after it.
    const bool single = i + 1 == count || !(s.gazetteer[i + 1].inside & (1u << cls));
    emit(single ? kGazetteerSingle : kGazetteerBegin, cls * 2 + case_bit);
  }
  for (std::uint32_t m = g.inside; m != 0; m &= m - 1)
    emit(kGazetteerInside, static_cast<std::uint64_t>(__builtin_ctz(m)) * 2 + case_bit);

  if (capitalized && document.seen_lower(lw)) emit(kDocumentLower, i == 0 ? 1 : 0);
  if ((i == 0 || s.caps_sentence) && document.seen_capitalized(lw))
    emit(kDocumentCapitalized, s.caps_sentence ? 1 : 0);
}

void Featurizer::compute(std::string_view text, const core::Token* tokens, std::size_t count,
                         const DocumentContext& document, SentenceFeatures& out) const {
  prepare(text, tokens, count, out);
  out.keys.clear();
  out.offsets.assign(1, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view w = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    word_keys(w, out, i, out.keys);
    for (int d : {-2, -1, 1, 2}) {
      const auto j = static_cast<std::ptrdiff_t>(i) + d;
      const bool inside = j >= 0 && j < static_cast<std::ptrdiff_t>(count);
      out.keys.push_back(neighbour_key(d, inside ? out.lower[j] : edge(d)));
    }
    context_keys(w, out, i, document, out.keys);
    out.offsets.push_back(static_cast<std::uint32_t>(out.keys.size()));
  }
}

}  // namespace wirefeed::stages::ner
