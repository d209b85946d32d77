// quotes: direct quotations and who said them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/languages.h"
#include "common/word_index.h"
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

// The quotation words of one language, from data/lang/<code>/quotes.tsv (format
// in its header): quotation marks, reporting verbs, "according to" phrases,
// pronouns, titles and the function words that bound a speaker phrase.
// Immutable once parsed; all words lower case.
// A set of words for the per-token checks.
class WordSet {
 public:
  void insert(std::string_view word) { index_.insert(word); }
  bool contains(std::string_view word) const { return index_.contains(word); }
  bool empty() const { return index_.empty(); }

 private:
  lexical::WordIndex index_;
};

struct QuoteWords {
  // Throws std::runtime_error on a bad line. `stopwords` (may be empty): the
  // language's stopwords.txt, whose words never start a name ("El", "Il").
  explicit QuoteWords(std::string_view file, std::string_view stopwords = {});
  struct Mark {
    std::string open, close;
  };
  std::vector<Mark> marks;
  std::string mark_starts;        // first bytes of every mark, to stop at the next quote
  std::array<bool, 256> opens{};  // first bytes of the opening marks, by byte value
  WordSet verbs, auxiliaries, pronouns, titles, particles, determiners, definites, prepositions,
      adverbs, not_subject, subject_end, subject_break, coordinators, stopwords;
  struct Phrase {
    std::string text;                // "according to"
    std::vector<std::string> words;  // {"according", "to"}
  };
  std::vector<Phrase> according;
  std::string adverb_suffix;  // "ly", "mente"
  bool pro_drop = false;      // "dijo," with no subject: the previous speaker
  bool english = false;       // English stop and number words, month names
};

// The English words (data/lang/en/quotes.tsv), parsed once.
const QuoteWords& english_quote_words();

// Quotations in segmented text, with the marks of the language (English:
// curly “…”, straight "…" and guillemet «…»; Dutch also „…” and '…'); a quote may run over several
// sentences, and over paragraphs when each continued paragraph reopens the quote (news style).
// Quotes of fewer than kMinWords words are scare quotes, not speech. The speaker is found next to a
// reporting verb in the quote's sentence (“…,” X said / said X / X said “…” / according to X; “…”,
// ha detto X / zei hij / dijo,); a quote paragraph without one continues the previous paragraph's
// speaker. `words` picks the language (English by default); `lower` is the text lower-cased with
// the same offsets (core::Article::lower_text) or empty.
std::vector<Quote> find_quotes(std::string_view text, const std::vector<core::Token>& tokens,
                               const std::vector<core::Sentence>& sentences,
                               const QuoteWords& words = english_quote_words(),
                               std::string_view lower = {});

// Adds `quotes` [{text, begin, end, partial, speaker, speaker_mention,
// speaker_begin, speaker_end, verb}]. English and every language with
// data/lang/<code>/quotes.tsv; others are skipped. At most `max_items` quotes
// are kept (the first ones), the rest noted as truncated.
class QuotesStage final : public core::Stage {
 public:
  static constexpr std::size_t kMinWords = 3;
  explicit QuotesStage(std::size_t max_items = 100);
  std::string_view name() const override { return "quotes"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t max_items_;
  lexical::PerLanguage<QuoteWords> words_;
};

}  // namespace wirefeed::stages
