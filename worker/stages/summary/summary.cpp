#include "summary/summary.h"

#include "common/lexical.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

// A sentence made only of date words, numbers and punctuation.
bool only_a_date(std::string_view text, const core::Article& a, const core::Sentence& s) {
  bool dated = false;
  for (std::uint32_t t = s.first_token; t < s.first_token + s.token_count; ++t) {
    const core::Token& token = a.tokens[t];
    if (token.kind == core::TokenKind::kPunct || token.kind == core::TokenKind::kNumber) continue;
    std::string_view w = lexical::token_text(text, token);
    if (lexical::month_of(w) || lexical::weekday_of(w) >= 0) {
      dated = true;
      continue;
    }
    return false;
  }
  return dated;
}

}  // namespace

core::Status SummaryStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
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
      if (auto d = lexical::find_dateline(text.substr(s.begin, s.end - s.begin))) {
        begin = s.begin + static_cast<std::uint32_t>(d->end);
      }
    }
    std::string_view sentence = text.substr(begin, s.end - begin);
    if (lexical::is_byline_or_credit(sentence) || only_a_date(text, article, s)) continue;
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
  std::string& out = article.add_enrichment("summary").json;
  using namespace core::json;
  std::string joined;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) joined += ' ';
    joined.append(text.substr(picked[i].begin, picked[i].end - picked[i].begin));
  }
  out += "{\"text\":";
  append_string(out, joined);
  out += ",\"sentences\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    out += "{\"begin\":";
    append_uint(out, picked[i].begin);
    out += ",\"end\":";
    append_uint(out, picked[i].end);
    out += '}';
  }
  out += "]}";
  return {};
}

}  // namespace wirefeed::stages
