#include "wirefeed/core/timestamp.h"

namespace wirefeed::core {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

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

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_timestamp_ms(std::string_view s) {
  std::size_t pos = 0;
  int year, month, day;
  if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  std::int64_t ms =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86'400'000;
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
  ms += (hour * 3600LL + minute * 60LL + second) * 1000;
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
  return ms - sign * (oh * 3600LL + om * 60LL) * 1000;
}

}  // namespace wirefeed::core
