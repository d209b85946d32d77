#include "tone/tone.h"

#include <gtest/gtest.h>

#include "segment/segment.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
const ToneStage& stage() {
  static const ToneStage kStage;
  return kStage;
}

ToneScores score(std::string_view text) {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  return score_tone(stage().lexicon(), text, tokens, sentences);
}
}  // namespace

TEST(Tone, the_compiled_in_lexicon_is_vader) {
  // 7,520 lines, 7,506 distinct tokens (../shared/data/README.md).
  EXPECT_EQ(stage().lexicon().size(), 7506u);
  EXPECT_FLOAT_EQ(stage().lexicon().valence("crisis"), -3.1f);
  EXPECT_FLOAT_EQ(stage().lexicon().valence("peacefully"), 2.4f);
}

TEST(Tone, gdelt_percentages_count_words) {
  // 9 words: "good" positive, "war" negative.
  ToneScores s = score("The talks were good but the war goes on.");
  EXPECT_EQ(s.words, 9u);
  EXPECT_EQ(s.positive_words, 1u);
  EXPECT_EQ(s.negative_words, 1u);
  EXPECT_DOUBLE_EQ(s.positive, 11.11);
  EXPECT_DOUBLE_EQ(s.negative, 11.11);
  EXPECT_DOUBLE_EQ(s.polarity, 22.22);
  EXPECT_DOUBLE_EQ(s.tone, 0);
  // "but": the war clause weighs 1.5x, the good clause 0.5x: net negative.
  EXPECT_LT(s.compound, 0);
}

TEST(Tone, negation_flips_and_intensifiers_strengthen) {
  EXPECT_GT(score("The outcome was good.").compound, 0);
  EXPECT_LT(score("The outcome was not good.").compound, 0);
  EXPECT_LT(score("The outcome wasn't good.").compound, 0);
  EXPECT_GT(score("The outcome was very good.").compound, score("The outcome was good.").compound);
  EXPECT_LT(score("The outcome was slightly good.").compound,
            score("The outcome was good.").compound);
  // ALL CAPS is emphasis in mixed-case text.
  EXPECT_GT(score("The outcome was GOOD.").compound, score("The outcome was good.").compound);
}

TEST(Tone, names_inside_a_sentence_are_not_sentiment) {
  EXPECT_EQ(score("He spoke with the United States envoy.").positive_words, 0u);
  EXPECT_EQ(score("United we stand.").positive_words, 1u);  // sentence-initial: a word
}

// The seed article: a crisis story whose lexicon words are balanced; its tone
// is small and its polarity clearly non-zero.
TEST(Tone, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  std::string json = testing::enrichment(e.article, "tone");
  ASSERT_FALSE(json.empty());
  EXPECT_NE(json.find("\"words\":498"), std::string::npos) << json;
  ToneScores s = score(e.article.text);
  EXPECT_GT(s.negative_words, 10u);  // crisis, war, attack, conflict, warning, ...
  EXPECT_GT(s.polarity, 5);
  EXPECT_LT(std::abs(s.tone), 2);
}

TEST(Tone, other_languages_are_skipped_with_a_reason) {
  auto e = testing::enrich(
      R"({"body":"La Borsa di Milano ha chiuso in forte rialzo dopo una settimana difficile."})");
  ASSERT_TRUE(e.result.ok());
  EXPECT_TRUE(testing::enrichment(e.article, "tone").empty());
  bool skipped = false;
  for (const auto& s : e.article.stages_skipped) {
    if (s.stage == "tone") {
      skipped = true;
      EXPECT_EQ(s.reason, "English only; the article's language is it");
    }
  }
  EXPECT_TRUE(skipped);
}

}  // namespace wirefeed::stages
