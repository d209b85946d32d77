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

}  // namespace wirefeed::stages
