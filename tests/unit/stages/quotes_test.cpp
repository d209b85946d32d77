#include "quotes/quotes.h"

#include <gtest/gtest.h>

#include "segment/segment.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
// "quote start… | speaker | mention | verb" per quote.
std::vector<std::string> quotes(std::string_view text) {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  std::vector<std::string> out;
  for (const auto& q : find_quotes(text, tokens, sentences)) {
    std::string quoted(text.substr(q.begin, std::min<std::uint32_t>(q.end - q.begin, 24)));
    out.push_back(quoted + (q.partial ? " (partial)" : "") + " | " + q.speaker + " | " +
                  std::string(text.substr(q.mention_begin, q.mention_end - q.mention_begin)) +
                  " | " + std::string(q.verb));
  }
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST(Quotes, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(quotes(e.article.text),
            (V{"We are at a moment of cr | senior administration official | a senior "
               "administration official | told",
               // "the official" refers back to the senior administration official.
               "We continue to be gravel | senior administration official | the official | said",
               "for there to be real pro (partial) | senior administration official | they | added",
               "reiterated the United St (partial) | Ned Price | State Department spokesman Ned "
               "Price | said"}));
  std::string json = testing::enrichment(e.article, "quotes");
  EXPECT_NE(json.find(R"("speaker":"Ned Price","speaker_mention":"State Department spokesman )"
                      R"(Ned Price")"),
            std::string::npos)
      << json;
}

TEST(Quotes, attribution_patterns) {
  EXPECT_EQ(quotes("\xE2\x80\x9CWe will rebuild the town,\xE2\x80\x9D said Mayor Ann Lee, "
                   "standing by the river."),
            (V{"We will rebuild the town | Ann Lee | Mayor Ann Lee | said"}));
  EXPECT_EQ(quotes("Prime Minister Boris Johnson said: \"We must get Brexit done now.\""),
            (V{"We must get Brexit done  | Boris Johnson | Prime Minister Boris Johnson | said"}));
  EXPECT_EQ(quotes("The storm was \"the worst in a century,\" according to the Met Office."),
            (V{"the worst in a century, (partial) | Met Office | the Met Office | according to"}));
  EXPECT_EQ(quotes("\xE2\x80\x9CThe deal is done,\xE2\x80\x9D Jennifer Lu of the Coalition told "
                   "reporters."),
            (V{"The deal is done, | Jennifer Lu | Jennifer Lu of the Coalition | told"}));
}

TEST(Quotes, pronouns_and_descriptions_resolve_to_earlier_speakers) {
  EXPECT_EQ(quotes("\xE2\x80\x9CPrices will rise again,\xE2\x80\x9D Chancellor Olaf Scholz said. "
                   "\xE2\x80\x9CWe are ready for it,\xE2\x80\x9D he added.\n\n"
                   "\xE2\x80\x9CThe plan is sound,\xE2\x80\x9D a senior official said. "
                   "\xE2\x80\x9CIt will work,\xE2\x80\x9D the official added."),
            (V{"Prices will rise again, | Olaf Scholz | Chancellor Olaf Scholz | said",
               "We are ready for it, | Olaf Scholz | he | added",
               "The plan is sound, | senior official | a senior official | said",
               "It will work, | senior official | the official | added"}));
}

TEST(Quotes, multi_paragraph_quotes_and_continuing_speakers) {
  // News style: the quote reopens at each paragraph and closes at the last.
  EXPECT_EQ(
      quotes("Lee said: \xE2\x80\x9CThe first part of the answer.\n\n"
             "\xE2\x80\x9CThe second part of it.\xE2\x80\x9D\n\n"
             "\xE2\x80\x9C"
             "And a third paragraph here.\xE2\x80\x9D"),
      (V{"The first part of the an | Lee | Lee | said", "And a third paragraph he | Lee |  | "}));
}

TEST(Quotes, scare_quotes_and_unattributed_quotes) {
  EXPECT_EQ(quotes("The so-called \"peace plan\" failed."), V{});
  EXPECT_EQ(quotes("\xE2\x80\x9CNo comment at all today.\xE2\x80\x9D"),
            (V{"No comment at all today. |  |  | "}));
}

TEST(Quotes, hostile_punctuation_does_not_break_it) {
  EXPECT_EQ(quotes("\xE2\x80\x9C\xE2\x80\x9C\xE2\x80\x9D\" \" \"\xE2\x80\x9D\xE2\x80\x9C"), V{});
  EXPECT_EQ(quotes("He said \"unclosed quote runs to the end"), V{});
}

TEST(Quotes, the_list_is_capped_at_max_items_and_the_cut_recorded) {
  core::Article a;
  a.text =
      "\"We will win this one,\" Lee said. \"We will win the next,\" Lee said. "
      "\"We will win them all,\" Lee said.";
  segment_text(a.text, a.tokens, a.sentences, a.paragraphs);
  a.segmented = true;
  core::Scratch scratch;
  ASSERT_TRUE(QuotesStage(2).process(a, scratch).ok());
  std::string json = testing::enrichment(a, "quotes");
  EXPECT_NE(json.find("win the next"), std::string::npos) << json;
  EXPECT_EQ(json.find("win them all"), std::string::npos) << json;
  ASSERT_EQ(a.truncations.size(), 1u);
  EXPECT_EQ(a.truncations[0].list, "quotes");
  EXPECT_EQ(a.truncations[0].cut, 1u);

  core::Article b;
  b.text = a.text;
  segment_text(b.text, b.tokens, b.sentences, b.paragraphs);
  b.segmented = true;
  ASSERT_TRUE(QuotesStage().process(b, scratch).ok());
  EXPECT_NE(testing::enrichment(b, "quotes").find("win them all"), std::string::npos);
  EXPECT_TRUE(b.truncations.empty());
}

}  // namespace wirefeed::stages
