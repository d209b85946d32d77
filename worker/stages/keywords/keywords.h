// keywords: the article's key phrases, by a YAKE-style statistical score.
#pragma once

#include <string>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

struct Keyword {
  std::string phrase;  // as first written in the text
  double score = 0;    // YAKE score: lower is more important
  std::uint32_t count = 0;
};

// Unsupervised, single-document key phrases after YAKE (R. Campos et al.,
// "YAKE! Keyword extraction from single documents using multiple local
// features", Information Sciences 509, 2020). Each word gets a score from its
// casing (names and acronyms), position (early sentences), frequency,
// relatedness to context (words seen next to many different words are
// function-like) and spread over sentences; phrases of 1 to 3 words that do not
// start or end with a stop word and hold no punctuation are scored by their
// words' product over the phrase frequency. Stop words, numbers, dates, and
// single letters are never keywords; a phrase whose words all sit in a better
// one is dropped ("Putin" after "Vladimir Putin"). Deterministic: ties break by
// first occurrence.
std::vector<Keyword> extract_keywords(std::string_view text, const std::vector<core::Token>& tokens,
                                      const std::vector<core::Sentence>& sentences,
                                      std::size_t top);

// Adds `keywords` [{phrase, score, count}], the best kTop. English only.
class KeywordsStage final : public core::Stage {
 public:
  static constexpr std::size_t kTop = 10;
  std::string_view name() const override { return "keywords"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
