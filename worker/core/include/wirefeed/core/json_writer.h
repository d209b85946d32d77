// Minimal, allocation-free (beyond the target string) JSON output helpers. Output
// is deterministic: callers fix member order, numbers are formatted locale-free.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wirefeed::core::json {

// Appends `s` as a JSON string literal (with quotes). `s` must be valid UTF-8;
// control characters, '"' and '\\' are escaped.
void append_string(std::string& out, std::string_view s);

// Like append_string, for bytes that may not be UTF-8 (log messages, Kafka
// errors): each invalid sequence becomes U+FFFD, so the result is always valid JSON.
void append_string_lossy(std::string& out, std::string_view s);

// `s` as a JSON string, or null when it is empty (optional text members).
void append_string_or_null(std::string& out, std::string_view s);

// The members `"<prefix>text":"...","<prefix>begin":N,"<prefix>end":N` of a span
// [begin, end) of `text` (byte offsets), as the extraction stages write them;
// with an empty span, text, begin and end are null.
void append_span(std::string& out, std::string_view text, std::uint32_t begin, std::uint32_t end,
                 std::string_view text_key = "text", std::string_view prefix = "");

void append_int(std::string& out, std::int64_t value);
void append_uint(std::string& out, std::uint64_t value);
// Shortest round-trip representation ("%.17g" trimmed would be platform-fragile;
// std::to_chars is exact and locale-free). Non-finite values become null.
void append_double(std::string& out, double value);

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace wirefeed::core::json
