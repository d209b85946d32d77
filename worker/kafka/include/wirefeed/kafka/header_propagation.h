// Which input headers flow through to the enriched record
// (output.headers.propagate: all | none | [names]).
#pragma once

#include <string>
#include <string_view>
#include <vector>

// librdkafka's header list, declared as librdkafka declares it, so that this
// public header does not pull in rdkafka.h.
typedef struct rd_kafka_headers_s rd_kafka_headers_t;

namespace wirefeed::kafka {

// The headers wirefeed writes on every enriched record itself. Input headers of
// these names are never copied: the record carries one value, wirefeed's.
inline constexpr std::string_view kOwnOutputHeaders[] = {"wirefeed-processed-at-ms",
                                                         "wirefeed-replay-id"};

// True for a W3C Trace Context traceparent value this build can vouch for:
// version 00 exactly as the spec writes it (lower-case hex, non-zero trace and
// parent ids), or a later version whose first 55 characters parse the same way
// (the spec's rule for versions it does not know yet). Version ff is invalid.
bool valid_traceparent(std::string_view value);

// The policy, parsed once at start. Immutable and thread-safe; append() writes
// only to its arguments.
//
// Trace Context (https://www.w3.org/TR/trace-context/): wirefeed takes part in
// no trace, so it passes `traceparent` and `tracestate` on unchanged, byte for
// byte, and adds nothing to them. A record with exactly one valid traceparent
// keeps it and its tracestate (several tracestate headers become one, joined
// with commas, as the spec lets a list header be combined). A record with
// several traceparent headers, or an invalid one, has no trace to continue:
// neither header is copied, since the spec forbids using a tracestate without
// its traceparent. In a list, naming either header brings the other along (the
// spec requires tracestate to travel with traceparent). Names match
// case-insensitively; other headers are copied as they are, in input order.
class HeaderPropagation {
 public:
  enum class Mode { kAll, kNone, kList };
  HeaderPropagation() = default;  // all
  static HeaderPropagation none();
  static HeaderPropagation list(const std::vector<std::string>& names);

  Mode mode() const { return mode_; }
  // Appends the input headers that flow through to `out`, after whatever `out`
  // already holds. `input` may be null. `scratch` is caller-owned reusable
  // storage (one per thread), used only to combine several tracestate headers.
  void append(const rd_kafka_headers_t* input, rd_kafka_headers_t* out, std::string& scratch) const;

 private:
  bool wanted(std::string_view name) const;
  Mode mode_ = Mode::kAll;
  std::vector<std::string> names_;  // lower-cased, for kList
};

}  // namespace wirefeed::kafka
