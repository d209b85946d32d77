// tone: GDELT-style tone from the VADER lexicon, with negation and intensifiers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Word valences (-4..4) from a VADER-format lexicon (token TAB mean ...), and
// the roles VADER gives words (intensifier up or down, negation), looked up
// together once per word. An open-addressing table of views into the lexicon
// text (which must outlive it: the compiled-in one lives for the process).
// Immutable after construction; thread-safe to read.
class ValenceLexicon {
 public:
  struct Word {
    float valence = 0;      // 0 if the lexicon has none
    std::int8_t boost = 0;  // +1 raises, -1 lowers the next words' intensity
    bool negation = false;  // "not", "never", "don't", ...
  };
  explicit ValenceLexicon(std::string_view tsv);
  // An already lower-cased word.
  Word lookup(std::string_view lower_word) const;
  float valence(std::string_view lower_word) const { return lookup(lower_word).valence; }
  std::size_t size() const { return valences_; }

 private:
  struct Slot {
    std::string_view key;  // empty: free
    Word word;
  };
  Word& insert(std::string_view key);
  std::size_t slot_of(std::string_view key) const;
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::size_t valences_ = 0;
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
// `lower_text`, when given, is `text` lower-cased with the same offsets
// (core::Article::lower_text); otherwise the words are lower-cased here.
ToneScores score_tone(const ValenceLexicon& lexicon, std::string_view text,
                      const std::vector<core::Token>& tokens,
                      const std::vector<core::Sentence>& sentences,
                      std::string_view lower_text = {});

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
