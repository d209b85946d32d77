#include "wirefeed/kafka/replay_plan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace wirefeed::kafka {

namespace {

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// RFC 3339 (or a bare YYYY-MM-DD) -> milliseconds since the epoch.
std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n, int& v) {
    if (at + n > s.size()) return false;
    v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t ms = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
  if (s.size() == 10) return ms;
  if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) || s[13] != ':' ||
      !digits(14, 2, mi) || s.size() < 19 || s[16] != ':' || !digits(17, 2, sec)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t i = 19;
  double frac = 0;
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      frac += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!digits(i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(i + 4, 2, om)) {
      return std::nullopt;
    }
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;  // RFC 3339 requires a zone
  }
  if (i != s.size()) return std::nullopt;
  ms += ((h * 60 + mi - offset_minutes) * 60 + sec) * 1000LL +
        static_cast<std::int64_t>(std::llround(frac * 1000));
  return ms;
}

std::optional<std::chrono::milliseconds> parse_duration_back(std::string_view s) {
  static constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"ms", 1},        {"s", 1000},       {"m", 60'000},
      {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}};
  for (auto [unit, ms] : kUnits) {
    if (s.size() > unit.size() && s.ends_with(unit)) {
      std::int64_t n;
      std::string_view num = s.substr(0, s.size() - unit.size());
      if (parse_int(num, n) && n >= 0) return std::chrono::milliseconds(n * ms);
    }
  }
  return std::nullopt;
}

}  // namespace

PositionSpec parse_position(const std::string& spec, std::chrono::system_clock::time_point now) {
  PositionSpec p;
  if (spec == "beginning" || spec == "earliest") {
    p.kind = PositionSpec::Kind::kBeginning;
    return p;
  }
  if (spec == "end" || spec == "latest") {
    p.kind = PositionSpec::Kind::kEnd;
    return p;
  }
  if (auto ms = parse_rfc3339(spec)) {
    p.kind = PositionSpec::Kind::kTimestamp;
    p.timestamp_ms = *ms;
    return p;
  }
  if (auto back = parse_duration_back(spec)) {
    p.kind = PositionSpec::Kind::kTimestamp;
    p.timestamp_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch() - *back)
            .count();
    return p;
  }
  if (spec.find(':') != std::string::npos && spec.find('T') == std::string::npos) {
    p.kind = PositionSpec::Kind::kOffsets;
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
      auto colon = item.find(':');
      std::int64_t partition, offset;
      if (colon == std::string::npos ||
          !parse_int(std::string_view(item).substr(0, colon), partition) ||
          !parse_int(std::string_view(item).substr(colon + 1), offset) || partition < 0 ||
          offset < 0) {
        throw std::invalid_argument("'" + spec +
                                    "': expected partition:offset pairs such as 0:1200,3:88");
      }
      p.offsets[static_cast<std::int32_t>(partition)] = offset;
    }
    if (!p.offsets.empty()) return p;
  }
  throw std::invalid_argument("'" + spec +
                              "' is not a position: use beginning, end, an RFC 3339 time "
                              "(2026-11-27T04:00:00Z), a duration back from now (6h, 7d) or "
                              "partition:offset pairs (0:1200,3:88)");
}

std::int64_t ReplayPlan::records() const {
  std::int64_t n = 0;
  for (const auto& p : partitions) n += p.records();
  return n;
}

std::int64_t ReplayPlan::total() const {
  std::int64_t n = 0;
  for (const auto& p : partitions) n += p.end > p.from ? p.end - p.from : 0;
  return n;
}

std::string ReplayPlan::describe() const {
  std::ostringstream out;
  out << "replay '" << name << "' of topic '" << topic << "'\n";
  out << "partition        low       high      start        end    records\n";
  for (const auto& p : partitions) {
    char line[160];
    std::snprintf(line, sizeof line, "%9d %10lld %10lld %10lld %10lld %10lld%s\n", p.partition,
                  static_cast<long long>(p.low), static_cast<long long>(p.high),
                  static_cast<long long>(p.start), static_cast<long long>(p.end),
                  static_cast<long long>(p.records()), p.resumed ? "  (resumed)" : "");
    out << line;
  }
  out << "total records: " << records() << "\n";
  return out.str();
}

std::int64_t find_offset_for_time(const PlanSource& source, std::int32_t partition,
                                  std::int64_t low, std::int64_t high, std::int64_t ts,
                                  int* fetches) {
  std::int64_t lo = low, hi = high;  // the answer is in [lo, hi]
  bool hi_is_record = false;         // hi is a record's offset (not the log end)
  int n = 0;
  while (lo < hi) {
    std::int64_t mid = lo + (hi - lo) / 2;
    auto record = source.record_at(partition, mid);
    ++n;
    if (!record || record->first >= hi) {
      // No record in [mid, hi): those positions are all equivalent to hi. Prefer
      // hi when it is a record, so the plan names the record itself.
      if (hi_is_record) {
        lo = hi;
      } else {
        hi = mid;
      }
      continue;
    }
    auto [offset, timestamp] = *record;  // offset >= mid: gaps (compaction) are skipped
    if (timestamp >= ts) {
      hi = offset;
      hi_is_record = true;
    } else {
      lo = offset + 1;
    }
  }
  if (fetches) *fetches = n;
  return lo;
}

namespace {

std::int64_t resolve(const PositionSpec& spec, const PlanSource& source, std::int32_t partition,
                     std::int64_t low, std::int64_t high, bool is_end) {
  switch (spec.kind) {
    case PositionSpec::Kind::kBeginning:
      return low;
    case PositionSpec::Kind::kEnd:
      return high;
    case PositionSpec::Kind::kOffsets: {
      auto it = spec.offsets.find(partition);
      // A partition not named keeps its whole range on that side.
      std::int64_t o = it == spec.offsets.end() ? (is_end ? high : low) : it->second;
      return std::clamp(o, low, high);
    }
    case PositionSpec::Kind::kTimestamp: {
      if (low >= high) return low;
      std::int64_t o = source.offset_for_time(partition, spec.timestamp_ms);
      if (o >= 0) return std::clamp(o, low, high);
      // The broker cannot tell (or no record is that late): search the log.
      return find_offset_for_time(source, partition, low, high, spec.timestamp_ms);
    }
  }
  return low;
}

}  // namespace

ReplayPlan make_plan(const std::string& topic, const std::string& name, const PlanSource& source,
                     const PositionSpec& from, const std::optional<PositionSpec>& to,
                     const std::vector<std::int32_t>& partitions, bool restart) {
  ReplayPlan plan;
  plan.topic = topic;
  plan.name = name;
  std::vector<std::int32_t> all = source.partitions();
  std::sort(all.begin(), all.end());
  std::vector<std::int32_t> chosen = partitions.empty() ? all : partitions;
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  for (auto p : chosen) {
    if (!std::binary_search(all.begin(), all.end(), p)) {
      throw std::invalid_argument("partition " + std::to_string(p) + " does not exist in topic '" +
                                  topic + "' (it has " + std::to_string(all.size()) + ")");
    }
  }
  auto checkpoints = restart ? decltype(source.checkpoints()){} : source.checkpoints();
  for (auto p : chosen) {
    PartitionPlan pp;
    pp.partition = p;
    std::tie(pp.low, pp.high) = source.watermarks(p);
    pp.from = resolve(from, source, p, pp.low, pp.high, false);
    // --to defaults to the end read now, so the run is bounded while producers write.
    pp.end = to ? resolve(*to, source, p, pp.low, pp.high, true) : pp.high;
    pp.start = pp.from;
    if (auto it = checkpoints.find(p); it != checkpoints.end()) {
      // Resume where the interrupted run stopped, with the end it planned (a
      // relative --from such as 6h or a default --to would otherwise move).
      auto [next, saved_end] = it->second;
      if (saved_end >= 0) pp.end = saved_end;
      pp.start = std::clamp(next, pp.low, std::max(pp.low, pp.end));
      pp.from = std::min(pp.from, pp.start);
      pp.resumed = true;
    }
    if (pp.end < pp.start) pp.end = pp.start;
    plan.partitions.push_back(pp);
  }
  return plan;
}

std::string checkpoint_metadata(std::int64_t end) {
  return "wirefeed-replay end=" + std::to_string(end);
}

std::optional<std::int64_t> parse_checkpoint_metadata(const std::string& metadata) {
  constexpr std::string_view kPrefix = "wirefeed-replay end=";
  if (!metadata.starts_with(kPrefix)) return std::nullopt;
  std::int64_t end;
  if (!parse_int(std::string_view(metadata).substr(kPrefix.size()), end)) return std::nullopt;
  return end;
}

RateLimiter::RateLimiter(double per_second, Clock::time_point now)
    : rate_(per_second), capacity_(std::max(1.0, per_second)), tokens_(capacity_), last_(now) {}

void RateLimiter::refill(Clock::time_point now) {
  if (now <= last_) return;
  double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
  last_ = now;
}

std::size_t RateLimiter::acquire(std::size_t wanted, Clock::time_point now) {
  if (unlimited()) return wanted;
  refill(now);
  // The epsilon absorbs floating-point drift of many small refills.
  std::size_t granted = std::min(wanted, static_cast<std::size_t>(std::floor(tokens_ + 1e-6)));
  tokens_ -= static_cast<double>(granted);
  return granted;
}

std::chrono::nanoseconds RateLimiter::wait_time(Clock::time_point now) const {
  if (unlimited()) return std::chrono::nanoseconds(0);
  double tokens = tokens_;
  if (now > last_) {
    tokens =
        std::min(capacity_, tokens + std::chrono::duration<double>(now - last_).count() * rate_);
  }
  if (tokens + 1e-6 >= 1) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil((1 - tokens) / rate_ * 1e9)));
}

}  // namespace wirefeed::kafka
