// quotes: direct quotations and who said them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

struct Quote {
  std::uint32_t begin = 0, end = 0;  // the quoted words, without the marks
  bool partial = false;              // a fragment inside the writer's sentence
  // The speaker as the text names them at this quote ("the official", "he",
  // "State Department spokesman Ned Price"); empty if no attribution was found.
  std::uint32_t mention_begin = 0, mention_end = 0;
  // Who that is: the name ("Ned Price", titles dropped), or for a pronoun or a
  // description ("the official") the nearest earlier speaker it refers to; a
  // description without a named antecedent stays a description ("senior
  // administration official"). Empty when unknown.
  std::string speaker;
  std::string_view verb;  // "said", "told", "according to", ...
};

// Quotations in segmented English text: curly (“…”), straight ("…") and
// guillemet («…») marks; a quote may run over several sentences, and over
// paragraphs when each continued paragraph reopens the quote (news style). Quotes
// of fewer than kMinWords words are scare quotes, not speech. The speaker is
// found next to a reporting verb in the quote's sentence (“…,” X said / said X /
// X said “…” / according to X); a quote paragraph without one continues the
// previous paragraph's speaker.
std::vector<Quote> find_quotes(std::string_view text, const std::vector<core::Token>& tokens,
                               const std::vector<core::Sentence>& sentences);

// Adds `quotes` [{text, begin, end, partial, speaker, speaker_mention,
// speaker_begin, speaker_end, verb}]. English only. At most `max_items` quotes
// are kept (the first ones), the rest noted as truncated.
class QuotesStage final : public core::Stage {
 public:
  static constexpr std::size_t kMinWords = 3;
  explicit QuotesStage(std::size_t max_items = 100) : max_items_(max_items) {}
  std::string_view name() const override { return "quotes"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t max_items_;
};

}  // namespace wirefeed::stages
