// keywords: the article's key phrases, by a YAKE-style statistical score.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/languages.h"
#include "common/word_index.h"
#include "wirefeed/core/stage.h"

struct sb_stemmer;

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
// The words keywords leave out in one language other than English: its
// data/lang/<code>/stopwords.txt, plus the month and weekday names of its
// dates.tsv and the number words of its amounts.tsv. Immutable once built.
struct KeywordStopWords {
  // `stopwords`: one word a line, '#' comments; the other two may be empty.
  KeywordStopWords(std::string_view stopwords, std::string_view dates, std::string_view amounts);
  KeywordStopWords(KeywordStopWords&&) = default;
  KeywordStopWords(const KeywordStopWords&) = delete;  // one per language, shared
  std::set<std::string, std::less<>> words;
  // Lines "-<suffix>": a lower-case word ending so ends no key phrase (verb
  // forms: "entregó", "leverde"), like English -ed/-ing.
  std::vector<std::string> verb_suffixes;
  bool contains(std::string_view lower_word) const { return index_.contains(lower_word); }
  bool verb_like(std::string_view word, std::string_view lower_word) const;
  // The length of an elided article or preposition at the word's start
  // ("dell'" in "dell'aeronautica", when "dell'" is a stop word); 0 if none.
  std::size_t elision(std::string_view lower_word) const;

 private:
  // An index of `words`, checked once per distinct word of every article.
  lexical::WordIndex index_;
};

// A Snowball stemmer (Debian's libstemmer) for one language, by ISO code
// ("es", "it", "nl"). Not thread-safe: one per thread (the stage keeps them in
// its Scratch). Throws std::runtime_error when libstemmer has no such language.
class Stemmer {
 public:
  explicit Stemmer(std::string_view code);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  // The stem of a lower-case UTF-8 word; valid until a later call forgets the
  // cache (at most kMaxCached words), so copy it before stemming more.
  std::string_view stem(std::string_view lower_word);

  // Words whose stems are remembered (news repeats its vocabulary; Snowball
  // costs more than a hash lookup); past it the memory starts over.
  static constexpr std::size_t kMaxCached = 1 << 16;

 private:
  std::string_view keep(std::string_view bytes);  // a copy in chunks_
  sb_stemmer* stemmer_;
  std::unordered_map<std::string_view, std::string_view> cache_;  // views into chunks_
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_used_ = 0;
};

// English (built-in word lists, no stemming) when `stop` is null; otherwise the
// language of `stop`, whose words are grouped by `stemmer`'s stems ("aviones"
// and "avión" are one term) when it is not null. `lower` is the text lower-cased
// with the same offsets (core::Article::lower_text), or empty.
std::vector<Keyword> extract_keywords(std::string_view text, const std::vector<core::Token>& tokens,
                                      const std::vector<core::Sentence>& sentences, std::size_t top,
                                      const KeywordStopWords* stop = nullptr,
                                      Stemmer* stemmer = nullptr, std::string_view lower = {});

// Adds `keywords` [{phrase, score, count}], the best `top`. English, and every
// language with data/lang/<code>/stopwords.txt (stemmed when libstemmer knows
// the code); others are skipped.
class KeywordsStage final : public core::Stage {
 public:
  static constexpr std::size_t kTop = 10;
  explicit KeywordsStage(std::size_t top = kTop);
  std::string_view name() const override { return "keywords"; }
  std::unique_ptr<core::Scratch> new_scratch() const override;
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t top_;
  lexical::PerLanguage<KeywordStopWords> stop_;
};

}  // namespace wirefeed::stages
