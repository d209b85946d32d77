#include "wirefeed/core/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace wirefeed::core::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes that need escaping: '"', '\\' and the C0 controls.
inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

}  // namespace

// Whether any of the eight bytes of `x` needs escaping: the classic SWAR tests
// "has a byte < 0x20" and "has a zero byte" (after xor with '"' and '\\').
// They may flag a clean block by a carry (never miss a dirty one): the block is
// then checked byte by byte, which decides.
inline bool block_needs_escape(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const std::uint64_t control = (x - 0x20 * kOnes) & ~x & kHigh;
  return (control | has_zero(x ^ ('"' * kOnes)) | has_zero(x ^ ('\\' * kOnes))) != 0;
}

void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;  // copy unescaped runs in one go
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Skip clean eight-byte blocks: most of a text needs no escape.
    while (i + 8 <= s.size()) {
      std::uint64_t block;
      std::memcpy(&block, s.data() + i, 8);
      if (block_needs_escape(block)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (needs_escape(c)) {
      out.append(s.data() + run, i - run);
      append_escape(out, c);
      run = i + 1;
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void append_string_lossy(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (needs_escape(c)) {
        append_escape(out, c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  out += '"';
}

void append_string_or_null(std::string& out, std::string_view s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_string(out, s);
  }
}

void append_span(std::string& out, std::string_view text, std::uint32_t begin, std::uint32_t end,
                 std::string_view text_key, std::string_view prefix) {
  bool empty = end <= begin;
  auto key = [&](std::string_view p, std::string_view name) {
    out += '"';
    out += p;
    out += name;
    out += "\":";
  };
  key("", text_key);
  append_string_or_null(out, empty ? std::string_view() : text.substr(begin, end - begin));
  out += ',';
  key(prefix, "begin");
  if (empty) {
    out += "null";
  } else {
    append_uint(out, begin);
  }
  out += ',';
  key(prefix, "end");
  if (empty) {
    out += "null";
  } else {
    append_uint(out, end);
  }
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_uint(std::string& out, std::uint64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buf[32];
  // Shortest round-trip form, but never a long run of digits: 6.67e19 would
  // print as 66666666666666663936, which parsers that read digit-only numbers
  // as 64-bit integers (simdjson) reject. Beyond 2^53 a double is not an exact
  // integer anyway, so exponent form says what it is.
  const bool huge = std::fabs(value) >= 9007199254740992.0;  // 2^53
  auto [end, ec] = huge ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific)
                        : std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_double_whole_as_int(std::string& out, double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    append_int(out, static_cast<std::int64_t>(value));
  } else {
    append_double(out, value);
  }
}

}  // namespace wirefeed::core::json
