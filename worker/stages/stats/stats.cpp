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

  core::json::Writer w(article.add_enrichment("stats").json);
  w.begin_object()
      .member("chars", chars)
      .member("words", words)
      .member("sentences", article.sentences.size())
      .member("paragraphs", article.paragraphs)
      .member("reading_time_seconds", reading_seconds)
      .end_object();
  return {};
}

}  // namespace wirefeed::stages
