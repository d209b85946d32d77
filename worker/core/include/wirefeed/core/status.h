// Per-record outcomes as values: the hot path never throws (DESIGN.md section 4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wirefeed::core {

// Every code has a stable snake_case name; it is the DLQ `reason` label and the
// `wirefeed-error-code` header, so names are part of the public contract.
enum class Code : std::uint8_t {
  kOk = 0,
  kSkipped,          // the stage does not apply to this article; not an error
  kEmptyMessage,     // zero-length value
  kOversizeMessage,  // value larger than limits.max_message_bytes
  kMalformedJson,    // starts with '{' but is not a valid JSON object
  kInvalidUtf8,      // bytes that are not UTF-8
  kInvalidField,     // a known field has the wrong type or an unusable value
  kMissingBody,      // neither `body` nor `html` carries text
  kOutputTooLarge,   // the enriched record exceeds the producer's size limit
  kInternal,         // a bug: an invariant broke; the record goes to the DLQ
};

std::string_view code_name(Code code);

// A cheap result value: ok() costs no allocation; failures carry a message.
class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  static Status skipped(std::string reason) { return {Code::kSkipped, std::move(reason)}; }

  bool ok() const { return code_ == Code::kOk; }
  bool is_skipped() const { return code_ == Code::kSkipped; }
  bool is_failure() const { return code_ != Code::kOk && code_ != Code::kSkipped; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace wirefeed::core
