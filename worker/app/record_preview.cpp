#include "record_preview.h"

#include <simdjson.h>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::app {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// The first `chars` code points of valid UTF-8 `s` (cut on a code point boundary).
std::string_view first_code_points(std::string_view s, std::size_t chars, bool* cut) {
  std::size_t i = 0, n = 0;
  while (i < s.size() && n < chars) {
    std::size_t len = core::json::utf8_sequence_length(s, i);
    i += len ? len : 1;
    ++n;
  }
  *cut = i < s.size();
  return s.substr(0, i);
}

class Renderer {
 public:
  Renderer(const PreviewLimits& limits, std::string& out) : limits_(limits), out_(out) {}

  void value(simdjson::dom::element e, int depth) {
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::OBJECT:
        object(e.get_object().value_unsafe(), depth);
        return;
      case element_type::ARRAY:
        array(e.get_array().value_unsafe(), depth);
        return;
      case element_type::STRING: {
        bool cut = false;
        std::string_view s = first_code_points(
            e.get_string().value_unsafe(),
            depth <= 1 ? limits_.top_string_chars : limits_.nested_string_chars, &cut);
        core::json::append_string(out_, s);
        if (cut) out_.insert(out_.size() - 1, kEllipsis);
        return;
      }
      case element_type::INT64:
        core::json::append_int(out_, e.get_int64().value_unsafe());
        return;
      case element_type::UINT64:
        core::json::append_uint(out_, e.get_uint64().value_unsafe());
        return;
      case element_type::DOUBLE:
        core::json::append_double(out_, e.get_double().value_unsafe());
        return;
      case element_type::BOOL:
        out_ += e.get_bool().value_unsafe() ? "true" : "false";
        return;
      case element_type::NULL_VALUE:
        out_ += "null";
        return;
    }
  }

 private:
  void object(simdjson::dom::object o, int depth) {
    // The record itself: one member per line. Anything deeper: on one line.
    const bool lines = depth == 0;
    out_ += '{';
    bool first = true;
    for (auto [key, v] : o) {
      if (!first) out_ += lines ? "," : ", ";
      if (lines) out_ += "\n  ";
      first = false;
      core::json::append_string(out_, key);
      out_ += ": ";
      value(v, depth + 1);
    }
    if (lines && !first) out_ += '\n';
    out_ += '}';
  }

  void array(simdjson::dom::array a, int depth) {
    const std::size_t keep = depth <= 1 ? limits_.top_list_items : limits_.nested_list_items;
    out_ += '[';
    std::size_t n = 0;
    for (auto v : a) {
      if (n < keep) {
        if (n) out_ += ", ";
        value(v, depth + 1);
      }
      ++n;
    }
    if (n > keep) {
      out_ += ", ";
      out_ += kEllipsis;
      out_ += ' ';
      core::json::append_uint(out_, n - keep);
      out_ += " more";
    }
    out_ += ']';
  }

  const PreviewLimits& limits_;
  std::string& out_;
};

}  // namespace

std::string preview_record(std::string_view json, const PreviewLimits& limits) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS ||
      root.type() != simdjson::dom::element_type::OBJECT) {
    return std::string(json);
  }
  std::string out;
  Renderer(limits, out).value(root, 0);
  return out;
}

}  // namespace wirefeed::app
