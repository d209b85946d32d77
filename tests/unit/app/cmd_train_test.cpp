// wirefeed train topics and wirefeed eval topics, run as a user runs them.
#include <gtest/gtest.h>

#include "process.h"
#include "test_support.h"

namespace {

const std::string kBin = WIREFEED_BINARY;
const std::string kFixture =
    wirefeed::testing::source_path("tests/fixtures/topics/synthetic.jsonl");

struct Result {
  int code = 0;
  std::string out;
};

Result wirefeed_cli(const std::string& args) {
  Result r;
  r.code = wirefeed::testing::run_shell(kBin + " " + args + " 2>&1 </dev/null", &r.out);
  return r;
}

}  // namespace

TEST(TrainTopics, trains_a_model_the_same_twice_and_evaluates_it) {
  const std::string a = wirefeed::testing::temp_path("a.bin");
  const std::string b = wirefeed::testing::temp_path("b.bin");
  const std::string opts = " --name synthetic --buckets 4096 --epochs 5 --input " + kFixture;
  Result r = wirefeed_cli("train topics --output " + a + opts);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("60 records, 3 labels"), std::string::npos) << r.out;
  ASSERT_EQ(wirefeed_cli("train topics --output " + b + opts).code, 0);
  EXPECT_TRUE(wirefeed::testing::read_file(a) == wirefeed::testing::read_file(b));  // bytes
  r = wirefeed_cli("eval topics --model " + a + " --input " + kFixture);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("model synthetic 1 (3 labels, single-label)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("records 60  accuracy (exact match) 1.0000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("articles/s"), std::string::npos);
}

TEST(TrainTopics, folds_print_cross_validated_figures_and_write_nothing) {
  Result r = wirefeed_cli("train topics --buckets 4096 --epochs 5 --folds 3 --input " + kFixture);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("3-fold CV: accuracy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("confusion (rows gold, columns predicted):"), std::string::npos) << r.out;
}

TEST(TrainTopics, usage_errors_exit_2_with_one_line) {
  Result r = wirefeed_cli("train topics --output x.bin");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--input is required"), std::string::npos) << r.out;
  r = wirefeed_cli("train topics --input " + kFixture + " --output x.bin --buckets 1000");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("power of two"), std::string::npos) << r.out;
  EXPECT_EQ(wirefeed_cli("train nothing").code, 2);
}
