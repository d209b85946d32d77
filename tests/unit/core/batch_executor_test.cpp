#include "wirefeed/core/batch_executor.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace wirefeed::core {

namespace {

// Writes the processing thread's id and a function of the input into the article.
class EchoStage : public Stage {
 public:
  std::string_view name() const override { return "echo"; }
  Status process(Article& a, Scratch&) const override {
    std::ostringstream tid;
    tid << std::this_thread::get_id();
    a.output = std::string(a.raw) + "!";
    a.id = tid.str();
    if (a.raw == "fail") return {Code::kInvalidField, "asked to fail"};
    return {};
  }
};

}  // namespace

TEST(BatchExecutor, results_match_inputs_by_index_across_threads) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<EchoStage>());
  Pipeline p(std::move(v));
  BatchExecutor ex(p, 3);
  EXPECT_EQ(ex.threads(), 3u);
  std::vector<std::string> inputs;
  for (int i = 0; i < 2000; ++i) inputs.push_back(i == 777 ? "fail" : std::to_string(i));
  std::vector<Article> articles(inputs.size());
  std::vector<RunResult> results;
  for (int round = 0; round < 3; ++round) {  // the pool is reused across batches
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      articles[i].reset();
      articles[i].raw = inputs[i];
    }
    ex.run(articles, results, inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      ASSERT_EQ(articles[i].output, inputs[i] + "!");
      ASSERT_EQ(results[i].ok(), i != 777);
    }
  }
}

TEST(BatchExecutor, runs_only_the_first_count_articles) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<EchoStage>());
  Pipeline p(std::move(v));
  BatchExecutor ex(p, 2);
  std::vector<Article> articles(10);
  for (auto& a : articles) a.raw = "x";
  std::vector<RunResult> results;
  ex.run(articles, results, 4);
  EXPECT_EQ(articles[3].output, "x!");
  EXPECT_TRUE(articles[4].output.empty());
}

}  // namespace wirefeed::core
