// tone: GDELT-style tone from the VADER lexicon, with negation and intensifiers.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Word valences (-4..4) from a VADER-format lexicon (token TAB mean ...).
class ValenceLexicon {
 public:
  explicit ValenceLexicon(std::string_view tsv);
  // The valence of an already lower-cased word, 0 if it has none.
  float valence(std::string_view lower_word) const;
  std::size_t size() const { return map_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, float, Hash, std::equal_to<>> map_;
};

struct ToneScores {
  std::uint32_t words = 0;           // word tokens in the text
  std::uint32_t positive_words = 0;  // words whose adjusted valence is > 0
  std::uint32_t negative_words = 0;  // ... < 0
  double positive = 0;               // % of words positive (GDELT's Positive Score)
  double negative = 0;               // % of words negative (GDELT's Negative Score)
  double polarity = 0;               // positive + negative: how emotive the text is
  double tone = 0;                   // positive - negative (GDELT's Tone)
  double compound = 0;               // mean VADER compound of the sentences, -1..1
};

// Scores segmented text. Per sentence, each lexicon word's valence is adjusted
// the way VADER does it (Hutto & Gilbert, ICWSM 2014): intensifiers among the
// three preceding words add or remove 0.293 (damped by distance), a negation
// among them multiplies by -0.74, an ALL-CAPS word in mixed-case text adds
// 0.733, and around "but" the clause before counts half and the one after 1.5x.
// A capitalized word after a sentence's first word is taken for a name and
// scores nothing: "United States" is not positive.
ToneScores score_tone(const ValenceLexicon& lexicon, std::string_view text,
                      const std::vector<core::Token>& tokens,
                      const std::vector<core::Sentence>& sentences);

// Adds `tone` {tone, positive, negative, polarity, compound, words,
// positive_words, negative_words}; percentages have two decimals. English only
// (the lexicon is English): other languages are skipped with a reason.
class ToneStage final : public core::Stage {
 public:
  ToneStage();  // loads the compiled-in VADER lexicon once
  std::string_view name() const override { return "tone"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
  const ValenceLexicon& lexicon() const { return lexicon_; }

 private:
  ValenceLexicon lexicon_;
};

}  // namespace wirefeed::stages
