#include "amounts/amounts.h"

#include <gtest/gtest.h>

#include <sstream>

#include "segment/segment.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
// "text | kind value unit ~ | object" per amount.
std::vector<std::string> amounts(std::string_view text) {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  static constexpr const char* kKinds[] = {"count", "money", "percent"};
  std::vector<std::string> out;
  for (const auto& a : find_amounts(text, tokens)) {
    std::ostringstream s;
    s.precision(12);
    s << text.substr(a.begin, a.end - a.begin) << " | " << kKinds[static_cast<int>(a.kind)] << ' '
      << a.value << (a.unit.empty() ? "" : " ") << a.unit << (a.approximate ? " ~" : "") << " | "
      << text.substr(a.object_begin, a.object_end - a.object_begin);
    out.push_back(s.str());
  }
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST(Amounts, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(amounts(e.article.text), (V{"100,000 | count 100000 ~ | Russian troops",
                                        "millions | count 1000000 ~ | defense aid"}));
  std::string json = testing::enrichment(e.article, "amounts");
  EXPECT_NE(json.find(R"({"text":"100,000","begin":846,"end":853,"kind":"count","value":100000,)"
                      R"("unit":null,"approximate":true,"object":"Russian troops",)"
                      R"("object_begin":854,"object_end":868})"),
            std::string::npos)
      << json;
}

TEST(Amounts, money_with_symbols_scales_and_words) {
  EXPECT_EQ(amounts("The U.S. pledged $2.5 billion in military aid, US$3m for schools and "
                    "\xE2\x82\xAC"
                    "1.2bn. He paid 300 pounds."),
            (V{"$2.5 billion | money 2500000000 USD | military aid",
               "US$3m | money 3000000 USD | schools",
               "\xE2\x82\xAC"
               "1.2bn | money 1200000000 EUR | ",
               "300 pounds | money 300 GBP | "}));
}

TEST(Amounts, percentages_and_points) {
  EXPECT_EQ(amounts("Inflation hit 3% and 4.5 per cent, up 0.25 percentage points; 40 percent of "
                    "voters agreed."),
            (V{"3% | percent 3 percent | ", "4.5 per cent | percent 4.5 percent | ",
               "0.25 percentage points | percent 0.25 percentage_points | ",
               "40 percent | percent 40 percent | voters"}));
}

TEST(Amounts, spelled_and_vague_counts) {
  EXPECT_EQ(amounts("Two dozen protesters and twenty-five people marched; thousands of people "
                    "fled and more than 40 workers quit."),
            (V{"Two dozen | count 24 | protesters", "twenty-five | count 25 | people",
               "thousands | count 1000 ~ | people", "40 | count 40 ~ | workers"}));
}

TEST(Amounts, years_days_times_pronouns_are_not_amounts) {
  EXPECT_EQ(amounts("In 2019 the talks began on Dec. 29 at 10:30 p.m. and the two met again. "
                    "One said so."),
            V{});
}

TEST(Amounts, objects_stay_in_their_sentence_and_paragraph) {
  EXPECT_EQ(amounts("The party won 8 seats\n\nTrudeau said so."), (V{"8 | count 8 | seats"}));
  EXPECT_EQ(amounts("It cost 8 million.\n\nTrudeau said so."), (V{"8 million | count 8000000 | "}));
}

TEST(Amounts, other_languages_are_skipped) {
  auto e = testing::enrich(
      R"({"body":"Il governo ha stanziato 2,5 miliardi di euro per la ricostruzione della città."})");
  EXPECT_TRUE(testing::enrichment(e.article, "amounts").empty());
}

}  // namespace wirefeed::stages
