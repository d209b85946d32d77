#include "summary/summary.h"

#include <gtest/gtest.h>

#include <functional>

#include "common/lexical.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
std::string summary_text(const std::string& raw, std::vector<std::string> stages = {}) {
  auto e = testing::enrich(raw, std::move(stages), stages.empty());
  EXPECT_TRUE(e.result.ok());
  std::string json = testing::enrichment(e.article, "summary");
  auto at = json.find("\"text\":\"");
  if (at == std::string::npos) return {};
  return json.substr(at + 8, json.find("\",\"sentences\"") - at - 8);
}
}  // namespace

TEST(Summary, seed_article_lead_is_its_first_two_sentences) {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  EXPECT_EQ(summary_text(seed),
            "President Biden and Vladimir Putin will speak by phone Thursday at the Russian "
            "leader’s request in hopes of finding a diplomatic off-ramp to the volatile situation "
            "in Eastern Europe. The White House confirmed the call Wednesday.");
}

TEST(Summary, dateline_byline_and_credits_are_not_the_story) {
  EXPECT_EQ(summary_text(
                R"({"body":"WASHINGTON, Dec. 29 (Reuters) - The U.S. will send aid to the region, )"
                R"(officials said.\n\nBy Jane Doe\n\nPhoto: Getty Images\n\nThe package is worth )"
                R"($2.5 billion, the largest this year."})"),
            "The U.S. will send aid to the region, officials said. The package is worth $2.5 "
            "billion, the largest this year.");
}

TEST(Summary, a_wikinews_date_line_is_skipped) {
  EXPECT_EQ(summary_text(R"({"body":"Friday, January 4, 2019\n\nNancy Pelosi was elected )"
                         R"(Speaker of the House on Thursday. She won 220 votes."})"),
            "Nancy Pelosi was elected Speaker of the House on Thursday. She won 220 votes.");
}

TEST(Summary, sentence_count_is_configurable_and_offsets_index_the_text) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  SummaryStage three(3);
  core::Scratch scratch;
  e.article.enrichment_count = 0;
  ASSERT_TRUE(three.process(e.article, scratch).ok());
  std::string json = testing::enrichment(e.article, "summary");
  EXPECT_NE(
      json.find(R"("sentences":[{"begin":0,"end":184},{"begin":186,"end":231},{"begin":232,)"),
      std::string::npos)
      << json;
  EXPECT_EQ(e.article.text.substr(186, 231 - 186), "The White House confirmed the call Wednesday.");
}

TEST(Summary, works_for_other_languages_and_skips_without_sentences) {
  EXPECT_EQ(
      summary_text(R"({"body":"La Borsa di Milano ha chiuso in rialzo. Gli analisti )"
                   R"(sono ottimisti per la settimana."})"),
      "La Borsa di Milano ha chiuso in rialzo. Gli analisti sono ottimisti per la settimana.");
  EXPECT_EQ(summary_text(R"({"body":"Ok."})"), "");
}

TEST(Lexical, datelines) {
  auto d = lexical::find_dateline("WASHINGTON, Dec. 29 (Reuters) - The talks");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "WASHINGTON");
  EXPECT_EQ(d->month, 12);
  EXPECT_EQ(d->day, 29);
  EXPECT_EQ(d->end, 32u);
  d = lexical::find_dateline("NEW YORK (AP) \xE2\x80\x94 Stocks fell");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "NEW YORK");
  EXPECT_EQ(d->month, 0);
  EXPECT_FALSE(lexical::find_dateline("A man said - nothing"));
  EXPECT_FALSE(lexical::find_dateline("The U.S.-led coalition"));
  EXPECT_FALSE(lexical::find_dateline("NATO allies met."));
}

TEST(Summary, datelines_and_credits_in_other_languages_are_not_the_story) {
  EXPECT_EQ(summary_text(R"({"language":"es","body":"MADRID, 14 mar (EFE) - El Gobierno )"
                         R"(aprobó ayer el nuevo plan de vivienda.\nPor Ana Díaz\nEl )"
                         R"(Congreso lo votará la semana próxima."})"),
            "El Gobierno aprobó ayer el nuevo plan de vivienda. El Congreso lo votará la semana "
            "próxima.");
  EXPECT_EQ(summary_text(R"({"language":"it","body":"ROMA, 6 ott - Il governo ha approvato )"
                         R"(la legge di bilancio.\nFoto: Mario Rossi\nIl Senato la esaminerà )"
                         R"(il mese prossimo."})"),
            "Il governo ha approvato la legge di bilancio. Il Senato la esaminerà il mese "
            "prossimo.");
}

TEST(Lexical, datelines_in_another_language_read_day_first) {
  const std::function<int(std::string_view)> month = [](std::string_view w) {
    return w == "mar" ? 3 : w == "marzo" ? 3 : 0;
  };
  auto d = lexical::find_dateline("MADRID, 14 mar (EFE) - El Gobierno", &month);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->place, "MADRID");
  EXPECT_EQ(d->month, 3);
  EXPECT_EQ(d->day, 14);
  EXPECT_EQ(d->year, 0);
  d = lexical::find_dateline("MADRID, 14 de marzo de 2024 - El Gobierno", &month);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 2024);
  EXPECT_FALSE(lexical::find_dateline("MADRID, Ana Díaz dijo - nada", &month));
}

}  // namespace wirefeed::stages
