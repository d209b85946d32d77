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

namespace wirefeed::core {

TEST(Timestamp, days_from_civil_counts_every_day_of_the_gregorian_calendar) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  // Walk 1600-2400 day by day with the leap rule written out: each date is one
  // more than the one before, across month, year and century boundaries.
  auto leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t expected = days_from_civil(1600, 1, 1);
  for (int y = 1600; y < 2400; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      const unsigned last = kDays[m - 1] + (m == 2 && leap(y));
      for (unsigned d = 1; d <= last; ++d, ++expected) {
        ASSERT_EQ(days_from_civil(y, m, d), expected) << y << "-" << m << "-" << d;
      }
    }
  }
}

TEST(Timestamp, the_calendar_rejects_month_zero_day_zero_and_the_31st_of_short_months) {
  for (const char* bad : {"2021-00-10", "2021-04-00", "2021-04-31", "2021-06-31T10:00Z"}) {
    EXPECT_FALSE(parse_timestamp_ms(bad)) << bad;
  }
  EXPECT_TRUE(parse_timestamp_ms("2021-05-31T10:00Z"));
}

}  // namespace wirefeed::core
