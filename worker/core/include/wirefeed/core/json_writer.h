// Minimal, allocation-free (beyond the target string) JSON output helpers. Output
// is deterministic: callers fix member order, numbers are formatted locale-free.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

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
// A quantity: whole values below 1e15 in magnitude as integers (100000, not
// 1e+05; -0.0 as 0), every other value as append_double() writes it.
void append_double_whole_as_int(std::string& out, double value);

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// Writes one JSON value -- usually an object or array -- into a string, tracking
// commas and nesting so callers only name members and values:
//
//   json::Writer w(article.add_enrichment("stats").json);
//   w.begin_object().member("chars", chars).member("words", words);
//   w.key("languages").begin_array();
//   for (...) w.begin_object().member("code", code).end_object();
//   w.end_array().end_object();
//
// The bytes are those of the append_* functions above, so output written by hand
// before stays byte-identical. Keys are written as given, unescaped: they must be
// literals that need no escaping (every key of the record is). It appends to `out`
// (which must outlive the writer) and allocates nothing of its own; nesting is
// tracked in a bit set, up to 63 levels. Not thread-safe (one writer per string).
// Misuse (a value where a key is due, unbalanced ends) is caught by assertions in
// debug builds.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Containers, written as a value: at the top, after key(), or as an array item.
  Writer& begin_object() {
    open('{', true);
    return *this;
  }
  Writer& end_object() {
    close('}', true);
    return *this;
  }
  Writer& begin_array() {
    open('[', false);
    return *this;
  }
  Writer& end_array() {
    close(']', false);
    return *this;
  }

  // The key of the next member of the open object; the next call writes its value.
  // A literal's length is known at compile time, so `,"key":` costs what the
  // hand-written literal did.
  template <std::size_t N>
  Writer& key(const char (&key)[N]) {
    return literal_key(key);
  }
  Writer& key(std::string_view key) { return runtime_key(key); }

  // Values.
  Writer& string(std::string_view s) {
    before_value();
    append_string(out_, s);
    return *this;
  }
  Writer& string_or_null(std::string_view s) {
    before_value();
    append_string_or_null(out_, s);
    return *this;
  }
  Writer& int64(std::int64_t v) {
    before_value();
    append_int(out_, v);
    return *this;
  }
  Writer& uint64(std::uint64_t v) {
    before_value();
    append_uint(out_, v);
    return *this;
  }
  Writer& number(double v) {
    before_value();
    append_double(out_, v);
    return *this;
  }
  // A double, whole values as integers (append_double_whole_as_int()).
  Writer& number_whole_as_int(double v) {
    before_value();
    append_double_whole_as_int(out_, v);
    return *this;
  }
  Writer& boolean(bool v) {
    before_value();
    out_ += v ? "true" : "false";
    return *this;
  }
  Writer& null() {
    before_value();
    out_ += "null";
    return *this;
  }
  // A string known to need no escaping (hex digits, codes), without the scan.
  Writer& string_unescaped(std::string_view s) {
    assert(!needs_escaping(s));
    before_value();
    out_ += '"';
    out_ += s;
    out_ += '"';
    return *this;
  }
  // A value that is JSON already (a stage's member, a kept input object).
  Writer& raw(std::string_view json) {
    before_value();
    out_ += json;
    return *this;
  }

  // key(k) and the value, its JSON type chosen by the C++ type: bool, signed and
  // unsigned integers, floating point, std::nullptr_t (null), and anything that
  // converts to std::string_view (a string). No implicit bool from a pointer.
  template <std::size_t N, typename T>
  Writer& member(const char (&k)[N], const T& v) {
    literal_key(k);
    using V = std::decay_t<T>;
    if constexpr (std::is_same_v<V, bool>) {
      return boolean(v);
    } else if constexpr (std::is_same_v<V, std::nullptr_t>) {
      return null();
    } else if constexpr (std::is_floating_point_v<V>) {
      return number(static_cast<double>(v));
    } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) {
      return int64(static_cast<std::int64_t>(v));
    } else if constexpr (std::is_integral_v<V>) {
      return uint64(static_cast<std::uint64_t>(v));
    } else {
      static_assert(std::is_convertible_v<const T&, std::string_view>,
                    "member(): no JSON type for this C++ type");
      return string(std::string_view(v));
    }
  }
  template <std::size_t N>
  Writer& member_or_null(const char (&k)[N], std::string_view v) {
    literal_key(k);
    return string_or_null(v);
  }

  // The three members append_span() writes: "<text_key>", "<prefix>begin" and
  // "<prefix>end" of [begin, end) in `text` (null when the span is empty).
  Writer& span(std::string_view text, std::uint32_t begin, std::uint32_t end,
               std::string_view text_key = "text", std::string_view prefix = "") {
    assert(depth_ > 0 && in_object(depth_) && !after_key_);
    if (comma_due()) out_ += ',';
    append_span(out_, text, begin, end, text_key, prefix);
    return *this;
  }

  // True once every container opened has been closed.
  bool complete() const { return depth_ == 0 && !after_key_; }

 private:
  bool in_object(int level) const { return (objects_ >> level) & 1; }

  // `,"key":` in one append, as the literal of a hand-written member was: the key's
  // bytes go to a stack buffer first (a fixed-size copy the compiler unrolls).
  template <std::size_t N>
  Writer& literal_key(const char (&key)[N]) {
    assert(depth_ > 0 && in_object(depth_) && !after_key_);
    char buf[N + 3];
    buf[0] = ',';
    buf[1] = '"';
    std::memcpy(buf + 2, key, N - 1);
    buf[N + 1] = '"';
    buf[N + 2] = ':';
    const bool sep = comma_due();
    out_.append(buf + !sep, N + 3 - !sep);
    after_key_ = true;
    return *this;
  }
  Writer& runtime_key(std::string_view key) {
    assert(depth_ > 0 && in_object(depth_) && !after_key_);
    if (comma_due()) {
      out_.append(",\"", 2);
    } else {
      out_.push_back('"');
    }
    out_ += key;
    out_.append("\":", 2);
    after_key_ = true;
    return *this;
  }

  static bool needs_escaping(std::string_view s) {
    for (char c : s) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') return true;
    }
    return false;
  }
  // Whether a comma goes before the member or item about to be written: not
  // before the first of the open container. Marks the container non-empty.
  bool comma_due() {
    const std::uint64_t bit = std::uint64_t{1} << depth_;
    const bool due = nonempty_ & bit;
    nonempty_ |= bit;
    return due;
  }
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    assert(depth_ == 0 || !in_object(depth_));  // an object member needs key() first
    if (depth_ > 0 && comma_due()) out_ += ',';
  }
  void open(char c, bool object) {
    before_value();
    ++depth_;
    assert(depth_ < 64);
    const std::uint64_t bit = std::uint64_t{1} << depth_;
    nonempty_ &= ~bit;
    objects_ = object ? objects_ | bit : objects_ & ~bit;
    out_ += c;
  }
  void close(char c, [[maybe_unused]] bool object) {
    assert(depth_ > 0 && in_object(depth_) == object && !after_key_);
    --depth_;
    out_ += c;
  }

  std::string& out_;
  std::uint64_t nonempty_ = 0;  // bit d: the container at depth d has a member or item
  std::uint64_t objects_ = 0;   // bit d: the container at depth d is an object
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace wirefeed::core::json
