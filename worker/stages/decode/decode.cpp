#include "decode/decode.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <vector>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace od = simdjson::ondemand;
using core::Code;
using core::Status;

namespace {

// Nested unknown fields deeper than this are refused rather than recursed into.
constexpr int kMaxExtraDepth = 256;

struct DecodeScratch final : core::Scratch {
  od::parser parser;        // reused: its buffers grow to the largest record seen
  od::parser extra_parser;  // validates nested unknown fields
  std::vector<char> padded;
};

Status json_error(simdjson::error_code err, std::string_view where) {
  if (err == simdjson::UTF8_ERROR) return {Code::kInvalidUtf8, "value is not valid UTF-8"};
  std::string message = "malformed JSON";
  if (!where.empty()) {
    message += " in ";
    message += where;
  }
  message += ": ";
  message += simdjson::error_message(err);
  return {Code::kMalformedJson, std::move(message)};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Walks a value completely so that every byte of it is validated (On-Demand only
// checks what is read; skipped content must not reach the output unchecked).
simdjson::error_code walk(od::value value, int depth) {
  if (depth > kMaxExtraDepth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (auto err = value.get_array().get(array)) return err;
      for (auto element : array) {
        od::value v;
        if (auto err = element.get(v)) return err;
        if (auto err = walk(v, depth + 1)) return err;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object object;
      if (auto err = value.get_object().get(object)) return err;
      for (auto field : object) {
        if (auto err = field.error()) return err;
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        if (auto err = walk(field.value(), depth + 1)) return err;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number:
      return value.get_double().error();
    case od::json_type::string:
      return value.get_string().error();
    case od::json_type::boolean:
      return value.get_bool().error();
    case od::json_type::null: {
      bool is_null = false;
      if (auto err = value.is_null().get(is_null)) return err;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

// The raw text of an unknown field's value, validated in full. Containers are
// re-parsed from their raw text: it lies inside the padded buffer, so the bytes
// after it (the rest of the record, then the padding) make it a valid padded view.
simdjson::error_code extra_value(od::value value, DecodeScratch& scratch, const char* buffer_end,
                                 std::string_view& raw) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  if (type == od::json_type::array || type == od::json_type::object) {
    simdjson::error_code err;
    if (type == od::json_type::array) {
      od::array array;
      if ((err = value.get_array().get(array))) return err;
      err = array.raw_json().get(raw);
    } else {
      od::object object;
      if ((err = value.get_object().get(object))) return err;
      err = object.raw_json().get(raw);
    }
    if (err) return err;
    raw = trim_right(raw);
    std::size_t capacity = static_cast<std::size_t>(buffer_end - raw.data());
    od::document doc;
    if (auto perr = scratch.extra_parser.iterate(raw.data(), raw.size(), capacity).get(doc)) {
      return perr;
    }
    od::value root;
    if (type == od::json_type::array) {
      od::array array;
      if (auto aerr = doc.get_array().get(array)) return aerr;
      for (auto element : array) {
        od::value v;
        if (auto verr = element.get(v)) return verr;
        if (auto werr = walk(v, 1)) return werr;
      }
    } else {
      od::object object;
      if (auto oerr = doc.get_object().get(object)) return oerr;
      for (auto field : object) {
        if (auto ferr = field.error()) return ferr;
        std::string_view key;
        if (auto kerr = field.unescaped_key().get(key)) return kerr;
        if (auto werr = walk(field.value(), 1)) return werr;
      }
    }
    return simdjson::SUCCESS;
  }
  // Scalars: take the token text first (it does not consume), then validate it.
  raw = trim_right(value.raw_json_token());
  return walk(value, 0);
}

// Reads an optional string field: null means absent. Returns false on a type error.
bool read_string(od::value value, std::string& out, bool& present, simdjson::error_code& err) {
  od::json_type type;
  if ((err = value.type().get(type))) return true;
  if (type == od::json_type::null) {
    bool is_null;
    err = value.is_null().get(is_null);
    present = false;
    out.clear();
    return true;
  }
  if (type != od::json_type::string) return false;
  std::string_view s;
  if ((err = value.get_string().get(s))) return true;
  out.assign(s);
  present = true;
  return true;
}

Status invalid_type(std::string_view field, std::string_view expected) {
  return {Code::kInvalidField,
          "field '" + std::string(field) + "' must be " + std::string(expected)};
}

Status decode_plain_text(core::Article& article) {
  std::string_view raw = article.raw;
  if (!simdjson::validate_utf8(raw.data(), raw.size())) {
    return {Code::kInvalidUtf8, "plain-text payload is not valid UTF-8"};
  }
  article.plain_text = true;
  std::string_view rest = raw;
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  // "date YYYY-MM-DD" then whitespace or the end: the publication date marker.
  auto digits = [](std::string_view s) {
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (rest.size() >= 15 && rest.starts_with("date ") && digits(rest.substr(5, 4)) &&
      rest[9] == '-' && digits(rest.substr(10, 2)) && rest[12] == '-' &&
      digits(rest.substr(13, 2)) && (rest.size() == 15 || is_space(rest[15]))) {
    article.published_at.assign(rest.substr(5, 10));
    rest.remove_prefix(15);
    while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  }
  article.body.assign(rest);
  article.has_body = true;
  return {};
}

}  // namespace

std::unique_ptr<core::Scratch> DecodeStage::new_scratch() const {
  return std::make_unique<DecodeScratch>();
}

Status DecodeStage::process(core::Article& article, core::Scratch& base) const {
  auto& scratch = static_cast<DecodeScratch&>(base);
  std::string_view raw = article.raw;
  if (raw.empty()) return {Code::kEmptyMessage, "message value is empty"};
  if (raw.size() > max_message_bytes_) {
    return {Code::kOversizeMessage, "message value is " + std::to_string(raw.size()) +
                                        " bytes; limits.max_message_bytes is " +
                                        std::to_string(max_message_bytes_)};
  }
  std::size_t first = 0;
  while (first < raw.size() && is_space(raw[first])) ++first;
  if (first == raw.size()) return {Code::kEmptyMessage, "message value is only whitespace"};
  if (raw[first] != '{') return decode_plain_text(article);

  // One copy into a reused padded buffer: simdjson needs readable padding bytes.
  std::size_t capacity = raw.size() + simdjson::SIMDJSON_PADDING;
  if (scratch.padded.size() < capacity) scratch.padded.resize(capacity);
  std::memcpy(scratch.padded.data(), raw.data(), raw.size());
  std::memset(scratch.padded.data() + raw.size(), 0, simdjson::SIMDJSON_PADDING);
  const char* buffer_end = scratch.padded.data() + capacity;

  od::document doc;
  if (auto err = scratch.parser.iterate(scratch.padded.data(), raw.size(), capacity).get(doc)) {
    return json_error(err, "");
  }
  // On-Demand reads lazily, so check first that one object spans the whole
  // payload (a cheap skip over the structural index), then rewind and read it.
  {
    od::object whole;
    std::string_view object_text;
    if (auto err = doc.get_object().get(whole)) return json_error(err, "");
    if (auto err = whole.raw_json().get(object_text)) return json_error(err, "");
    std::size_t end =
        static_cast<std::size_t>(object_text.data() - scratch.padded.data()) + object_text.size();
    for (std::size_t k = end; k < raw.size(); ++k) {
      if (!is_space(raw[k])) {
        return {Code::kMalformedJson, "malformed JSON: trailing content after the object"};
      }
    }
    doc.rewind();
  }
  od::object object;
  if (auto err = doc.get_object().get(object)) return json_error(err, "");

  bool has_extra = false;
  for (auto field_result : object) {
    od::field field;
    if (auto err = std::move(field_result).get(field)) return json_error(err, "");
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return json_error(err, "a key");
    od::value value = field.value();
    simdjson::error_code err = simdjson::SUCCESS;
    bool present = false;

    auto string_field = [&](std::string& out, bool* flag) -> Status {
      if (!read_string(value, out, present, err)) return invalid_type(key, "a string or null");
      if (err) return json_error(err, key);
      if (flag) *flag = present;
      return {};
    };

    Status status;
    if (key == "id") {
      status = string_field(article.id, nullptr);
    } else if (key == "url") {
      status = string_field(article.url, nullptr);
    } else if (key == "source") {
      status = string_field(article.source_name, nullptr);
    } else if (key == "title") {
      status = string_field(article.title, nullptr);
    } else if (key == "body") {
      status = string_field(article.body, &article.has_body);
    } else if (key == "html") {
      status = string_field(article.html, &article.has_html);
    } else if (key == "published_at") {
      status = string_field(article.published_at, nullptr);
    } else if (key == "language") {
      status = string_field(article.language, nullptr);
    } else if (key == "authors") {
      article.authors.clear();
      od::json_type type;
      if ((err = value.type().get(type))) return json_error(err, key);
      if (type == od::json_type::string) {
        std::string_view s;
        if ((err = value.get_string().get(s))) return json_error(err, key);
        article.authors.emplace_back(s);
        article.has_authors = true;
      } else if (type == od::json_type::array) {
        od::array array;
        if ((err = value.get_array().get(array))) return json_error(err, key);
        for (auto element : array) {
          od::value v;
          if ((err = element.get(v))) return json_error(err, key);
          od::json_type element_type;
          if ((err = v.type().get(element_type))) return json_error(err, key);
          if (element_type != od::json_type::string) {
            return invalid_type(key, "a string or an array of strings");
          }
          std::string_view s;
          if ((err = v.get_string().get(s))) return json_error(err, key);
          article.authors.emplace_back(s);
        }
        article.has_authors = true;
      } else if (type == od::json_type::null) {
        bool is_null;
        if ((err = value.is_null().get(is_null))) return json_error(err, key);
        article.has_authors = false;
      } else {
        return invalid_type(key, "a string or an array of strings");
      }
    } else {
      std::string_view raw_value;
      if ((err = extra_value(value, scratch, buffer_end, raw_value))) return json_error(err, key);
      article.extra_json += has_extra ? ',' : '{';
      core::json::append_string(article.extra_json, key);
      article.extra_json += ':';
      article.extra_json.append(raw_value);
      has_extra = true;
    }
    if (!status.ok()) return status;
  }
  if (has_extra) article.extra_json += '}';
  return {};
}

}  // namespace wirefeed::stages
