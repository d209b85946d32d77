#include "wirefeed/kafka/limits.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace wirefeed::kafka {

namespace {

std::string error_of(const Properties& producer, const SizeLimits& limits) {
  try {
    check_size_limits(producer, limits);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Limits, the_default_producer_limit_holds_the_largest_input_with_its_dlq_headers) {
  SizeLimits defaults;
  EXPECT_EQ(default_producer_message_max_bytes(defaults), 4u * 1024 * 1024 + kDlqHeaderAllowance);
  EXPECT_EQ(error_of({}, defaults), "");
  // The output limit counts too when it is the larger one.
  EXPECT_EQ(default_producer_message_max_bytes({1024, 8u * 1024 * 1024}),
            8u * 1024 * 1024 + kDlqHeaderAllowance);
}

TEST(Limits, a_producer_limit_below_the_input_limit_fails_naming_both_settings) {
  std::string e = error_of({{"message.max.bytes", "2000000"}}, {});
  EXPECT_EQ(e,
            "limits.max_message_bytes (4194304) plus 65536 bytes of DLQ headers exceeds "
            "kafka.producer.message.max.bytes (2000000), so an admitted record could not be "
            "dead-lettered: raise kafka.producer.message.max.bytes to at least 4259840 or lower "
            "limits.max_message_bytes to at most 1934464");
  EXPECT_EQ(e.find('\n'), std::string::npos);
  // Either remedy it names makes the settings agree.
  EXPECT_EQ(error_of({{"message.max.bytes", "4259840"}}, {}), "");
  EXPECT_EQ(error_of({{"message.max.bytes", "2000000"}}, {1934464, 1934464}), "");
}

TEST(Limits, an_output_limit_the_producer_cannot_hold_fails_naming_both_settings) {
  std::string e = error_of({{"message.max.bytes", "5000000"}}, {1024 * 1024, 8 * 1024 * 1024});
  EXPECT_NE(e.find("limits.max_output_bytes (8388608)"), std::string::npos) << e;
  EXPECT_NE(e.find("kafka.producer.message.max.bytes (5000000)"), std::string::npos) << e;
}

TEST(Limits, a_producer_limit_too_small_for_anything_only_suggests_raising_it) {
  std::string e = error_of({{"message.max.bytes", "1000"}}, {});
  EXPECT_NE(e.find("raise kafka.producer.message.max.bytes to at least 4259840"), std::string::npos)
      << e;
  EXPECT_EQ(e.find("lower"), std::string::npos) << e;
}

}  // namespace wirefeed::kafka
