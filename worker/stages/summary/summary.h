// summary: the article's lead, as news writing puts the gist first.
#pragma once

#include <string>
#include <vector>

#include "common/languages.h"
#include "dates/dates.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Adds `summary` {"text", "sentences": [{begin, end}]}: the first `sentences`
// sentences of the clean text (offsets into it), skipping what is not the
// story: a leading dateline ("WASHINGTON, Dec. 29 (Reuters) -" is cut off the
// first sentence), a line that is only a date ("Friday, January 4, 2019"),
// bylines ("By Jane Doe") and photo credits, and fragments of under
// kMinWords words. Works in any language; datelines in the language's own
// form ("MADRID, 14 mar (EFE) -") and its bylines and credits ("Por ...",
// "Foto: ...") where data/lang/<code>/ has dates.tsv and credits.tsv.
// Skips when no sentence qualifies.
class SummaryStage final : public core::Stage {
 public:
  static constexpr std::size_t kMinWords = 4;
  explicit SummaryStage(std::size_t sentences = 2);
  std::string_view name() const override { return "summary"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

  // A language's byline words ("por": "Por Ana Díaz") and credit prefixes
  // ("foto:"), lower case, from credits.tsv.
  struct Credits {
    explicit Credits(std::string_view file);
    bool matches(std::string_view sentence) const;
    std::vector<std::string> byline_words, prefixes;
  };

 private:
  std::size_t sentences_;
  lexical::PerLanguage<DateWords> dates_;
  lexical::PerLanguage<Credits> credits_;
};

}  // namespace wirefeed::stages
