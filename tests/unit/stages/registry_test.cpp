#include "wirefeed/stages/registry.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace wirefeed::stages {

using testing::enrich;

TEST(Registry, default_pipeline_is_decode_stages_encode) {
  auto p = build_pipeline(default_stage_names(), {});
  std::vector<std::string_view> expected = {
      "decode",   "validate", "html",        "normalize", "language", "segment",
      "topics",   "stats",    "fingerprint", "simhash",   "dates",    "amounts",
      "entities", "quotes",   "keywords",    "tone",      "summary",  "encode"};
  EXPECT_EQ(p->stage_names(), expected);
}

TEST(Registry, config_can_disable_and_reorder_stages) {
  auto p = build_pipeline({"normalize", "fingerprint"}, {});
  std::vector<std::string_view> expected = {"decode", "normalize", "fingerprint", "encode"};
  EXPECT_EQ(p->stage_names(), expected);
  auto reordered = build_pipeline({"normalize", "segment", "tone", "stats"}, {});
  EXPECT_EQ(
      reordered->stage_names(),
      (std::vector<std::string_view>{"decode", "normalize", "segment", "tone", "stats", "encode"}));
  auto bare = build_pipeline({}, {});
  EXPECT_EQ(bare->size(), 2u);  // decode and encode only
  auto framed = build_pipeline({"decode", "validate", "encode"}, {});
  EXPECT_EQ(framed->size(), 3u);
}

TEST(Registry, unknown_repeated_or_misplaced_stages_fail_with_a_clear_message) {
  try {
    build_pipeline({"normalise"}, {});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown stage 'normalise'"), std::string::npos);
  }
  EXPECT_THROW(build_pipeline({"validate", "validate"}, {}), std::invalid_argument);
  EXPECT_THROW(build_pipeline({"validate", "decode"}, {}), std::invalid_argument);
}

std::string build_error(const std::vector<std::string>& names, const StageOptions& options = {}) {
  try {
    build_pipeline(names, options);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, a_stage_listed_before_what_it_needs_fails_at_build_naming_both) {
  EXPECT_EQ(build_error({"fingerprint", "normalize"}),
            "pipeline.stages: 'fingerprint' needs the clean text, which 'normalize' provides: "
            "list 'normalize' before 'fingerprint'");
  EXPECT_EQ(build_error({"normalize", "stats", "segment"}),
            "pipeline.stages: 'stats' needs segmented text, which 'segment' provides: list "
            "'segment' before 'stats'");
  EXPECT_NE(build_error({"validate", "stats"}).find("'stats' needs segmented text"),
            std::string::npos);
}

TEST(Registry, every_stage_that_needs_something_has_a_provider_earlier_in_the_default_order) {
  Capabilities available = 0;
  for (const StageInfo& info : configurable_stages()) {
    EXPECT_EQ(info.needs & ~available, 0u) << info.name;
    available |= info.provides;
  }
  EXPECT_NO_THROW(build_pipeline(default_stage_names(), {}));
}

TEST(Registry, stage_options_are_checked_against_what_the_stage_declares) {
  StageOptions options;
  options.settings["summary.sentences"] = "3";
  EXPECT_NO_THROW(build_pipeline(default_stage_names(), options));

  options.settings["summary.sentences"] = "9";
  EXPECT_EQ(build_error({"normalize"}, options),
            "config key 'stages.summary.sentences': '9' is not an integer from 1 to 8");
  options.settings["summary.sentences"] = "two";
  EXPECT_NE(build_error({"normalize"}, options).find("'two' is not an integer"), std::string::npos);

  options.settings = {{"summary.sentense", "2"}};
  EXPECT_EQ(build_error({}, options),
            "config key 'stages.summary.sentense': stage 'summary' has no option 'sentense' "
            "(known: sentences)");
  options.settings = {{"sumary.sentences", "2"}};
  EXPECT_NE(build_error({}, options).find("no stage 'sumary'"), std::string::npos);
  options.settings = {{"fingerprint.bits", "2"}};
  EXPECT_NE(build_error({}, options).find("has no option 'bits' (it has none)"), std::string::npos);
}

TEST(Registry, a_stage_option_reaches_the_stage) {
  const std::string raw = R"({"body":"The council voted on the new budget on Monday evening. )"
                          R"(The mayor said the plan would fund three new schools. )"
                          R"(Opposition members asked for more time to read it. )"
                          R"(A final vote is expected next month."})";
  StageOptions options;
  options.settings["summary.sentences"] = "3";
  auto pipeline = build_pipeline(default_stage_names(), options);
  core::Pipeline::ThreadState state(*pipeline);
  core::Article a;
  a.raw = raw;
  ASSERT_TRUE(pipeline->run(a, state).ok());
  EXPECT_NE(a.output.find("to read it.\",\"sentences\""), std::string::npos) << a.output;
  options.settings["summary.sentences"] = "1";
  auto one = build_pipeline(default_stage_names(), options);
  core::Pipeline::ThreadState one_state(*one);
  core::Article b;
  b.raw = raw;
  ASSERT_TRUE(one->run(b, one_state).ok());
  EXPECT_NE(b.output.find("Monday evening.\",\"sentences\""), std::string::npos) << b.output;
}

TEST(Registry, the_example_config_documents_every_stage_option_with_its_default) {
  const std::string example =
      testing::read_file(testing::source_path("deploy/config.example.yaml"));
  const std::size_t section = example.find("\nstages:\n");
  ASSERT_NE(section, std::string::npos);
  for (const StageInfo& info : configurable_stages()) {
    for (const StageOption& option : info.options) {
      const std::size_t stage_at = example.find("\n  " + std::string(info.name) + ":\n", section);
      ASSERT_NE(stage_at, std::string::npos) << info.name;
      const std::string line =
          "\n    " + std::string(option.name) + ": " + std::string(option.default_value);
      EXPECT_NE(example.find(line, stage_at), std::string::npos)
          << "stages." << info.name << "." << option.name << " = " << option.default_value;
    }
  }
}

TEST(SeedArticle, yields_its_gold_fields) {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  auto e = enrich(seed);
  ASSERT_TRUE(e.result.ok()) << e.result.status.message();
  const auto& a = e.article;
  EXPECT_EQ(a.published_at, "2021-12-29");
  EXPECT_TRUE(
      a.text.starts_with("President Biden and Vladimir Putin will speak by phone Thursday"));
  EXPECT_TRUE(a.text.ends_with("in Central and Eastern Europe."));
  EXPECT_TRUE(a.id.starts_with("txt-"));
  EXPECT_NE(a.output.find(R"("published_at":"2021-12-29")"), std::string::npos);
  EXPECT_NE(a.output.find(R"("sentences":16,"paragraphs":13)"), std::string::npos);
  std::string out;
  EXPECT_TRUE(testing::validate_against_schema({a.output}, "enriched_article.schema.json", &out))
      << out;
}

TEST(SampleArticles, every_sample_enriches_and_validates_in_four_languages) {
  auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
  ASSERT_GE(lines.size(), 50u);
  std::vector<std::string> outputs;
  std::set<std::string> languages;
  for (const auto& line : lines) {
    auto e = enrich(line);
    ASSERT_TRUE(e.result.ok()) << line.substr(0, 80) << ": " << e.result.status.message();
    outputs.push_back(e.article.output);
    languages.insert(e.article.language);
  }
  EXPECT_EQ(languages, (std::set<std::string>{"en", "es", "it", "nl"}));
  std::string out;
  EXPECT_TRUE(testing::validate_against_schema(outputs, "enriched_article.schema.json", &out))
      << out;
  EXPECT_TRUE(testing::validate_against_schema(lines, "raw_article.schema.json", &out)) << out;
}

TEST(SampleArticles, output_is_byte_identical_across_runs_and_threads) {
  auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
  auto pipeline = build_pipeline(default_stage_names(), {});
  std::vector<std::string> first;
  {
    core::Pipeline::ThreadState state(*pipeline);
    for (const auto& line : lines) {
      core::Article a;
      a.raw = line;
      ASSERT_TRUE(pipeline->run(a, state).ok());
      first.push_back(a.output);
    }
  }
  // Again, reusing one Article for every record (the worker's pattern).
  core::Pipeline::ThreadState state(*pipeline);
  core::Article reused;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    reused.reset();
    reused.raw = lines[lines.size() - 1 - i];
    ASSERT_TRUE(pipeline->run(reused, state).ok());
    EXPECT_EQ(reused.output, first[lines.size() - 1 - i]);
  }
}

TEST(SampleArticles, unknown_input_fields_pass_through_under_extra) {
  auto lines = testing::read_lines(testing::source_path("data/samples/articles.jsonl"));
  auto with_dateline = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("\"dateline\"") != std::string::npos;
  });
  ASSERT_NE(with_dateline, lines.end());
  auto e = enrich(*with_dateline);
  ASSERT_TRUE(e.result.ok());
  EXPECT_NE(e.article.output.find("\"extra\":{\"dateline\":"), std::string::npos);
}

TEST(HostileInput, never_crashes_and_always_has_a_reason) {
  std::vector<std::string> inputs = {"",
                                     "{",
                                     "}",
                                     "[]",
                                     "null",
                                     "{\"body\":",
                                     "{\"body\":\"\\ud800\"}",
                                     std::string(1, '\0'),
                                     std::string("{\"body\":\"a\0b\"}", 14),
                                     "{\"html\":\"<script>" + std::string(1000, '<') + "\"}",
                                     "{\"body\":\"x\",\"a\":{\"b\":{\"c\":[[[[[[[[[[]]]]]]]]]]}}}",
                                     "\xEF\xBB\xBFplain with BOM",
                                     "{\"body\":\"&#99999999999;&#x;&;&#;\"}"};
  for (const auto& in : inputs) {
    auto e = enrich(in);
    // A stage that throws or breaks an invariant surfaces as kInternal: that is
    // the crash this test exists to catch, so it must never be the outcome.
    EXPECT_NE(e.result.status.code(), core::Code::kInternal)
        << "input of " << in.size() << " bytes: " << e.result.status.message();
    if (!e.result.ok()) {
      EXPECT_FALSE(e.result.stage.empty());
      EXPECT_FALSE(e.result.status.message().empty());
    }
  }
}

}  // namespace wirefeed::stages
