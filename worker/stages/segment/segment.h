// segment: sentences and tokens with byte offsets, computed once and reused.
#pragma once

#include <string_view>
#include <vector>

#include "common/languages.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// A language's abbreviations beyond the built-in (English) ones: the words that
// keep their period and do not end a sentence ("Sra.", "dhr.", "Dott."), from
// data/lang/<code>/abbreviations.txt. Views into the embedded file, sorted.
class Abbreviations {
 public:
  explicit Abbreviations(std::string_view file);
  bool contains(std::string_view word) const;

 private:
  std::vector<std::string_view> words_;
};

// Tokenizes `text` (normalized UTF-8) and splits it into sentences. Rules:
// - tokens are whitespace-separated chunks with leading/trailing punctuation,
//   possessive 's/’s, currency symbols and % split off; internal hyphens,
//   apostrophes, periods (U.S.) and digit separators (100,000; 2.5) stay inside;
// - a trailing period stays on abbreviations (Mr., Dec., J.) and initialisms;
// - a sentence ends after . ! ? … (plus closing quotes/brackets) when the next
//   token starts a sentence (upper case, digit, opening quote), and always at a
//   line break.
// `language` adds the abbreviations of the article's language (may be null).
void segment_text(std::string_view text, std::vector<core::Token>& tokens,
                  std::vector<core::Sentence>& sentences, std::uint32_t& paragraphs,
                  const Abbreviations* language = nullptr);

// `out` = `text` with ASCII and Latin-1 capitals in lower case, byte offsets
// unchanged (see core::Article::lower_text).
void fold_case_keeping_offsets(std::string_view text, std::string& out);

// Fills tokens, sentences, paragraphs and lower_text, with the abbreviations of
// the article's language (core::content_language) where data/lang has them.
class SegmentStage final : public core::Stage {
 public:
  SegmentStage();
  std::string_view name() const override { return "segment"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  lexical::PerLanguage<Abbreviations> abbreviations_;
};

}  // namespace wirefeed::stages
