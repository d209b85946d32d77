#include "encode/encode.h"

#include <gtest/gtest.h>

namespace wirefeed::stages {

TEST(Encode, writes_members_in_fixed_order_with_nulls_for_absent_fields) {
  core::Article a;
  a.id = "a1";
  a.title = "T \"q\"";
  a.text = "Body.";
  a.authors = {"Ann"};
  a.add_enrichment("stats").json = R"({"chars":5})";
  a.extra_json = R"({"x":1})";
  a.stages_run = {"decode", "normalize"};
  a.stages_skipped.push_back({"html", "no html"});
  a.has_source = true;
  a.source = {"raw", 3, 42};
  EncodeStage stage("9.9.9");
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  EXPECT_EQ(
      a.output,
      R"({"id":"a1","url":null,"canonical_url":null,"source_name":null,"title":"T \"q\"",)"
      R"("published_at":null,"language":null,"authors":["Ann"],"text":"Body.",)"
      R"("stats":{"chars":5},"extra":{"x":1},"pipeline":{"version":"9.9.9",)"
      R"("stages":["decode","normalize","encode"],"skipped":[{"stage":"html","reason":"no html"}]},)"
      R"("source":{"topic":"raw","partition":3,"offset":42}})");
}

TEST(Encode, derives_an_id_and_writes_null_source_offline) {
  core::Article a;
  a.url = "https://Example.com/story/?utm_source=rss";
  a.text = "Body.";
  EncodeStage stage("1");
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  EXPECT_TRUE(a.id.starts_with("url-"));
  EXPECT_NE(a.output.find(R"("canonical_url":"https://example.com/story")"), std::string::npos);
  EXPECT_TRUE(a.output.ends_with(R"("source":null})"));
}

TEST(Encode, says_which_lists_were_cut_and_by_how_many) {
  core::Article a;
  a.id = "a1";
  a.text = "Body.";
  a.note_truncated("amounts", 216993);
  a.note_truncated("entities", 0);  // nothing cut: not recorded
  a.note_truncated("dates", 2);
  a.note_truncated("amounts", 7);  // the same list again adds up
  EncodeStage stage("1");
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  EXPECT_NE(a.output.find(R"("skipped":[],"truncated":{"amounts":217000,"dates":2}})"),
            std::string::npos)
      << a.output;
  a.reset();
  a.id = "a2";
  ASSERT_TRUE(stage.process(a, scratch).ok());
  EXPECT_EQ(a.output.find("truncated"), std::string::npos) << a.output;
}

TEST(Encode, a_record_over_max_output_bytes_fails_as_output_too_large) {
  core::Article a;
  a.id = "big";
  core::Scratch scratch;
  // Written in full, then found too large: the escaping made it so.
  a.text = std::string(1000, '"');
  core::Status escaped = EncodeStage("1", 1500).process(a, scratch);
  EXPECT_EQ(escaped.code(), core::Code::kOutputTooLarge);
  EXPECT_NE(escaped.message().find("limits.max_output_bytes (1500)"), std::string::npos)
      << escaped.message();
  // Too large before a byte is written: the members alone exceed the cap.
  a.text = std::string(4000, 'x');
  a.add_enrichment("amounts").json = std::string(3000, '1');
  core::Status early = EncodeStage("1", 5000).process(a, scratch);
  EXPECT_EQ(early.code(), core::Code::kOutputTooLarge);
  EXPECT_NE(early.message().find("at least 7011 bytes"), std::string::npos) << early.message();
  // Under the cap the same article encodes.
  EXPECT_TRUE(EncodeStage("1", 8000).process(a, scratch).ok());
  EXPECT_LE(a.output.size(), 8000u);
}

}  // namespace wirefeed::stages
