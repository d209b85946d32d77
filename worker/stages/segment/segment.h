// segment: sentences and tokens with byte offsets, computed once and reused.
#pragma once

#include <string_view>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Tokenizes `text` (normalized UTF-8) and splits it into sentences. Rules:
// - tokens are whitespace-separated chunks with leading/trailing punctuation,
//   possessive 's/’s, currency symbols and % split off; internal hyphens,
//   apostrophes, periods (U.S.) and digit separators (100,000; 2.5) stay inside;
// - a trailing period stays on abbreviations (Mr., Dec., J.) and initialisms;
// - a sentence ends after . ! ? … (plus closing quotes/brackets) when the next
//   token starts a sentence (upper case, digit, opening quote), and always at a
//   line break.
void segment_text(std::string_view text, std::vector<core::Token>& tokens,
                  std::vector<core::Sentence>& sentences, std::uint32_t& paragraphs);

// `out` = `text` with ASCII and Latin-1 capitals in lower case, byte offsets
// unchanged (see core::Article::lower_text).
void fold_case_keeping_offsets(std::string_view text, std::string& out);

// Fills tokens, sentences, paragraphs and lower_text.
class SegmentStage final : public core::Stage {
 public:
  std::string_view name() const override { return "segment"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
