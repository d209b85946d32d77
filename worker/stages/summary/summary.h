// summary: the article's lead, as news writing puts the gist first.
#pragma once

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Adds `summary` {"text", "sentences": [{begin, end}]}: the first `sentences`
// sentences of the clean text (offsets into it), skipping what is not the
// story: a leading dateline ("WASHINGTON, Dec. 29 (Reuters) -" is cut off the
// first sentence), a line that is only a date ("Friday, January 4, 2019"),
// bylines ("By Jane Doe") and photo credits, and fragments of under
// kMinWords words. Works in any language (only the byline words are English).
// Skips when no sentence qualifies.
class SummaryStage final : public core::Stage {
 public:
  static constexpr std::size_t kMinWords = 4;
  explicit SummaryStage(std::size_t sentences = 2) : sentences_(sentences) {}
  std::string_view name() const override { return "summary"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t sentences_;
};

}  // namespace wirefeed::stages
