// Gold from a committed real article: the first sample, English Wikinews'
// "Nancy Pelosi again elected Speaker as 116th U.S. Congress sworn in"
// (2019-01-04, CC BY 2.5), through the whole default pipeline.
#include <gtest/gtest.h>

#include "test_support.h"

namespace wirefeed::stages {

namespace {
const testing::Enriched& pelosi() {
  static const testing::Enriched e = [] {
    auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
    static const std::string raw = lines.at(0);
    return testing::enrich(raw);
  }();
  return e;
}
bool has(const std::string& json, std::string_view part) {
  return json.find(part) != std::string::npos;
}
}  // namespace

TEST(WikinewsGold, pelosi_article) {
  const auto& e = pelosi();
  ASSERT_TRUE(e.result.ok());
  ASSERT_NE(e.article.title.find("Nancy Pelosi again elected Speaker"), std::string::npos);
  std::string dates = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(has(dates, R"("published":"2019-01-04","published_source":"input")")) << dates;
  // "Nancy Pelosi yesterday resumed the office of Speaker" -> the day before.
  EXPECT_TRUE(has(dates, R"("text":"yesterday",)")) << dates;
  EXPECT_TRUE(has(dates, R"("value":"2019-01-03")")) << dates;

  std::string quotes = testing::enrichment(e.article, "quotes");
  EXPECT_TRUE(has(quotes, R"({"text":"I pledge that this Congress will be transparent)")) << quotes;
  EXPECT_TRUE(has(quotes, R"("speaker":"Pelosi","speaker_mention":"Pelosi")")) << quotes;
  EXPECT_TRUE(has(quotes, R"("verb":"told")")) << quotes;

  std::string amounts = testing::enrichment(e.article, "amounts");
  EXPECT_TRUE(has(amounts, R"("text":"220","begin":)")) << amounts;
  EXPECT_TRUE(has(amounts, R"("object":"votes")")) << amounts;
  EXPECT_TRUE(has(amounts, R"("text":"800,000",)")) << amounts;

  std::string language = testing::enrichment(e.article, "language_detection");
  EXPECT_TRUE(has(language, R"({"code":"en",)")) << language;
  std::string keywords = testing::enrichment(e.article, "keywords");
  EXPECT_TRUE(has(keywords, R"("phrase":"Pelosi")")) << keywords;
  std::string summary = testing::enrichment(e.article, "summary");
  EXPECT_TRUE(has(summary, R"({"text":"Nancy Pelosi yesterday resumed the office of Speaker)"))
      << summary;
}

// A MEANTIME Dutch translation among the samples: detected as Dutch, summarized,
// and skipped by the English-only stages with the reason.
TEST(WikinewsGold, dutch_meantime_translation_is_detected_and_english_stages_skip) {
  auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
  const std::string* dutch = nullptr;
  for (const auto& l : lines) {
    if (l.find(R"("language":"nl")") != std::string::npos) {
      dutch = &l;
      break;
    }
  }
  ASSERT_NE(dutch, nullptr);
  auto e = testing::enrich(*dutch);
  ASSERT_TRUE(e.result.ok());
  EXPECT_TRUE(has(testing::enrichment(e.article, "language_detection"), R"({"code":"nl",)"));
  EXPECT_FALSE(testing::enrichment(e.article, "summary").empty());
  int skipped = 0;
  for (const auto& s : e.article.stages_skipped) {
    if (s.reason == "English only; the article's language is nl") ++skipped;
  }
  EXPECT_EQ(skipped, 1);  // tone; dates, amounts, quotes and keywords read Dutch
  EXPECT_FALSE(testing::enrichment(e.article, "keywords").empty());
  EXPECT_FALSE(testing::enrichment(e.article, "quotes").empty());
  EXPECT_FALSE(testing::enrichment(e.article, "dates").empty());
  EXPECT_FALSE(testing::enrichment(e.article, "amounts").empty());
}

}  // namespace wirefeed::stages
