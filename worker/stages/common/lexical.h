// Word-level helpers the English extraction stages share: month and weekday
// names, number words, stop words, datelines. Pure functions over UTF-8 text.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/article.h"

namespace wirefeed::stages::lexical {

// ASCII lower-case copy into `buf` (reused between calls); returns a view of it.
std::string_view lower(std::string_view word, std::string& buf);

// Lower-cased token texts of one article without a string per token: a
// lower-cased text indexed by the tokens' byte offsets. Built from an Article it
// borrows core::Article::lower_text (made once by segment; the article must
// outlive it); from a bare text it makes its own ASCII-folded copy.
class LowerTokens {
 public:
  explicit LowerTokens(const core::Article& article)
      : borrowed_(true), view_(article.lower_text), tokens_(&article.tokens) {}
  // Borrows `lowered`, a lower-cased copy of the tokens' text with the same
  // offsets (core::Article::lower_text), which must outlive this.
  LowerTokens(std::string_view lowered, const std::vector<core::Token>& tokens, bool)
      : borrowed_(true), view_(lowered), tokens_(&tokens) {}
  LowerTokens(std::string_view text, const std::vector<core::Token>& tokens);
  // Borrows `lowered` when it is the text lower-cased (core::Article::lower_text,
  // the same size); lower-cases a copy of `text` when it is empty.
  static LowerTokens of(std::string_view text, const std::vector<core::Token>& tokens,
                        std::string_view lowered) {
    return lowered.size() == text.size() ? LowerTokens(lowered, tokens, true)
                                         : LowerTokens(text, tokens);
  }
  LowerTokens(const LowerTokens& other) = delete;
  LowerTokens(LowerTokens&& other) noexcept
      : owned_(std::move(other.owned_)),
        borrowed_(other.borrowed_),
        view_(borrowed_ ? other.view_ : std::string_view(owned_)),
        tokens_(other.tokens_) {}
  std::string_view operator[](std::size_t i) const {
    const core::Token& t = (*tokens_)[i];
    return view_.substr(t.begin, t.end - t.begin);
  }
  std::size_t size() const { return tokens_->size(); }

 private:
  std::string owned_;  // declared first: view_ may point into it
  bool borrowed_ = false;
  std::string_view view_;
  const std::vector<core::Token>* tokens_;
};

// w.find(mark) when that is at most `last`, else npos: a scan of the first
// last + 1 bytes only, without a library call (for per-token checks).
inline std::size_t find_within(std::string_view w, std::string_view mark, std::size_t last) {
  const std::size_t end = w.size() < last + 1 ? w.size() : last + 1;
  for (std::size_t k = 0; k < end; ++k) {
    if (w[k] == mark[0] && w.substr(k, mark.size()) == mark) return k;
  }
  return std::string_view::npos;
}

// Whether w has an apostrophe ('\'') or the lead byte of a curly one (U+2019)
// in its first last + 1 bytes: without, find_within() finds neither mark.
inline bool may_elide(std::string_view w, std::size_t last) {
  const std::size_t end = w.size() < last + 1 ? w.size() : last + 1;
  for (std::size_t k = 0; k < end; ++k) {
    if (w[k] == '\'' || w[k] == '\xE2') return true;
  }
  return false;
}

// The text of token i.
inline std::string_view token_text(std::string_view text, const core::Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

// 1..12 for a month name or its abbreviation ("Dec", "Dec.", "Sept."), any
// case; 0 otherwise. "May" only counts when capitalized (may, the verb).
int month_of(std::string_view word);

// 0 (Monday) .. 6 (Sunday) for a weekday name ("Thursday", "Thu."); -1 otherwise.
int weekday_of(std::string_view word);

// Value of an English number word ("one".."nineteen", "twenty".."ninety",
// "hundred", "thousand", "dozen", "million", "billion", "trillion"), lower-case
// input; nullopt otherwise.
std::optional<double> number_word(std::string_view lower_word);

// Scale words after a number: "thousand" 1e3, "million" 1e6, "billion" 1e9,
// "trillion" 1e12, "bn"/"m" abbreviations; plural too ("millions"). 0 if none.
double scale_word(std::string_view lower_word);

// English stop words (function words), lower-case input.
bool is_stopword(std::string_view lower_word);

// A news dateline at the very start of `text`: "WASHINGTON, Dec. 29 (Reuters) -",
// "NEW YORK (AP) —", "LONDON, March 3 --", "PARIS:". The place is upper case
// (2+ letters; spaces, periods, hyphens allowed); a date and an agency in
// parentheses are optional; a dash or colon ends it.
struct Dateline {
  std::size_t end = 0;     // byte offset of the text after the dateline
  std::string_view place;  // "WASHINGTON"
  int month = 0;           // 0 when the dateline has no date
  int day = 0;
  int year = 0;  // 0 when absent
};
// `language_month` (may be null) reads the dateline's date in another language,
// day first: "MADRID, 14 mar (EFE) -", "ROMA, 6 ott -", "MADRID, 14 de marzo de
// 2024 -": it returns 1..12 for a month word of that language, 0 otherwise.
// Short lower-case words between day, month and year ("de") are skipped.
std::optional<Dateline> find_dateline(
    std::string_view text, const std::function<int(std::string_view)>* language_month = nullptr);

// Bylines and photo credits: a sentence that is "By Jane Doe", "Photo: ...",
// "(AP Photo/...)", "Image copyright ...", "Getty Images", "Reporting by ...".
bool is_byline_or_credit(std::string_view sentence);

}  // namespace wirefeed::stages::lexical
