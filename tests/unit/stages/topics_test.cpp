#include "topics/topics.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>

#include "test_support.h"
#include "wirefeed/core/pipeline.h"
#include "wirefeed/stages/registry.h"
#include "wirefeed/stages/topics/model.h"
#include "wirefeed/stages/topics/train.h"

namespace wirefeed::stages {

namespace {

using testing::enrichment;
using testing::read_file;
using testing::source_path;

// The committed CC BY sample (data/samples/articles.jsonl) with this id.
std::string sample(std::string_view id) {
  for (const std::string& line : testing::read_lines(source_path("data/samples/articles.jsonl"))) {
    if (line.find("\"" + std::string(id) + "\"") != std::string::npos) return line;
  }
  ADD_FAILURE() << "no sample " << id;
  return {};
}

struct Outcome {
  core::Article article;
  core::RunResult result;
};

// The pipeline up to topics, with `settings` as stages.topics.* options.
Outcome run(std::string_view raw, std::map<std::string, std::string> settings = {}) {
  StageOptions options;
  for (auto& [k, v] : settings) options.settings["topics." + k] = v;
  auto pipeline =
      build_pipeline({"validate", "normalize", "language", "segment", "topics"}, options);
  core::Pipeline::ThreadState state(*pipeline);
  Outcome r;
  r.article.raw = raw;
  r.result = pipeline->run(r.article, state);
  return r;
}

// The code of the top topic, "" if none.
std::string top_code(const core::Article& article) {
  const std::string json = enrichment(article, "topics");
  const std::size_t at = json.find("\"code\":\"");
  if (at == std::string::npos) return {};
  const std::size_t begin = at + 8;
  return json.substr(begin, json.find('"', begin) - begin);
}

std::size_t count_topics(const core::Article& article) {
  const std::string json = enrichment(article, "topics");
  std::size_t n = 0;
  for (std::size_t at = json.find("\"code\""); at != std::string::npos;
       at = json.find("\"code\"", at + 1))
    ++n;
  return n;
}

std::vector<topics::Record> synthetic() {
  return topics::read_records(read_file(source_path("tests/fixtures/topics/synthetic.jsonl")),
                              {"title", "body"}, "labels");
}

topics::TrainOptions synthetic_options() {
  topics::TrainOptions o;
  o.name = "synthetic";
  o.buckets = 1u << 12;
  o.epochs = 5;
  return o;
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = testing::temp_path(name);
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::string load_error(const std::string& bytes) {
  try {
    topics::Model(bytes, "test.bin");
  } catch (const topics::ModelError& e) {
    return e.what();
  }
  return "loaded";
}

}  // namespace

TEST(Topics, the_default_model_is_iptc_top_with_the_five_bbc_subjects) {
  const topics::Model m = topics::load_model("iptc-top");
  EXPECT_EQ(m.name(), "iptc-top");
  EXPECT_FALSE(m.multi_label());
  ASSERT_EQ(m.labels().size(), 5u);
  std::map<std::string, std::pair<std::string, std::string>> labels;
  for (const auto& l : m.labels()) labels[l.key] = {l.code, l.label};
  EXPECT_EQ(labels["business"], std::make_pair(std::string("medtop:04000000"),
                                               std::string("economy, business and finance")));
  EXPECT_EQ(labels["entertainment"],
            std::make_pair(std::string("medtop:01000000"),
                           std::string("arts, culture, entertainment and media")));
  EXPECT_EQ(labels["politics"],
            std::make_pair(std::string("medtop:11000000"), std::string("politics")));
  EXPECT_EQ(labels["sport"], std::make_pair(std::string("medtop:15000000"), std::string("sport")));
  EXPECT_EQ(labels["tech"],
            std::make_pair(std::string("medtop:13000000"), std::string("science and technology")));
  EXPECT_TRUE(m.supports("en"));
  EXPECT_FALSE(m.supports("es"));
}

TEST(Topics, reuters21578_is_multi_label_over_the_90_modapte_categories) {
  const topics::Model m = topics::load_model("reuters21578");
  EXPECT_TRUE(m.multi_label());
  EXPECT_EQ(m.labels().size(), 90u);
  EXPECT_EQ(topics::shipped_models(), (std::vector<std::string>{"iptc-top", "reuters21578"}));
  // MEANTIME: Ford's job cuts and plant closings.
  Outcome r = run(sample("meantime-en-gm-31706"), {{"model", "reuters21578"}, {"min_score", "0"}});
  ASSERT_TRUE(r.result.ok());
  EXPECT_EQ(count_topics(r.article), 3u);
  EXPECT_EQ(enrichment(r.article, "topics_model"), R"({"name":"reuters21578","version":"1"})");
}

TEST(Topics, gold_subjects_of_committed_cc_by_articles) {
  // Wikinews: a Speaker elected, a Conservative leader elected; a marathon.
  EXPECT_EQ(top_code(run(sample("wikinews-en-b815ca1248d4")).article), "medtop:11000000");
  EXPECT_EQ(top_code(run(sample("wikinews-en-034cfe0d301d")).article), "medtop:11000000");
  EXPECT_EQ(top_code(run(sample("wikinews-en-bd896c092bc9")).article), "medtop:15000000");
  // MEANTIME: Ford's job cuts, Chrysler's bankruptcy; Apple's new iPods.
  EXPECT_EQ(top_code(run(sample("meantime-en-gm-31706")).article), "medtop:04000000");
  EXPECT_EQ(top_code(run(sample("meantime-en-gm-125796")).article), "medtop:04000000");
  EXPECT_EQ(top_code(run(sample("meantime-en-apple-78899")).article), "medtop:13000000");
}

TEST(Topics, output_names_the_model_and_sorts_by_score) {
  Outcome r = run(sample("wikinews-en-bd896c092bc9"), {{"min_score", "0"}, {"top_k", "5"}});
  ASSERT_TRUE(r.result.ok()) << r.result.status.message();
  EXPECT_EQ(enrichment(r.article, "topics_model"), R"({"name":"iptc-top","version":"1"})");
  const std::string json = enrichment(r.article, "topics");
  simdjson::dom::parser parser;
  simdjson::dom::array topics;
  ASSERT_EQ(parser.parse(json).get_array().get(topics), simdjson::SUCCESS) << json;
  ASSERT_EQ(topics.size(), 5u);
  double previous = 2, sum = 0;
  for (auto t : topics) {
    double score = 0;
    ASSERT_EQ(t["score"].get_double().get(score), simdjson::SUCCESS);
    EXPECT_LE(score, previous);
    previous = score;
    sum += score;
  }
  EXPECT_NEAR(sum, 1.0, 1e-3);  // a softmax
}

TEST(Topics, top_k_and_min_score_bound_the_list) {
  const std::string raw = sample("wikinews-en-b815ca1248d4");
  EXPECT_EQ(count_topics(run(raw, {{"min_score", "0"}, {"top_k", "1"}}).article), 1u);
  EXPECT_EQ(count_topics(run(raw, {{"min_score", "0"}, {"top_k", "3"}}).article), 3u);
  EXPECT_EQ(count_topics(run(raw, {{"min_score", "0"}}).article), 3u);  // default top_k 3
  // Scores of a softmax over five labels: at most one can be above 0.5.
  EXPECT_LE(count_topics(run(raw, {{"min_score", "0.5"}, {"top_k", "5"}}).article), 1u);
  // 1 is above every probability but a certain one: the list may be empty, never wrong.
  Outcome r = run(raw, {{"min_score", "1"}});
  EXPECT_TRUE(r.result.ok());
  EXPECT_EQ(enrichment(r.article, "topics"), "[]");
}

TEST(Topics, other_languages_are_skipped_with_the_reason) {
  Outcome r = run(sample("meantime-es-gm-31706"));
  ASSERT_TRUE(r.result.ok()) << r.result.status.message();
  EXPECT_EQ(enrichment(r.article, "topics"), "");
  bool skipped = false;
  for (const auto& s : r.article.stages_skipped) {
    if (s.stage == "topics") {
      skipped = true;
      EXPECT_EQ(s.reason, "model iptc-top is for en; the article's language is es");
    }
  }
  EXPECT_TRUE(skipped);
}

TEST(Topics, training_is_deterministic) {
  const auto records = synthetic();
  ASSERT_EQ(records.size(), 60u);
  const std::string a = topics::write_model(topics::train(records, synthetic_options()));
  const std::string b = topics::write_model(topics::train(records, synthetic_options()));
  EXPECT_EQ(a, b);
  auto other = synthetic_options();
  other.seed = 2;  // another shuffle: other weights
  EXPECT_NE(a, topics::write_model(topics::train(records, other)));
}

TEST(Topics, a_user_trained_model_runs_from_its_path) {
  const auto records = synthetic();
  auto o = synthetic_options();
  o.label_map = {
      {"fruit", "x:1", "Fruit"}, {"vehicles", "x:2", "Vehicles"}, {"weather", "x:3", "Weather"}};
  const std::string path = write_temp("user.bin", topics::write_model(topics::train(records, o)));
  Outcome r = run(
      R"({"id":"u1","title":"Storm warning","body":"Heavy rain, thunder and hail in the forecast; the wind picks up tonight."})",
      {{"model", path}, {"top_k", "1"}});
  ASSERT_TRUE(r.result.ok()) << r.result.status.message();
  EXPECT_EQ(enrichment(r.article, "topics").substr(0, 40),
            R"([{"code":"x:3","label":"Weather","score")");
  EXPECT_EQ(enrichment(r.article, "topics_model"), R"({"name":"synthetic","version":"1"})");
  // And it classifies what it was trained on.
  const topics::Scores s = topics::evaluate(topics::load_model(path), records);
  EXPECT_GE(s.accuracy(), 0.95);
}

TEST(Topics, corrupt_or_truncated_models_are_refused_with_one_line) {
  const std::string good = topics::write_model(topics::train(synthetic(), synthetic_options()));
  EXPECT_EQ(load_error(good), "loaded");
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  EXPECT_EQ(load_error(flipped), "topics model test.bin: checksum mismatch (the file is corrupt)");
  EXPECT_EQ(load_error(good.substr(0, good.size() - 100)),
            "topics model test.bin: truncated (ends inside the header or weights)");
  EXPECT_EQ(load_error(good.substr(0, 40)),
            "topics model test.bin: truncated (ends inside the header or weights)");
  EXPECT_EQ(load_error("hello"),
            "topics model test.bin: not a wirefeed topics model (no WFTOPICS magic)");
  // At start, through the pipeline: the same line.
  const std::string path = write_temp("bad.bin", good.substr(0, good.size() / 2));
  try {
    run("{}", {{"model", path}});
    ADD_FAILURE() << "a truncated model loaded";
  } catch (const topics::ModelError& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
  }
  EXPECT_THROW(run("{}", {{"model", "no-such-model"}}), topics::ModelError);
}

TEST(Topics, features_fold_case_and_split_unicode_punctuation) {
  topics::FeatureScratch a, b;
  const float na = topics::featurize({"\xE2\x80\x9C"
                                      "Blair\xE2\x80\x9D said"},
                                     1u << 16, true, a);
  const float nb = topics::featurize({"blair SAID"}, 1u << 16, true, b);
  EXPECT_FLOAT_EQ(na, nb);
  ASSERT_EQ(a.features.size(), b.features.size());
  for (std::size_t i = 0; i < a.features.size(); ++i)
    EXPECT_EQ(a.features[i].bucket, b.features[i].bucket);
  // Two words and their bigram; no bigram across parts.
  EXPECT_EQ(a.features.size(), 3u);
  topics::featurize({"blair", "said"}, 1u << 16, true, b);
  EXPECT_EQ(b.features.size(), 2u);
}

}  // namespace wirefeed::stages
