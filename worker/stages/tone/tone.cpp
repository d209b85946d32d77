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
int booster(std::string_view w) {
  static constexpr std::array<std::string_view, 36> kUp = {
      "absolutely",   "amazingly",    "awfully",   "completely",    "considerably",  "decidedly",
      "deeply",       "enormously",   "entirely",  "especially",    "exceptionally", "extremely",
      "fully",        "greatly",      "highly",    "hugely",        "incredibly",    "intensely",
      "majorly",      "more",         "most",      "particularly",  "purely",        "quite",
      "really",       "remarkably",   "so",        "substantially", "thoroughly",    "totally",
      "tremendously", "unbelievably", "unusually", "utterly",       "very",          "seriously"};
  static constexpr std::array<std::string_view, 14> kDown = {
      "almost",       "barely", "hardly",   "kinda",    "less",     "little", "marginally",
      "occasionally", "partly", "scarcely", "slightly", "somewhat", "sorta",  "mildly"};
  if (std::find(kUp.begin(), kUp.end(), w) != kUp.end()) return 1;
  if (std::find(kDown.begin(), kDown.end(), w) != kDown.end()) return -1;
  return 0;
}

bool negation(std::string_view w) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "not", "no",      "never",  "none",    "nobody", "nothing", "neither",
      "nor", "nowhere", "cannot", "without", "nope",   "aint",    "rarely"};
  if (std::find(kWords.begin(), kWords.end(), w) != kWords.end()) return true;
  // don't, isn't, won't; curly apostrophe too.
  return w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
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
  map_.reserve(8192);
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
    map_.emplace(std::string(line.substr(0, tab)), v);
  }
}

float ValenceLexicon::valence(std::string_view lower_word) const {
  auto it = map_.find(lower_word);
  return it == map_.end() ? 0.0f : it->second;
}

ToneScores score_tone(const ValenceLexicon& lexicon, std::string_view text,
                      const std::vector<core::Token>& tokens,
                      const std::vector<core::Sentence>& sentences) {
  ToneScores s;
  // Mixed case? Then ALL-CAPS words are emphasis; in an all-caps text they are not.
  bool has_lower = false;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      has_lower = true;
      break;
    }
  }
  lexical::LowerTokens lowered(text, tokens);
  std::vector<float> valences;
  std::vector<std::string_view> words;  // this sentence's lower-cased words
  double compound_sum = 0;
  std::uint32_t scored_sentences = 0;
  for (const auto& sentence : sentences) {
    words.clear();
    valences.clear();
    std::size_t n = 0;
    for (std::uint32_t t = sentence.first_token; t < sentence.first_token + sentence.token_count;
         ++t) {
      const auto& token = tokens[t];
      if (token.kind != core::TokenKind::kWord) continue;
      std::string_view raw = text.substr(token.begin, token.end - token.begin);
      std::string_view low = lowered[t];
      // A capitalized word inside a sentence is a name in news text ("United
      // States", "Hope Hicks"), not sentiment.
      bool proper_noun = n > 0 && raw[0] >= 'A' && raw[0] <= 'Z' && !all_caps(raw);
      float v = proper_noun ? 0.0f : lexicon.valence(low);
      if (v != 0 && booster(low) == 0) {
        float sign = v > 0 ? 1.0f : -1.0f;
        if (has_lower && all_caps(raw)) v += sign * kCapsBoost;
        // The three preceding words: intensifiers (damped by distance), negation.
        bool negated = false;
        for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
          std::string_view prev = words[n - back];
          if (int b = booster(prev)) {
            float damp = back == 1 ? 1.0f : back == 2 ? 0.95f : 0.9f;
            v += sign * static_cast<float>(b) * kBoost * damp;
          }
          negated |= negation(prev);
        }
        if (negated) v *= kNegation;
      }
      words.push_back(low);
      valences.push_back(v);
      ++n;
    }
    // "but": the clause before it counts half, the clause after one and a half.
    auto but = std::find(words.begin(), words.end(), "but");
    if (but != words.end()) {
      std::size_t at = static_cast<std::size_t>(but - words.begin());
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
  ToneScores s = score_tone(lexicon_, article.text, article.tokens, article.sentences);
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
