#include "tone/tone.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "common/lexical.h"
#include "language/language.h"
#include "resources/resources.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

// VADER's empirically derived constants (Hutto & Gilbert 2014).
constexpr float kBoost = 0.293f;      // an intensifier's increment
constexpr float kNegation = -0.74f;   // a negated word's scale
constexpr float kCapsBoost = 0.733f;  // an ALL-CAPS word in mixed-case text
constexpr double kAlpha = 15;         // compound normalization: x / sqrt(x^2 + alpha)

// Intensifiers that raise (+1) or lower (-1) the next words' intensity.
constexpr std::array<std::string_view, 36> kBoostUp = {
    "absolutely",   "amazingly",    "awfully",   "completely",    "considerably",  "decidedly",
    "deeply",       "enormously",   "entirely",  "especially",    "exceptionally", "extremely",
    "fully",        "greatly",      "highly",    "hugely",        "incredibly",    "intensely",
    "majorly",      "more",         "most",      "particularly",  "purely",        "quite",
    "really",       "remarkably",   "so",        "substantially", "thoroughly",    "totally",
    "tremendously", "unbelievably", "unusually", "utterly",       "very",          "seriously"};
constexpr std::array<std::string_view, 14> kBoostDown = {
    "almost",       "barely", "hardly",   "kinda",    "less",     "little", "marginally",
    "occasionally", "partly", "scarcely", "slightly", "somewhat", "sorta",  "mildly"};
constexpr std::array<std::string_view, 14> kNegations = {
    "not", "no",      "never",  "none",    "nobody", "nothing", "neither",
    "nor", "nowhere", "cannot", "without", "nope",   "aint",    "rarely"};

// don't, isn't, won't; curly apostrophe too.
bool negated_contraction(std::string_view w) {
  return w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
}

// FNV-1a: short words, no setup cost.
std::size_t hash_word(std::string_view w) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

bool all_caps(std::string_view w) {
  bool letters = false;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    letters |= c >= 'A' && c <= 'Z';
  }
  return letters && w.size() > 1;
}

double round2(double x) { return std::round(x * 100) / 100; }

}  // namespace

ValenceLexicon::ValenceLexicon(std::string_view tsv) {
  std::size_t lines = kBoostUp.size() + kBoostDown.size() + kNegations.size();
  for (char c : tsv) lines += c == '\n';
  std::size_t capacity = 16;
  while (capacity < 2 * lines + 2) capacity *= 2;
  slots_.assign(capacity, Slot{});
  while (!tsv.empty()) {
    std::size_t eol = tsv.find('\n');
    std::string_view line = tsv.substr(0, eol);
    tsv.remove_prefix(eol == std::string_view::npos ? tsv.size() : eol + 1);
    std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) continue;
    std::string_view value = line.substr(tab + 1);
    value = value.substr(0, value.find('\t'));
    float v = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc()) continue;
    // A token listed twice keeps its first valence: deterministic.
    Word& w = insert(line.substr(0, tab));
    if (w.valence == 0 && v != 0) {
      w.valence = v;
      ++valences_;
    }
  }
  for (std::string_view b : kBoostUp) insert(b).boost = 1;
  for (std::string_view b : kBoostDown) insert(b).boost = -1;
  for (std::string_view n : kNegations) insert(n).negation = true;
}

std::size_t ValenceLexicon::slot_of(std::string_view key) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash_word(key) & mask;
  while (!slots_[i].key.empty() && slots_[i].key != key) i = (i + 1) & mask;
  return i;
}

ValenceLexicon::Word& ValenceLexicon::insert(std::string_view key) {
  Slot& slot = slots_[slot_of(key)];
  slot.key = key;
  return slot.word;
}

ValenceLexicon::Word ValenceLexicon::lookup(std::string_view lower_word) const {
  if (lower_word.empty()) return {};
  Word w = slots_[slot_of(lower_word)].word;
  if (!w.negation && negated_contraction(lower_word)) w.negation = true;
  return w;
}

ToneScores score_tone(const ValenceLexicon& lexicon, std::string_view text,
                      const std::vector<core::Token>& tokens,
                      const std::vector<core::Sentence>& sentences, std::string_view lower_text) {
  ToneScores s;
  // Mixed case? Then ALL-CAPS words are emphasis; in an all-caps text they are not.
  bool has_lower = false;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      has_lower = true;
      break;
    }
  }
  lexical::LowerTokens lowered = lexical::LowerTokens::of(text, tokens, lower_text);
  // This sentence's words: their valences as adjusted, and what each word is.
  std::vector<float> valences;
  std::vector<ValenceLexicon::Word> roles;
  std::size_t but_at = SIZE_MAX;  // the first "but" of the sentence
  double compound_sum = 0;
  std::uint32_t scored_sentences = 0;
  for (const auto& sentence : sentences) {
    roles.clear();
    valences.clear();
    but_at = SIZE_MAX;
    std::size_t n = 0;
    for (std::uint32_t t = sentence.first_token; t < sentence.first_token + sentence.token_count;
         ++t) {
      const auto& token = tokens[t];
      if (token.kind != core::TokenKind::kWord) continue;
      std::string_view raw = text.substr(token.begin, token.end - token.begin);
      std::string_view low = lowered[t];
      const ValenceLexicon::Word role = lexicon.lookup(low);
      if (but_at == SIZE_MAX && low == "but") but_at = n;
      // A capitalized word inside a sentence is a name in news text ("United
      // States", "Hope Hicks"), not sentiment.
      bool proper_noun = n > 0 && raw[0] >= 'A' && raw[0] <= 'Z' && !all_caps(raw);
      float v = proper_noun ? 0.0f : role.valence;
      if (v != 0 && role.boost == 0) {
        float sign = v > 0 ? 1.0f : -1.0f;
        if (has_lower && all_caps(raw)) v += sign * kCapsBoost;
        // The three preceding words: intensifiers (damped by distance), negation.
        bool negated = false;
        for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
          const ValenceLexicon::Word& prev = roles[n - back];
          if (prev.boost != 0) {
            float damp = back == 1 ? 1.0f : back == 2 ? 0.95f : 0.9f;
            v += sign * static_cast<float>(prev.boost) * kBoost * damp;
          }
          negated |= prev.negation;
        }
        if (negated) v *= kNegation;
      }
      roles.push_back(role);
      valences.push_back(v);
      ++n;
    }
    // "but": the clause before it counts half, the clause after one and a half.
    if (but_at != SIZE_MAX) {
      const std::size_t at = but_at;
      for (std::size_t i = 0; i < valences.size(); ++i) {
        if (i < at) valences[i] *= 0.5f;
        if (i > at) valences[i] *= 1.5f;
      }
    }
    double sum = 0;
    for (float v : valences) {
      sum += v;
      s.positive_words += v > 0;
      s.negative_words += v < 0;
    }
    s.words += static_cast<std::uint32_t>(n);
    if (n > 0) {
      compound_sum += sum / std::sqrt(sum * sum + kAlpha);
      ++scored_sentences;
    }
  }
  if (s.words > 0) {
    s.positive = round2(100.0 * s.positive_words / s.words);
    s.negative = round2(100.0 * s.negative_words / s.words);
    s.polarity = round2(s.positive + s.negative);
    s.tone = round2(s.positive - s.negative);
  }
  if (scored_sentences > 0) s.compound = std::round(compound_sum / scored_sentences * 1e4) / 1e4;
  return s;
}

ToneStage::ToneStage() : lexicon_(resources::vader_lexicon()) {}

core::Status ToneStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  if (!english_or_unknown(article)) return core::Status::skipped(not_english_reason(article));
  ToneScores s =
      score_tone(lexicon_, article.text, article.tokens, article.sentences, article.lower_text);
  core::json::Writer w(article.add_enrichment("tone").json);
  w.begin_object()
      .member("tone", s.tone)
      .member("positive", s.positive)
      .member("negative", s.negative)
      .member("polarity", s.polarity)
      .member("compound", s.compound)
      .member("words", s.words)
      .member("positive_words", s.positive_words)
      .member("negative_words", s.negative_words)
      .end_object();
  return {};
}

}  // namespace wirefeed::stages
