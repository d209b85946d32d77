#include "keywords/keywords.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/lexical.h"
#include "resources/resources.h"
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
    if (i) {
      EXPECT_LE(a[i - 1].score, a[i].score);
    }
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

namespace {
// A committed MEANTIME sample (CC BY 4.0, data/NOTICE) by its id.
testing::Enriched sample(std::string_view id) {
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    if (line.find("\"id\":\"" + std::string(id) + "\"") != std::string::npos) {
      return testing::enrich(line);
    }
  }
  ADD_FAILURE() << "no sample " << id;
  return {};
}
}  // namespace

// The translations of MEANTIME's "Ford to close plants" (gm-31706): the names,
// and the plants counted over every inflection through the language's stemmer
// ("planta" and "plantas" are one term).
TEST(KeywordsLanguages, gold_phrases_of_a_meantime_article_in_es_it_nl) {
  struct Gold {
    std::string_view id, name, stemmed;
    std::uint32_t min_count;
  };
  for (const Gold& g : {Gold{"meantime-es-gm-31706", "Ford Motor Company", "plantas", 15},
                        Gold{"meantime-it-gm-31706", "Ford Motor Company", "stabilimenti", 13},
                        Gold{"meantime-nl-gm-31706", "Ford Motor Company", "fabrieken", 18}}) {
    auto e = sample(g.id);
    ASSERT_TRUE(e.result.ok()) << g.id;
    const std::string json = testing::enrichment(e.article, "keywords");
    EXPECT_NE(json.find("\"phrase\":\"" + std::string(g.name) + "\""), std::string::npos) << json;
    const std::string stemmed = "\"phrase\":\"" + std::string(g.stemmed) + "\"";
    const std::size_t at = json.find(stemmed);
    ASSERT_NE(at, std::string::npos) << json;
    const std::size_t count_at = json.find("\"count\":", at);
    EXPECT_GE(std::stoul(json.substr(count_at + 8)), g.min_count) << json;
  }
}

TEST(KeywordsLanguages, stop_words_month_names_and_verb_forms_are_no_keywords) {
  KeywordStopWords es(resources::find("lang/es/stopwords.txt"),
                      resources::find("lang/es/dates.tsv"), resources::find("lang/es/amounts.tsv"));
  EXPECT_TRUE(es.contains("según"));
  EXPECT_TRUE(es.contains("marzo"));     // dates.tsv
  EXPECT_TRUE(es.contains("millones"));  // amounts.tsv
  EXPECT_FALSE(es.contains("planta"));
  EXPECT_TRUE(es.verb_like("entregó", "entregó"));
  EXPECT_FALSE(es.verb_like("Entregó", "entregó"));  // a capital: a name
  KeywordStopWords it(resources::find("lang/it/stopwords.txt"), {}, {});
  EXPECT_EQ(it.elision("dell'aeronautica"), 5u);
  EXPECT_EQ(it.elision("aeronautica"), 0u);
  EXPECT_THROW(KeywordStopWords("# nothing\n", {}, {}), std::runtime_error);
  EXPECT_THROW(KeywordStopWords("two words\n", {}, {}), std::runtime_error);
}

TEST(KeywordsLanguages, snowball_stems_each_language_and_unknown_codes_fail) {
  Stemmer es("es"), it("it"), nl("nl");
  EXPECT_EQ(std::string(es.stem("aviones")), std::string(es.stem("avión")));
  EXPECT_EQ(std::string(it.stem("stabilimenti")), std::string(it.stem("stabilimento")));
  EXPECT_EQ(std::string(nl.stem("fabrieken")), std::string(nl.stem("fabriek")));
  EXPECT_THROW(Stemmer("xx"), std::runtime_error);
}

TEST(KeywordsLanguages, top_is_configurable_and_output_is_deterministic) {
  auto e = sample("meantime-it-gm-125796");
  ASSERT_TRUE(e.result.ok());
  core::Article& a = e.article;
  KeywordsStage three(3);
  auto scratch = three.new_scratch();
  a.enrichment_count = 0;
  ASSERT_TRUE(three.process(a, *scratch).ok());
  const std::string first = testing::enrichment(a, "keywords");
  EXPECT_EQ(std::count(first.begin(), first.end(), '{'), 3) << first;
  a.enrichment_count = 0;
  core::Scratch plain;  // without the stage's Scratch: stemmers of its own, same result
  ASSERT_TRUE(three.process(a, plain).ok());
  EXPECT_EQ(testing::enrichment(a, "keywords"), first);
}

}  // namespace wirefeed::stages
