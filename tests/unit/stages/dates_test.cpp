#include "dates/dates.h"

#include <gtest/gtest.h>

#include "segment/segment.h"
#include "test_support.h"
#include "wirefeed/core/timestamp.h"

namespace wirefeed::stages {

namespace {
// "text -> value" for every mention, resolved against `published` (YYYY-MM-DD).
std::vector<std::string> mentions(std::string_view text, std::string_view published = "") {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  std::optional<std::int32_t> pub;
  if (!published.empty()) pub = *core::parse_timestamp_ms(published) / 86'400'000;
  std::vector<std::string> out;
  for (const auto& m : find_date_mentions(text, tokens, pub)) {
    out.push_back(std::string(text.substr(m.begin, m.end - m.begin)) + " -> " +
                  (m.day ? iso_date(*m.day, m.granularity) : "?"));
  }
  return out;
}

using V = std::vector<std::string>;
}  // namespace

TEST(Dates, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29","published_source":"marker",)"))
      << json;
  EXPECT_EQ(mentions(e.article.text, "2021-12-29"),
            (V{"Thursday -> 2021-12-30", "Wednesday -> 2021-12-29", "this month -> 2021-12",
               "Wednesday -> 2021-12-29", "earlier this week -> 2021-W52", "Thursday -> 2021-12-30",
               "Wednesday -> 2021-12-29", "Earlier this month -> 2021-12"}));
}

TEST(Dates, publication_date_from_a_dateline_with_a_year) {
  auto e = testing::enrich(
      R"({"body":"WASHINGTON, Dec. 29, 2021 (Reuters) - The talks resumed on Tuesday."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29","published_source":"dateline",)"))
      << json;
  EXPECT_NE(json.find(R"("text":"Tuesday","begin":59,"end":66,"relative":true,)"
                      R"("granularity":"day","value":"2021-12-28"})"),
            std::string::npos)
      << json;
}

// English Wikinews puts the date on the first line (../shared/data/wikinews-en).
TEST(Dates, publication_date_from_a_wikinews_date_line) {
  auto e = testing::enrich(
      R"({"body":"Friday, January 4, 2019\n\nNancy Pelosi was elected Speaker on Thursday."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2019-01-04","published_source":"dateline",)"))
      << json;
  EXPECT_NE(json.find(R"("text":"Thursday")"), std::string::npos);
  EXPECT_NE(json.find(R"("value":"2019-01-03")"), std::string::npos);
}

TEST(Dates, absolute_dates) {
  EXPECT_EQ(mentions("Talks began on 29 December 2021 and ended 2022-01-05.", "2022-01-10"),
            (V{"29 December 2021 -> 2021-12-29", "2022-01-05 -> 2022-01-05"}));
  EXPECT_EQ(mentions("The law passed in January 2019 and took effect in 2020.", "2022-01-10"),
            (V{"January 2019 -> 2019-01", "2020 -> 2020"}));
  // No year: the nearest Dec. 25 to a January publication is last year's.
  EXPECT_EQ(mentions("Sales fell after Dec. 25, analysts said.", "2022-01-03"),
            (V{"Dec. 25 -> 2021-12-25"}));
  EXPECT_EQ(mentions("Voting ends on March 3rd.", "2022-01-03"), (V{"March 3rd -> 2022-03-03"}));
}

TEST(Dates, relative_expressions_against_a_wednesday) {
  // 2021-12-29 was a Wednesday.
  EXPECT_EQ(mentions("He left last Friday and returns next Monday.", "2021-12-29"),
            (V{"last Friday -> 2021-12-24", "next Monday -> 2022-01-03"}));
  EXPECT_EQ(mentions("It rained yesterday, it rains today and tomorrow.", "2021-12-29"),
            (V{"yesterday -> 2021-12-28", "today -> 2021-12-29", "tomorrow -> 2021-12-30"}));
  EXPECT_EQ(mentions("Two days ago and three weeks ago; a year ago.", "2021-12-29"),
            (V{"Two days ago -> 2021-12-27", "three weeks ago -> 2021-W49", "a year ago -> 2020"}));
  EXPECT_EQ(mentions("Prices rose last month and will fall next year.", "2021-12-29"),
            (V{"last month -> 2021-11", "next year -> 2022"}));
  EXPECT_EQ(mentions("A vote is due in March.", "2021-12-29"), (V{"March -> 2022-03"}));
}

TEST(Dates, without_a_publication_date_relative_ones_stay_unresolved) {
  EXPECT_EQ(mentions("On Thursday, 29 December 2021 was cold."),
            (V{"Thursday -> ?", "29 December 2021 -> 2021-12-29"}));
}

TEST(Dates, numbers_that_are_not_dates) {
  EXPECT_EQ(mentions("In 2019 votes, 2000 troops and the May report.", "2021-12-29"), V{});
}

TEST(Dates, input_time_zones_keep_the_written_calendar_date) {
  auto e = testing::enrich(
      R"({"published_at":"2021-12-29T23:30:00-05:00","body":"The talks end tomorrow, he said."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29T23:30:00-05:00",)")) << json;
  EXPECT_NE(json.find(R"("value":"2021-12-30")"), std::string::npos) << json;
}

TEST(Dates, other_languages_are_skipped) {
  auto e = testing::enrich(
      R"({"body":"Il presidente ha parlato giovedì con il primo ministro a Roma."})");
  EXPECT_TRUE(testing::enrichment(e.article, "dates").empty());
}

}  // namespace wirefeed::stages
