#include "segment/segment.h"

#include <gtest/gtest.h>

#include "common/lexical.h"
#include "normalize/normalize.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {

struct Segmented {
  std::string text;
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;

  std::vector<std::string> token_texts() const {
    std::vector<std::string> out;
    for (const auto& t : tokens) out.push_back(text.substr(t.begin, t.end - t.begin));
    return out;
  }
  std::string sentence(std::size_t i) const {
    return text.substr(sentences[i].begin, sentences[i].end - sentences[i].begin);
  }
};

Segmented segment(std::string text) {
  Segmented s;
  s.text = std::move(text);
  segment_text(s.text, s.tokens, s.sentences, s.paragraphs);
  return s;
}

}  // namespace

TEST(Segment, splits_punctuation_possessives_and_currency) {
  auto s = segment("Russia’s troops, “100,000” of them, cost $2.5 billion (3%).");
  EXPECT_EQ(s.token_texts(), (std::vector<std::string>{
                                 "Russia", "’s", "troops", ",", "“", "100,000", "”", "of", "them",
                                 ",", "cost", "$", "2.5", "billion", "(", "3", "%", ")", "."}));
  EXPECT_EQ(s.tokens[5].kind, core::TokenKind::kNumber);
  EXPECT_EQ(s.tokens[11].kind, core::TokenKind::kSymbol);
  EXPECT_EQ(s.tokens[3].kind, core::TokenKind::kPunct);
}

TEST(Segment, keeps_abbreviations_initials_and_initialisms_whole) {
  auto s = segment("Secretary Antony J. Blinken met Mr. Price in the U.S. on Dec. 29.");
  auto t = s.token_texts();
  EXPECT_NE(std::find(t.begin(), t.end(), "J."), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "Mr."), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "U.S."), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "Dec."), t.end());
  EXPECT_EQ(t.back(), ".");
  EXPECT_EQ(s.sentences.size(), 1u);
}

TEST(Segment, sentences_end_at_terminators_before_a_capital_and_at_line_breaks) {
  auto s = segment("The call is Thursday. It will be the second! Is it? yes.\n\nNew paragraph");
  ASSERT_EQ(s.sentences.size(), 4u);
  EXPECT_EQ(s.sentence(0), "The call is Thursday.");
  EXPECT_EQ(s.sentence(1), "It will be the second!");
  EXPECT_EQ(s.sentence(2), "Is it? yes.");  // lower case after '?': not a boundary
  EXPECT_EQ(s.sentence(3), "New paragraph");
  EXPECT_EQ(s.paragraphs, 2u);
}

TEST(Segment, a_decimal_number_or_percentage_ends_its_sentence) {
  auto s = segment("The rupee closed at 43.41. Shares fell 9.7%. The U.S. rose.");
  ASSERT_EQ(s.sentences.size(), 3u);
  EXPECT_EQ(s.sentence(0), "The rupee closed at 43.41.");
  EXPECT_EQ(s.sentence(1), "Shares fell 9.7%.");
  EXPECT_EQ(s.token_texts(),
            (std::vector<std::string>{"The", "rupee", "closed", "at", "43.41", ".", "Shares",
                                      "fell", "9.7", "%", ".", "The", "U.S.", "rose", "."}));
}

TEST(Segment, closing_quotes_stay_with_their_sentence) {
  auto s = segment("He said “for there to be real progress in these talks.” They added more.");
  ASSERT_EQ(s.sentences.size(), 2u);
  EXPECT_EQ(s.sentence(0), "He said “for there to be real progress in these talks.”");
}

TEST(Segment, offsets_index_the_text_and_tokens_belong_to_their_sentence) {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  std::string text;
  normalize_text(std::string_view(seed).substr(seed.find("President")), text);
  auto s = segment(text);
  ASSERT_FALSE(s.sentences.empty());
  std::uint32_t expected_first = 0;
  for (const auto& sent : s.sentences) {
    EXPECT_EQ(sent.first_token, expected_first);
    ASSERT_GT(sent.token_count, 0u);
    EXPECT_EQ(sent.begin, s.tokens[sent.first_token].begin);
    EXPECT_EQ(sent.end, s.tokens[sent.first_token + sent.token_count - 1].end);
    expected_first += sent.token_count;
  }
  EXPECT_EQ(expected_first, s.tokens.size());
  for (const auto& t : s.tokens) {
    ASSERT_LT(t.begin, t.end);
    ASSERT_LE(t.end, text.size());
    // Tokens never start or end inside a UTF-8 sequence.
    EXPECT_NE(static_cast<unsigned char>(text[t.begin]) & 0xC0, 0x80);
    if (t.end < text.size()) {
      EXPECT_NE(static_cast<unsigned char>(text[t.end]) & 0xC0, 0x80);
    }
  }
  // The seed's 13 paragraphs hold 16 sentences (gold, counted by hand).
  EXPECT_EQ(s.paragraphs, 13u);
  EXPECT_EQ(s.sentences.size(), 16u);
  EXPECT_EQ(s.sentence(1), "The White House confirmed the call Wednesday.");
}

TEST(Segment, empty_text_has_nothing) {
  auto s = segment("");
  EXPECT_TRUE(s.tokens.empty());
  EXPECT_TRUE(s.sentences.empty());
  EXPECT_EQ(s.paragraphs, 0u);
}

}  // namespace wirefeed::stages

namespace wirefeed::stages {

TEST(Segment, folds_capitals_to_lower_case_keeping_every_byte_offset) {
  std::string out;
  fold_case_keeping_offsets("ÉL DIJO: Über Ärger, ÑANDÚ × 2 in İzmir", out);
  // Latin-1 capitals fold (É Ü Ä Ñ Ú); the multiplication sign and the dotted
  // capital I (whose lower case is longer in UTF-8) stay as they are.
  EXPECT_EQ(out, "él dijo: über ärger, ñandú × 2 in İzmir");
  EXPECT_EQ(out.size(), std::string("ÉL DIJO: Über Ärger, ÑANDÚ × 2 in İzmir").size());
  fold_case_keeping_offsets("ends with \xC3", out);  // a truncated sequence stays
  EXPECT_EQ(out, "ends with \xC3");
}

TEST(Segment, case_folding_changes_exactly_the_ascii_capitals_at_every_position) {
  // Every byte value at every offset of the eight-byte blocks and the tail.
  for (int shift = 0; shift < 9; ++shift) {
    std::string in(static_cast<std::size_t>(shift), 'x');
    for (int b = 1; b < 256; ++b) {
      if (b != 0xC3) in += static_cast<char>(b);
    }
    std::string expected = in;
    for (char& c : expected) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    std::string out;
    fold_case_keeping_offsets(in, out);
    EXPECT_EQ(out, expected) << shift;
  }
}

TEST(Segment, the_lower_cased_text_is_shared_through_the_article) {
  core::Article a;
  a.text = "Madrid, ÁVILA y Roma.";
  SegmentStage stage;
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  EXPECT_EQ(a.lower_text, "madrid, ávila y roma.");
  lexical::LowerTokens lower(a);
  ASSERT_EQ(lower.size(), a.tokens.size());
  EXPECT_EQ(lower[0], "madrid");
  EXPECT_EQ(lower[2], "ávila");
  EXPECT_EQ(lower[2].data(), a.lower_text.data() + a.tokens[2].begin);  // borrowed, not copied
}

}  // namespace wirefeed::stages

namespace wirefeed::stages {

std::size_t sentences_in(const std::string& text, const std::string& language) {
  core::Article a;
  a.text = text;
  a.language = language;
  SegmentStage stage;
  core::Scratch scratch;
  EXPECT_TRUE(stage.process(a, scratch).ok());
  return a.sentences.size();
}

TEST(Segment, the_articles_language_adds_its_abbreviations) {
  const std::string es = "La Sra. García habló con el Dr. Pérez. Después se fue.";
  EXPECT_EQ(sentences_in(es, "es"), 2u);
  EXPECT_EQ(sentences_in(es, "en"), 3u);  // "Sra." is not an English abbreviation
  EXPECT_EQ(sentences_in("Volgens dhr. Jansen is het goed. Hij vertrekt morgen.", "nl"), 2u);
  EXPECT_EQ(sentences_in("Lo ha detto il Dott. Rossi. Poi è partito.", "it"), 2u);
  EXPECT_EQ(sentences_in("Lo ha detto il Dott. Rossi. Poi è partito.", ""), 3u);
}

}  // namespace wirefeed::stages
