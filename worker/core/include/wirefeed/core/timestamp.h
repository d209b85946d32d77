// Parsing of the timestamps articles carry (published_at), shared by the stages
// and the metrics (freshness).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wirefeed::core {

// Milliseconds since the Unix epoch for an RFC 3339 / ISO 8601 timestamp:
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff…]][Z|±HH:MM|±HHMM]" (a space may
// stand for the T; no zone means UTC). nullopt for anything else, including
// out-of-range fields (month 13, Feb 30, hour 24).
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian civil date (std::chrono's
// calendar: sys_days of a year_month_day). The date must be valid.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

}  // namespace wirefeed::core
