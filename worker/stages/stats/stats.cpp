#include "stats/stats.h"

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

core::Status StatsStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  std::uint64_t chars = 0;
  for (char c : article.text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  std::uint64_t words = 0;
  for (const auto& token : article.tokens) {
    words += token.kind == core::TokenKind::kWord || token.kind == core::TokenKind::kNumber;
  }
  std::uint64_t reading_seconds = (words * 60 + kWordsPerMinute - 1) / kWordsPerMinute;

  std::string& out = article.add_enrichment("stats").json;
  using namespace core::json;
  out += "{\"chars\":";
  append_uint(out, chars);
  out += ",\"words\":";
  append_uint(out, words);
  out += ",\"sentences\":";
  append_uint(out, article.sentences.size());
  out += ",\"paragraphs\":";
  append_uint(out, article.paragraphs);
  out += ",\"reading_time_seconds\":";
  append_uint(out, reading_seconds);
  out += '}';
  return {};
}

}  // namespace wirefeed::stages
