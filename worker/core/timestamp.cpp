#include "wirefeed/core/timestamp.h"

#include <chrono>

namespace wirefeed::core {

namespace {

namespace chr = std::chrono;

// Reads exactly `width` digits at `pos`; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += width;
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  const chr::sys_days days{chr::year{year} / chr::month{month} / chr::day{day}};
  return days.time_since_epoch().count();
}

std::optional<std::int64_t> parse_timestamp_ms(std::string_view s) {
  std::size_t pos = 0;
  int year, month, day;
  if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  // The calendar decides: month 13, day 0 and February 29th of a common year are
  // not dates (year_month_day::ok()).
  const chr::year_month_day date{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                 chr::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  std::int64_t ms =
      chr::duration_cast<chr::milliseconds>(chr::sys_days{date}.time_since_epoch()).count();
  if (pos == s.size()) return ms;
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  int hour, minute, second = 0;
  if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute)) {
    return std::nullopt;
  }
  if (expect(s, pos, ':') && !digits(s, pos, 2, second)) return std::nullopt;
  // 60 allows a leap second; it folds into the next minute like most clocks do.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  ms += chr::milliseconds(chr::hours{hour} + chr::minutes{minute} + chr::seconds{second}).count();
  if (expect(s, pos, '.') || expect(s, pos, ',')) {
    std::size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos == s.size()) return ms;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size() ? std::optional(ms) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos] == '+' ? 1 : -1;
  ++pos;
  int oh, om = 0;
  if (!digits(s, pos, 2, oh)) return std::nullopt;
  expect(s, pos, ':');
  if (pos < s.size() && !digits(s, pos, 2, om)) return std::nullopt;
  if (pos != s.size() || oh > 23 || om > 59) return std::nullopt;
  return ms - sign * chr::milliseconds(chr::hours{oh} + chr::minutes{om}).count();
}

}  // namespace wirefeed::core
