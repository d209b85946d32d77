#include "wirefeed/ops/log.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace wirefeed::ops {

TEST(Log, json_lines_are_valid_json_whatever_the_message_holds) {
  std::string line =
      Log::format_json(LogLevel::kWarn, std::string("bad \"bytes\" \xFF\xFE\n\x01 and \\ end"),
                       {{"partition", "3"}, {std::string_view("k\"ey"), std::string("v\xC3")}});
  ASSERT_TRUE(line.ends_with("}\n"));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
  EXPECT_EQ(std::string_view(doc["level"]), "warn");
  EXPECT_EQ(std::string_view(doc["partition"]), "3");
  EXPECT_EQ(std::string_view(doc["msg"]),
            "bad \"bytes\" \xEF\xBF\xBD\xEF\xBF\xBD\n\x01 and \\ end");
  EXPECT_TRUE(std::string_view(doc["ts"]).ends_with("Z"));
}

TEST(Log, level_filter) {
  Log::configure("warn", "json");
  EXPECT_FALSE(Log::enabled(LogLevel::kInfo));
  EXPECT_TRUE(Log::enabled(LogLevel::kError));
  Log::configure("info", "json");
  EXPECT_TRUE(Log::enabled(LogLevel::kInfo));
}

}  // namespace wirefeed::ops
