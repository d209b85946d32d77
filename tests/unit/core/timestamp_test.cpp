#include "wirefeed/core/timestamp.h"

#include <gtest/gtest.h>

namespace wirefeed::core {
namespace {

TEST(Timestamp, DateOnlyIsMidnightUtc) {
  // 2021-12-29 is 18990 days after the epoch.
  EXPECT_EQ(parse_timestamp_ms("2021-12-29"), 18990LL * 86'400'000);
  EXPECT_EQ(parse_timestamp_ms("1970-01-01"), 0);
}

TEST(Timestamp, Rfc3339WithZonesAndFractions) {
  const std::int64_t day = 18990LL * 86'400'000;
  EXPECT_EQ(parse_timestamp_ms("2021-12-29T13:45:10Z"), day + (13 * 3600 + 45 * 60 + 10) * 1000LL);
  EXPECT_EQ(parse_timestamp_ms("2021-12-29T13:45:10.25Z"),
            day + (13 * 3600 + 45 * 60 + 10) * 1000LL + 250);
  // 08:45 at -05:00 is 13:45 UTC.
  EXPECT_EQ(parse_timestamp_ms("2021-12-29T08:45:10-05:00"),
            parse_timestamp_ms("2021-12-29T13:45:10Z"));
  EXPECT_EQ(parse_timestamp_ms("2021-12-29 14:45+0100"), parse_timestamp_ms("2021-12-29T13:45Z"));
}

TEST(Timestamp, LeapYearsAndBeforeTheEpoch) {
  EXPECT_TRUE(parse_timestamp_ms("2024-02-29"));
  EXPECT_FALSE(parse_timestamp_ms("2023-02-29"));
  EXPECT_FALSE(parse_timestamp_ms("1900-02-29"));  // divisible by 100, not 400
  EXPECT_TRUE(parse_timestamp_ms("2000-02-29"));
  EXPECT_EQ(parse_timestamp_ms("1969-12-31"), -86'400'000);
}

TEST(Timestamp, RejectsWhatIsNotATimestamp) {
  for (const char* bad : {"", "yesterday", "2021-13-01", "2021-12-32", "2021-12-29T24:00Z",
                          "2021-12-29T12", "2021-12-29T12:00:00.Z", "2021-12-29T12:00Zjunk",
                          "2021/12/29", "21-12-29", "2021-12-29T12:00+25:00"}) {
    EXPECT_FALSE(parse_timestamp_ms(bad)) << bad;
  }
}

}  // namespace
}  // namespace wirefeed::core
