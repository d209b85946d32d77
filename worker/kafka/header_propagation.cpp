#include "wirefeed/kafka/header_propagation.h"

#include <algorithm>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

constexpr std::string_view kTraceparent = "traceparent";
constexpr std::string_view kTracestate = "tracestate";

bool is_own(std::string_view name) {
  for (auto own : kOwnOutputHeaders)
    if (name == own) return true;
  return false;
}

}  // namespace

bool valid_traceparent(std::string_view v) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2+1+32+1+16+1+2 = 55.
  constexpr std::size_t kLength = 55;
  if (v.size() < kLength) return false;
  std::string_view version = v.substr(0, 2);
  if (!lower_hex(version) || version == "ff") return false;
  if (version == "00" && v.size() != kLength) return false;
  if (v.size() > kLength && v[kLength] != '-') return false;  // a later version's extra fields
  if (v[2] != '-' || v[35] != '-' || v[52] != '-') return false;
  std::string_view trace_id = v.substr(3, 32), parent_id = v.substr(36, 16),
                   flags = v.substr(53, 2);
  return lower_hex(trace_id) && lower_hex(parent_id) && lower_hex(flags) && !all_zero(trace_id) &&
         !all_zero(parent_id);
}

HeaderPropagation HeaderPropagation::none() {
  HeaderPropagation p;
  p.mode_ = Mode::kNone;
  return p;
}

HeaderPropagation HeaderPropagation::list(const std::vector<std::string>& names) {
  HeaderPropagation p;
  p.mode_ = Mode::kList;
  for (const auto& name : names) {
    std::string l;
    for (char c : name) l += lower(c);
    p.names_.push_back(l);
  }
  // The trace context travels as a pair.
  bool trace = std::find(p.names_.begin(), p.names_.end(), kTraceparent) != p.names_.end() ||
               std::find(p.names_.begin(), p.names_.end(), kTracestate) != p.names_.end();
  if (trace) {
    for (auto name : {kTraceparent, kTracestate}) {
      if (std::find(p.names_.begin(), p.names_.end(), name) == p.names_.end())
        p.names_.emplace_back(name);
    }
  }
  return p;
}

bool HeaderPropagation::wanted(std::string_view name) const {
  if (is_own(name)) return false;
  if (mode_ == Mode::kAll) return true;
  for (const auto& n : names_)
    if (iequals(name, n)) return true;
  return false;
}

void HeaderPropagation::append(const rd_kafka_headers_t* input, rd_kafka_headers_t* out,
                               std::string& scratch) const {
  if (!input || mode_ == Mode::kNone) return;
  const char* name;
  const void* value;
  size_t size;
  // First pass: is there exactly one valid traceparent, and how many tracestate?
  std::size_t traceparents = 0, tracestates = 0;
  bool valid = false;
  for (size_t i = 0; !rd_kafka_header_get_all(input, i, &name, &value, &size); ++i) {
    if (iequals(name, kTraceparent)) {
      ++traceparents;
      valid = value && valid_traceparent(std::string_view(static_cast<const char*>(value), size));
    } else if (iequals(name, kTracestate)) {
      ++tracestates;
    }
  }
  const bool keep_trace = traceparents == 1 && valid;
  bool tracestate_done = false;
  for (size_t i = 0; !rd_kafka_header_get_all(input, i, &name, &value, &size); ++i) {
    std::string_view n(name);
    if (!wanted(n)) continue;
    if (iequals(n, kTraceparent)) {
      if (!keep_trace) continue;
    } else if (iequals(n, kTracestate)) {
      if (!keep_trace || tracestate_done) continue;
      tracestate_done = true;
      if (tracestates > 1) {
        // One header holding every member, in order: "a=1,b=2" + "c=3" -> "a=1,b=2,c=3".
        scratch.clear();
        const char* n2;
        const void* v2;
        size_t s2;
        for (size_t j = i; !rd_kafka_header_get_all(input, j, &n2, &v2, &s2); ++j) {
          if (!iequals(n2, kTracestate) || s2 == 0) continue;
          if (!scratch.empty()) scratch += ',';
          scratch.append(static_cast<const char*>(v2), s2);
        }
        rd_kafka_header_add(out, name, -1, scratch.data(), static_cast<ssize_t>(scratch.size()));
        continue;
      }
    }
    rd_kafka_header_add(out, name, -1, value, value ? static_cast<ssize_t>(size) : 0);
  }
}

}  // namespace wirefeed::kafka
