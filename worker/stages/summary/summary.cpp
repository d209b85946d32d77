#include "summary/summary.h"

#include <functional>
#include <stdexcept>

#include "common/lexical.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

std::string lowered(std::string_view w) {
  std::string buf;
  return std::string(lexical::lower(w, buf));
}

// A sentence made only of date words, numbers and punctuation.
bool only_a_date(std::string_view text, const core::Article& a, const core::Sentence& s,
                 const DateWords* words) {
  bool dated = false;
  for (std::uint32_t t = s.first_token; t < s.first_token + s.token_count; ++t) {
    const core::Token& token = a.tokens[t];
    if (token.kind == core::TokenKind::kPunct || token.kind == core::TokenKind::kNumber) continue;
    std::string_view w = lexical::token_text(text, token);
    if (lexical::month_of(w) || lexical::weekday_of(w) >= 0 ||
        (words && (words->month_in_dateline(w) || words->weekdays.contains(lowered(w))))) {
      dated = true;
      continue;
    }
    return false;
  }
  return dated;
}

}  // namespace

SummaryStage::Credits::Credits(std::string_view file) {
  lexical::for_each_tsv_line(file, [&](const std::vector<std::string_view>& f) {
    if (f.size() < 2 || f[1].empty() || (f[0] != "byline" && f[0] != "prefix")) {
      throw std::runtime_error("credits.tsv: bad line starting '" + std::string(f[0]) + "'");
    }
    (f[0] == "byline" ? byline_words : prefixes).emplace_back(f[1]);
  });
}

bool SummaryStage::Credits::matches(std::string_view sentence) const {
  std::string buf;
  std::string_view l = lexical::lower(sentence.substr(0, 40), buf);
  for (const std::string& p : prefixes) {
    if (l.starts_with(p)) return true;
  }
  // "Por Ana Díaz": the byline word, then a capitalized name, in a short sentence.
  for (const std::string& w : byline_words) {
    if (sentence.size() < 80 && l.size() > w.size() + 1 && l.starts_with(w) && l[w.size()] == ' ' &&
        sentence[w.size() + 1] >= 'A' && sentence[w.size() + 1] <= 'Z') {
      return true;
    }
  }
  return false;
}

SummaryStage::SummaryStage(std::size_t sentences)
    : sentences_(sentences),
      dates_("dates.tsv", [](std::string_view, std::string_view file) { return DateWords(file); }),
      credits_("credits.tsv",
               [](std::string_view, std::string_view file) { return Credits(file); }) {}

core::Status SummaryStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  const std::string_view language = core::content_language(article);
  const DateWords* words = dates_.find(language);
  const Credits* credits = credits_.find(language);
  const std::function<int(std::string_view)> language_month = [words](std::string_view w) {
    return words->month_in_dateline(w);
  };
  std::string_view text = article.text;
  struct Span {
    std::uint32_t begin, end;
  };
  Span picked[8];
  std::size_t want = std::min<std::size_t>(sentences_, 8), n = 0;
  for (std::size_t i = 0; i < article.sentences.size() && n < want; ++i) {
    const core::Sentence& s = article.sentences[i];
    std::uint32_t begin = s.begin;
    if (i == 0) {
      if (auto d = lexical::find_dateline(text.substr(s.begin, s.end - s.begin),
                                          words ? &language_month : nullptr)) {
        begin = s.begin + static_cast<std::uint32_t>(d->end);
      }
    }
    std::string_view sentence = text.substr(begin, s.end - begin);
    if (lexical::is_byline_or_credit(sentence) || (credits && credits->matches(sentence)) ||
        only_a_date(text, article, s, words)) {
      continue;
    }
    std::size_t words = 0;
    for (std::uint32_t t = s.first_token; t < s.first_token + s.token_count; ++t) {
      words +=
          article.tokens[t].begin >= begin && (article.tokens[t].kind == core::TokenKind::kWord ||
                                               article.tokens[t].kind == core::TokenKind::kNumber);
    }
    if (words < kMinWords) continue;
    picked[n++] = {begin, s.end};
  }
  if (n == 0) return core::Status::skipped("no lead sentence");
  std::string joined;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) joined += ' ';
    joined.append(text.substr(picked[i].begin, picked[i].end - picked[i].begin));
  }
  core::json::Writer w(article.add_enrichment("summary").json);
  w.begin_object().member("text", joined);
  w.key("sentences").begin_array();
  for (std::size_t i = 0; i < n; ++i) {
    w.begin_object().member("begin", picked[i].begin).member("end", picked[i].end).end_object();
  }
  w.end_array().end_object();
  return {};
}

}  // namespace wirefeed::stages
