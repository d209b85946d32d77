#include "decode/decode.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace wirefeed::stages {

namespace {

struct Decoded {
  core::Article article;
  core::Status status;
};

Decoded decode(std::string_view raw, std::size_t max_bytes = 1 << 20) {
  DecodeStage stage(max_bytes);
  auto scratch = stage.new_scratch();
  Decoded d;
  d.article.raw = raw;
  d.status = stage.process(d.article, *scratch);
  return d;
}

}  // namespace

TEST(Decode, reads_every_known_field) {
  auto d = decode(R"({"id":"a1","url":"https://x.org/a","source":"Wikinews","title":"T",
    "body":"B","html":"<p>H</p>","published_at":"2019-01-04","language":"en",
    "authors":["Ann","Bo"]})");
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  const auto& a = d.article;
  EXPECT_EQ(a.id, "a1");
  EXPECT_EQ(a.url, "https://x.org/a");
  EXPECT_EQ(a.source_name, "Wikinews");
  EXPECT_EQ(a.title, "T");
  EXPECT_EQ(a.body, "B");
  EXPECT_EQ(a.html, "<p>H</p>");
  EXPECT_EQ(a.published_at, "2019-01-04");
  EXPECT_EQ(a.language, "en");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Ann", "Bo"}));
  EXPECT_TRUE(a.has_body && a.has_html);
  EXPECT_TRUE(a.extra_json.empty());
}

TEST(Decode, unescapes_strings) {
  auto d = decode(R"({"body":"line\nnext \u00e9 \"q\" \ud83d\udcf0"})");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.article.body, "line\nnext é \"q\" \xF0\x9F\x93\xB0");
}

TEST(Decode, keeps_unknown_fields_verbatim_including_nested_ones) {
  auto d = decode(R"({"body":"x", "dateline" : "Friday, January 4, 2019" ,
                      "meta":{"tags":["a", {"k": null}], "n": 1.5e3}, "flag": true})");
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(
      d.article.extra_json,
      R"({"dateline":"Friday, January 4, 2019","meta":{"tags":["a", {"k": null}], "n": 1.5e3},"flag":true})");
}

TEST(Decode, null_fields_are_absent) {
  auto d = decode(R"({"body":"x","url":null,"authors":null,"html":null})");
  ASSERT_TRUE(d.status.ok());
  EXPECT_TRUE(d.article.url.empty());
  EXPECT_FALSE(d.article.has_html);
  EXPECT_FALSE(d.article.has_authors);
}

TEST(Decode, a_single_author_string_is_one_author) {
  auto d = decode(R"({"body":"x","authors":"Ned Price"})");
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.article.authors, std::vector<std::string>{"Ned Price"});
}

TEST(Decode, plain_text_payload_with_date_marker_is_the_seed_article) {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  auto d = decode(seed);
  ASSERT_TRUE(d.status.ok());
  EXPECT_TRUE(d.article.plain_text);
  EXPECT_EQ(d.article.published_at, "2021-12-29");
  EXPECT_TRUE(d.article.body.starts_with("President Biden and Vladimir Putin will speak"));
  EXPECT_EQ(d.article.body.find("date 2021"), std::string::npos);
}

TEST(Decode, plain_text_without_marker_keeps_everything) {
  auto d = decode("Markets fell on Tuesday.\n");
  ASSERT_TRUE(d.status.ok());
  EXPECT_TRUE(d.article.published_at.empty());
  EXPECT_EQ(d.article.body, "Markets fell on Tuesday.\n");
  // "date" followed by something that is not a date is just text.
  EXPECT_EQ(decode("date night in Paris").article.body, "date night in Paris");
}

TEST(Decode, bad_input_gets_a_clear_reason) {
  EXPECT_EQ(decode("").status.code(), core::Code::kEmptyMessage);
  EXPECT_EQ(decode(" \n\t").status.code(), core::Code::kEmptyMessage);
  EXPECT_EQ(decode(R"({"body": "cut)").status.code(), core::Code::kMalformedJson);
  EXPECT_EQ(decode(R"({"body": "x"} trailing)").status.code(), core::Code::kMalformedJson);
  EXPECT_EQ(decode(R"({"body": "x"}{"body": "y"})").status.code(), core::Code::kMalformedJson);
  EXPECT_EQ(decode(R"({"body": "x", "extra": [1,,2]})").status.code(), core::Code::kMalformedJson);
  EXPECT_EQ(decode(R"({"body": "x", "n": tru})").status.code(), core::Code::kMalformedJson);
  EXPECT_EQ(decode(std::string("{\"body\": \"caf\xE9\"}")).status.code(), core::Code::kInvalidUtf8);
  EXPECT_EQ(decode(std::string("caf\xE9 plain")).status.code(), core::Code::kInvalidUtf8);
  EXPECT_EQ(decode(R"({"id": 42, "body": "x"})").status.code(), core::Code::kInvalidField);
  EXPECT_EQ(decode(R"({"body": ["x"]})").status.code(), core::Code::kInvalidField);
  EXPECT_EQ(decode(R"({"body": "x", "authors": [1]})").status.code(), core::Code::kInvalidField);
}

TEST(Decode, oversize_messages_are_refused_before_parsing) {
  std::string big = R"({"body":")" + std::string(100, 'x') + "\"}";
  auto d = decode(big, 50);
  EXPECT_EQ(d.status.code(), core::Code::kOversizeMessage);
  EXPECT_NE(d.status.message().find("50"), std::string::npos);
}

TEST(Decode, deeply_nested_unknown_fields_do_not_crash) {
  std::string deep =
      R"({"body":"x","deep":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  auto d = decode(deep);
  EXPECT_TRUE(d.status.is_failure());
  EXPECT_EQ(d.status.code(), core::Code::kMalformedJson);
}

TEST(Decode, scratch_is_reused_across_records_without_leaking_fields) {
  DecodeStage stage(1 << 20);
  auto scratch = stage.new_scratch();
  core::Article a;
  std::string first = R"({"id":"1","body":"a long first body","x":1})";
  std::string second = R"({"body":"b"})";
  a.raw = first;
  ASSERT_TRUE(stage.process(a, *scratch).ok());
  a.reset();
  a.raw = second;
  ASSERT_TRUE(stage.process(a, *scratch).ok());
  EXPECT_TRUE(a.id.empty());
  EXPECT_EQ(a.body, "b");
  EXPECT_TRUE(a.extra_json.empty());
}

}  // namespace wirefeed::stages
