#include "simhash/simhash.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <bit>

#include "test_support.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {
std::uint64_t simhash_of_record(const std::string& raw) {
  auto e = testing::enrich(raw);
  EXPECT_TRUE(e.result.ok());
  std::string json = testing::enrichment(e.article, "simhash");
  simdjson::dom::parser parser;
  std::string_view hex = parser.parse(json)["simhash64"];
  return std::stoull(std::string(hex), nullptr, 16);
}

std::string body_record(std::string_view body) {
  std::string out = R"({"body":)";
  core::json::append_string(out, body);
  return out + "}";
}

int distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }
}  // namespace

TEST(Simhash, ignores_case_spacing_and_punctuation) {
  auto a = simhash_of_record(body_record(
      "The White House confirmed the call Wednesday. It will mark the second direct talks."));
  auto b = simhash_of_record(body_record(
      "the white house  confirmed the call, Wednesday -- it will mark the SECOND direct talks"));
  EXPECT_EQ(a, b);
}

// The seed article and its copy with one sentence reworded are near-duplicates;
// the committed Wikinews and MEANTIME articles are unrelated to it.
TEST(Simhash, edited_copies_are_close_and_unrelated_articles_are_far) {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  std::string edited = seed;
  auto at = edited.find("The White House confirmed the call Wednesday.");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 46, "On Wednesday the White House confirmed that the call would happen.");
  std::uint64_t original = simhash_of_record(seed);
  EXPECT_LE(distance(original, simhash_of_record(edited)), 6);

  int min_unrelated = 64;
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    min_unrelated = std::min(min_unrelated, distance(original, simhash_of_record(line)));
  }
  EXPECT_GE(min_unrelated, 12);
}

TEST(Simhash, short_texts_use_their_words_and_empty_text_is_skipped) {
  core::Article a;
  a.text = "Markets rallied";
  a.tokens = {{0, 7, core::TokenKind::kWord}, {8, 15, core::TokenKind::kWord}};
  a.segmented = true;
  std::uint32_t shingles = 0;
  simhash_of(a.text, a.tokens, &shingles);
  EXPECT_EQ(shingles, 2u);

  core::Article empty;
  empty.segmented = true;
  SimhashStage stage;
  core::Scratch scratch;
  EXPECT_TRUE(stage.process(empty, scratch).is_skipped());
}

}  // namespace wirefeed::stages
