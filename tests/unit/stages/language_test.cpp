#include "language/language.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "test_support.h"

namespace wirefeed::stages {

namespace {
struct Detection {
  std::string code;
  double confidence = 0;
  bool reliable = false;
};

Detection detection_of(const core::Article& article) {
  std::string json = testing::enrichment(article, "language_detection");
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  Detection d;
  d.code = std::string(std::string_view(doc["code"]));
  d.confidence = double(doc["confidence"]);
  d.reliable = bool(doc["reliable"]);
  return d;
}
}  // namespace

// The committed samples: CC BY Wikinews and MEANTIME articles in en, es, it, nl,
// each labelled with its language by the corpus.
TEST(Language, detects_the_language_of_every_committed_sample) {
  auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
  ASSERT_GE(lines.size(), 40u);
  std::map<std::string, int> per_language;
  for (const auto& line : lines) {
    simdjson::dom::parser parser;
    std::string expected(std::string_view(parser.parse(line)["language"]));
    auto e = testing::enrich(line);
    ASSERT_TRUE(e.result.ok()) << line.substr(0, 80);
    Detection d = detection_of(e.article);
    EXPECT_EQ(d.code, expected) << line.substr(0, 120);
    EXPECT_TRUE(d.reliable) << line.substr(0, 120);
    EXPECT_GT(d.confidence, 0.8);
    ++per_language[expected];
  }
  EXPECT_EQ(per_language.size(), 4u);  // en, es, it, nl all exercised
}

TEST(Language, seed_article_is_reliable_english) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  Detection d = detection_of(e.article);
  EXPECT_EQ(d.code, "en");
  EXPECT_TRUE(d.reliable);
  // The input had no language: the reliable detection fills it in.
  EXPECT_EQ(e.article.language, "en");
  EXPECT_TRUE(english_or_unknown(e.article));
}

TEST(Language, very_short_text_is_unknown_not_a_guess) {
  auto e = testing::enrich(R"({"body":"Hi."})");
  ASSERT_TRUE(e.result.ok());
  Detection d = detection_of(e.article);
  EXPECT_EQ(d.code, "und");
  EXPECT_FALSE(d.reliable);
  EXPECT_EQ(d.confidence, 0);
  EXPECT_TRUE(e.article.language.empty());     // nothing invented
  EXPECT_TRUE(english_or_unknown(e.article));  // unknown: English-only stages still try
}

TEST(Language, a_reliable_detection_overrides_a_wrong_input_label_for_later_stages) {
  // MEANTIME's Spanish translation of an Apple story, labelled "en" by mistake.
  auto e = testing::enrich(
      R"({"language":"en","body":"Apple ha presentado hoy su nuevo teléfono en San Francisco. )"
      R"(La compañía espera vender millones de unidades antes de fin de año."})");
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(e.article.language, "en");  // the input's field is reported as given
  EXPECT_EQ(detection_of(e.article).code, "es");
  EXPECT_EQ(core::content_language(e.article), "es");
  EXPECT_FALSE(english_or_unknown(e.article));
  EXPECT_EQ(not_english_reason(e.article), "English only; the article's language is es");
}

TEST(Language, input_language_is_the_fallback_when_detection_is_unsure) {
  auto e = testing::enrich(R"({"language":"de-AT","body":"Ok."})");
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(core::content_language(e.article), "de");
  EXPECT_FALSE(english_or_unknown(e.article));
}

}  // namespace wirefeed::stages
