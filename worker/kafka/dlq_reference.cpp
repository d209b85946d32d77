#include "wirefeed/kafka/dlq_reference.h"

#include "wirefeed/core/json_writer.h"
#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

namespace {

using core::json::append_int;
using core::json::append_string;
using core::json::append_string_lossy;
using core::json::append_uint;

std::string_view bytes(const void* p, std::size_t n) {
  return p ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}

std::string_view header_value(const rd_kafka_headers_t* headers, const char* name) {
  if (!headers) return {};
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return {};
  }
  return bytes(value, size);
}

// wirefeed's own failure headers, which the reference sets itself.
bool is_failure_header(std::string_view name) {
  return name.starts_with("wirefeed-error-") || name.starts_with("wirefeed-source-");
}

void add(rd_kafka_headers_t* h, const char* name, std::string_view value) {
  rd_kafka_header_add(h, name, -1, value.data(), static_cast<ssize_t>(value.size()));
}

}  // namespace

bool is_record_refusal(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:     // over message.max.bytes (ours or the broker's)
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:  // the batch it would go in is over the limit
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:  // e.g. a compacted topic and a null key
      return true;
    default:
      return false;
  }
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the sequence cut.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

ReferenceRecord make_reference_record(const RefusedRecord& r) {
  ReferenceRecord out;
  std::string_view key = bytes(r.key, r.key_len);
  std::string_view value = bytes(r.value, r.value_len);
  out.has_key = r.key != nullptr;
  // The same key (cut to its head) keeps the reference in the partition the
  // DLQ record would have gone to.
  out.key = std::string(key.substr(0, kReferenceHeadBytes));

  std::string& v = out.value;
  v.reserve(3 * kReferenceHeadBytes + 512);
  v += "{\"wirefeed_dlq_reference\":1,\"source\":{\"topic\":";
  append_string_lossy(v, r.source_topic);
  v += ",\"partition\":";
  append_int(v, r.source_partition);
  v += ",\"offset\":";
  append_int(v, r.source_offset);
  v += "},\"refused\":";
  append_string_lossy(v, r.refused);
  v += ",\"refusal\":";
  append_string_lossy(v, utf8_prefix(r.refusal, kReferenceHeadBytes));
  v += ",\"error\":";
  if (r.code.empty()) {
    v += "null";
  } else {
    v += "{\"stage\":";
    append_string_lossy(v, r.stage);
    v += ",\"code\":";
    append_string_lossy(v, r.code);
    v += ",\"message\":";
    append_string_lossy(v, utf8_prefix(r.message, kReferenceHeadBytes));
    v += '}';
  }
  v += ",\"key\":";
  if (r.key) {
    append_string_lossy(v, utf8_prefix(key, kReferenceHeadBytes));
  } else {
    v += "null";
  }
  v += ",\"key_bytes\":";
  append_uint(v, key.size());
  v += ",\"value_bytes\":";
  append_uint(v, value.size());
  v += ",\"value_head\":";
  append_string_lossy(v, utf8_prefix(value, kReferenceHeadBytes));
  v += ",\"headers\":[";
  std::size_t count = 0, header_bytes = 0, listed = 0;
  if (r.headers) {
    const char* name;
    const void* hv;
    size_t size;
    for (size_t i = 0; !rd_kafka_header_get_all(r.headers, i, &name, &hv, &size); ++i) {
      if (is_failure_header(name)) continue;
      ++count;
      header_bytes += std::string_view(name).size() + size;
      if (listed == kReferenceMaxHeaders) continue;
      if (listed++) v += ',';
      v += "{\"name\":";
      append_string_lossy(v, utf8_prefix(name, 256));
      v += ",\"value_bytes\":";
      append_uint(v, size);
      v += '}';
    }
  }
  v += "],\"header_count\":";
  append_uint(v, count);
  v += ",\"header_bytes\":";
  append_uint(v, header_bytes);
  v += '}';

  out.headers.reset(rd_kafka_headers_new(10));
  rd_kafka_headers_t* h = out.headers.get();
  if (!r.code.empty()) {
    add(h, "wirefeed-error-stage", r.stage);
    add(h, "wirefeed-error-code", r.code);
    add(h, "wirefeed-error-message", utf8_prefix(r.message, kReferenceHeadBytes));
  }
  std::string partition = std::to_string(r.source_partition);
  std::string offset = std::to_string(r.source_offset);
  add(h, "wirefeed-source-topic", r.source_topic);
  add(h, "wirefeed-source-partition", partition);
  add(h, "wirefeed-source-offset", offset);
  add(h, kReferenceHeader, r.refused);
  add(h, kRefusalHeader, utf8_prefix(r.refusal, kReferenceHeadBytes));
  return out;
}

RefusedRecord refused_from_delivery(const rd_kafka_message_t* m, std::string_view source_topic,
                                    std::int32_t source_partition, std::int64_t source_offset,
                                    std::string_view refused, std::string_view why) {
  RefusedRecord r;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) headers = nullptr;
  r.headers = headers;
  r.source_topic = source_topic;
  r.source_partition = source_partition;
  r.source_offset = source_offset;
  r.refused = refused;
  r.refusal = why;
  r.stage = header_value(headers, "wirefeed-error-stage");
  r.code = header_value(headers, "wirefeed-error-code");
  r.message = header_value(headers, "wirefeed-error-message");
  r.key = m->key;
  r.key_len = m->key_len;
  r.value = m->payload;
  r.value_len = m->len;
  return r;
}

RefusedRecord refused_from_input(const rd_kafka_message_t* input, std::string_view source_topic,
                                 std::string_view stage, std::string_view code,
                                 std::string_view message, std::string_view why) {
  RefusedRecord r;
  r.source_topic = source_topic;
  r.source_partition = input->partition;
  r.source_offset = input->offset;
  r.refused = "dlq";
  r.refusal = why;
  r.stage = stage;
  r.code = code;
  r.message = message;
  r.key = input->key;
  r.key_len = input->key_len;
  r.value = input->payload;
  r.value_len = input->len;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(input, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) r.headers = headers;
  return r;
}

std::string refused_output_message(std::size_t bytes, std::string_view why) {
  return "the output topic refused the enriched record of " + std::to_string(bytes) +
         " bytes: " + std::string(why);
}

bool is_reference_record(const rd_kafka_message_t* m) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  return !header_value(headers, kReferenceHeader).empty();
}

}  // namespace wirefeed::kafka
