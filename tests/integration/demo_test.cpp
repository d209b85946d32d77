// wirefeed demo end to end (cmd_demo.cpp): the embedded cluster, the worker and
// the summary a newcomer reads first.
#include <gtest/gtest.h>

#include <regex>

#include "process.h"
#include "test_support.h"

namespace wirefeed::testing {

namespace {

const std::string kBin = WIREFEED_BINARY;

// The summary line that starts with `label`, or "" when there is none.
std::string line_starting(const std::string& out, const std::string& label) {
  std::size_t at = out.find("\n" + label);
  if (at == std::string::npos) return "";
  return out.substr(at + 1, out.find('\n', at + 1) - at - 1);
}

}  // namespace

TEST(CliDemo, reports_steady_state_throughput_apart_from_start_up_and_accounts_for_every_article) {
  std::string out;
  int code =
      run_shell(kBin + " demo --articles 3000 --metrics-listen 127.0.0.1:0 2>&1 </dev/null", &out);
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("produced 3,000 articles"), std::string::npos) << out;
  EXPECT_NE(out.find("\nevery article accounted for: 3000 in, 2994 enriched + 6 dead-lettered\n"),
            std::string::npos)
      << out;

  // Start-up (input, pipeline, group join) on its own line, throughput over
  // the steady state on another, with a rate and a per-core rate.
  const std::string startup = line_starting(out, "start-up ");
  EXPECT_TRUE(std::regex_search(
      startup, std::regex(R"(^start-up +[0-9.]+ s before the first output, not counted below: )"
                          R"(.*group joined and first batch in [0-9.]+ s$)")))
      << out;
  const std::string throughput = line_starting(out, "throughput ");
  EXPECT_TRUE(std::regex_search(
      throughput, std::regex(R"(^throughput +[0-9,]+ articles/s, [0-9.]+ MB/s over the steady )"
                             R"(state \(first output to last acknowledgement: [0-9,]+ articles )")))
      << out;
  EXPECT_EQ(throughput.find("start-up"), std::string::npos);
  EXPECT_TRUE(std::regex_search(line_starting(out, "per core "),
                                std::regex(R"(^per core +[0-9,]+ articles/s per core)")))
      << out;

  // Every stage with its share, the shortened sample record and the next steps.
  for (const char* stage : {"decode", "entities", "encode"}) {
    EXPECT_TRUE(std::regex_search(
        out, std::regex(std::string("\n  ") + stage + R"( +[0-9.]+ us +[0-9.]+%)")))
        << stage;
  }
  EXPECT_NE(out.find("sample record (key txt-"), std::string::npos) << out;
  EXPECT_NE(out.find("\n  \"id\": \"txt-"), std::string::npos) << out;
  EXPECT_NE(out.find(" more]"), std::string::npos) << out;  // a list cut to its first items
  EXPECT_NE(out.find("what to try next:"), std::string::npos) << out;
  EXPECT_NE(out.find(" enrich --input "), std::string::npos) << out;
  EXPECT_NE(out.find(" broker --topics "), std::string::npos) << out;
}

}  // namespace wirefeed::testing
