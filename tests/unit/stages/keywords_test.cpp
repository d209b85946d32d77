#include "keywords/keywords.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/lexical.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
std::vector<std::string> phrases(const core::Article& a, std::size_t top = KeywordsStage::kTop) {
  std::vector<std::string> out;
  for (auto& k : extract_keywords(a.text, a.tokens, a.sentences, top)) out.push_back(k.phrase);
  return out;
}
bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(Keywords, seed_article_key_phrases) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  auto p = phrases(e.article);
  ASSERT_EQ(p.size(), 10u);
  for (std::string_view want :
       {"Vladimir Putin", "Ukraine", "Eastern Europe", "NATO", "Biden", "White House"}) {
    EXPECT_TRUE(has(p, want)) << want;
  }
  // "Putin" alone is inside "Vladimir Putin"; weekdays are dates, not topics.
  EXPECT_FALSE(has(p, "Putin"));
  EXPECT_FALSE(has(p, "Thursday"));
  EXPECT_EQ(p.front(), "Vladimir Putin");
}

TEST(Keywords, no_stop_words_dates_or_long_phrases_in_any_committed_sample) {
  std::string buf;
  int articles = 0;
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    auto e = testing::enrich(line);
    if (core::content_language(e.article) != "en") continue;
    ++articles;
    for (const auto& phrase : phrases(e.article)) {
      std::string_view first = std::string_view(phrase).substr(0, phrase.find(' '));
      std::string_view last = std::string_view(phrase).substr(phrase.rfind(' ') + 1);
      EXPECT_FALSE(lexical::is_stopword(lexical::lower(first, buf))) << phrase;
      EXPECT_FALSE(lexical::is_stopword(lexical::lower(last, buf))) << phrase;
      EXPECT_FALSE(lexical::month_of(first) || lexical::weekday_of(first) >= 0) << phrase;
      EXPECT_LE(std::count(phrase.begin(), phrase.end(), ' '), 2) << phrase;
    }
  }
  EXPECT_GE(articles, 30);
}

TEST(Keywords, scores_ascend_and_output_is_deterministic) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  auto a = extract_keywords(e.article.text, e.article.tokens, e.article.sentences, 10);
  auto b = extract_keywords(e.article.text, e.article.tokens, e.article.sentences, 10);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].phrase, b[i].phrase);
    if (i) EXPECT_LE(a[i - 1].score, a[i].score);
  }
  EXPECT_EQ(a[1].phrase, "Ukraine");
  EXPECT_EQ(a[1].count, 9u);
}

TEST(Keywords, empty_and_non_english_texts) {
  core::Article empty;
  EXPECT_TRUE(phrases(empty).empty());
  // French has no data/lang/fr/stopwords.txt: skipped, with the reason.
  auto e = testing::enrich(
      R"({"body":"La Bourse de Paris a fini la séance en nette hausse aujourd'hui, après une )"
      R"(semaine de pertes, portée par les valeurs bancaires et par le secteur automobile."})");
  EXPECT_TRUE(testing::enrichment(e.article, "keywords").empty());
  bool skipped = false;
  for (const auto& s : e.article.stages_skipped) skipped |= s.stage == "keywords";
  EXPECT_TRUE(skipped);
}

}  // namespace wirefeed::stages
