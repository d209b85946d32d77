#include "wirefeed/core/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace wirefeed::core {

namespace {

class FnStage : public Stage {
 public:
  FnStage(std::string_view name, std::function<Status(Article&)> fn) : name_(name), fn_(fn) {}
  std::string_view name() const override { return name_; }
  Status process(Article& a, Scratch&) const override { return fn_(a); }

 private:
  std::string_view name_;
  std::function<Status(Article&)> fn_;
};

class CountingScratch : public Scratch {
 public:
  int calls = 0;
};

class ScratchStage : public Stage {
 public:
  std::string_view name() const override { return "scratchy"; }
  std::unique_ptr<Scratch> new_scratch() const override {
    return std::make_unique<CountingScratch>();
  }
  Status process(Article& a, Scratch& s) const override {
    a.id = std::to_string(++static_cast<CountingScratch&>(s).calls);
    return {};
  }
};

struct RecordingObserver : PipelineObserver {
  std::mutex mu;
  std::vector<std::pair<std::size_t, Code>> calls;
  void on_stage(std::size_t i, double seconds, const Status& s) override {
    std::lock_guard lock(mu);
    EXPECT_GE(seconds, 0.0);
    calls.emplace_back(i, s.code());
  }
};

}  // namespace

TEST(Pipeline, runs_stages_in_order_and_records_run_and_skipped) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<FnStage>("a", [](Article& a) {
    a.text += "a";
    return Status();
  }));
  v.push_back(std::make_unique<FnStage>("b", [](Article&) { return Status::skipped("no html"); }));
  v.push_back(std::make_unique<FnStage>("c", [](Article& a) {
    a.text += "c";
    return Status();
  }));
  RecordingObserver obs;
  Pipeline p(std::move(v), &obs);
  Pipeline::ThreadState state(p);
  Article article;
  RunResult r = p.run(article, state);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(article.text, "ac");
  ASSERT_EQ(article.stages_run.size(), 2u);
  EXPECT_EQ(article.stages_run[1], "c");
  ASSERT_EQ(article.stages_skipped.size(), 1u);
  EXPECT_EQ(article.stages_skipped[0].stage, "b");
  EXPECT_EQ(article.stages_skipped[0].reason, "no html");
  ASSERT_EQ(obs.calls.size(), 3u);
  EXPECT_EQ(obs.calls[1].second, Code::kSkipped);
}

TEST(Pipeline, failure_stops_the_run_and_names_the_stage) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<FnStage>(
      "decode", [](Article&) { return Status(Code::kMalformedJson, "bad"); }));
  v.push_back(std::make_unique<FnStage>("never", [](Article&) -> Status {
    ADD_FAILURE() << "ran after a failure";
    return {};
  }));
  Pipeline p(std::move(v));
  Pipeline::ThreadState state(p);
  Article article;
  RunResult r = p.run(article, state);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.stage, "decode");
  EXPECT_EQ(r.status.code(), Code::kMalformedJson);
}

TEST(Pipeline, an_exception_in_a_stage_fails_only_that_record) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<FnStage>("boom", [](Article& a) -> Status {
    if (a.raw == "bad") throw std::runtime_error("invariant broke");
    return {};
  }));
  Pipeline p(std::move(v));
  Pipeline::ThreadState state(p);
  Article bad, good;
  bad.raw = "bad";
  good.raw = "good";
  RunResult r = p.run(bad, state);
  EXPECT_EQ(r.status.code(), Code::kInternal);
  EXPECT_NE(r.status.message().find("invariant broke"), std::string::npos);
  EXPECT_TRUE(p.run(good, state).ok());
}

TEST(Pipeline, each_thread_state_has_its_own_scratch_per_stage) {
  std::vector<std::unique_ptr<Stage>> v;
  v.push_back(std::make_unique<ScratchStage>());
  Pipeline p(std::move(v));
  Pipeline::ThreadState s1(p), s2(p);
  Article a;
  p.run(a, s1);
  p.run(a, s1);
  EXPECT_EQ(a.id, "2");
  p.run(a, s2);
  EXPECT_EQ(a.id, "1");
}

TEST(StatusCodes, names_are_stable_snake_case) {
  EXPECT_EQ(code_name(Code::kMalformedJson), "malformed_json");
  EXPECT_EQ(code_name(Code::kInvalidUtf8), "invalid_utf8");
  EXPECT_EQ(code_name(Code::kEmptyMessage), "empty_message");
  EXPECT_EQ(code_name(Code::kOversizeMessage), "oversize_message");
  EXPECT_EQ(code_name(Code::kMissingBody), "missing_body");
}

}  // namespace wirefeed::core
