// DLQ reference records: what the dead-letter topic gets when even the DLQ
// record of a failed input cannot be written (a broker or topic limit lower
// than wirefeed's, a key or headers too large), so the partition moves on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

// The header that marks a reference record; its value says which record was
// refused: "dlq" (the full DLQ record) or "output" (the enriched record, which
// a broker refused after the producer accepted it).
inline constexpr const char* kReferenceHeader = "wirefeed-dlq-reference";
// Why the full record was not written (librdkafka's or the broker's error).
inline constexpr const char* kRefusalHeader = "wirefeed-dlq-refusal";
// How much of the refused record's key and value a reference keeps.
inline constexpr std::size_t kReferenceHeadBytes = 1024;
// How many of the refused record's header names it lists.
inline constexpr std::size_t kReferenceMaxHeaders = 64;

// Errors that refuse one record for what it is (its size, its shape) and that a
// small record avoids: writing a reference instead lets the partition move on.
// Anything else (authorization, a topic that does not exist, brokers down) is
// not the record's fault and still stops the worker.
bool is_record_refusal(rd_kafka_resp_err_t err);

// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8
// sequence in two (invalid bytes are left to the JSON writer's lossy mode).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// What a reference record describes. Views must outlive make_reference_record().
struct RefusedRecord {
  std::string_view source_topic;  // the input topic; the original is there
  std::int32_t source_partition = -1;
  std::int64_t source_offset = -1;
  std::string_view refused;               // "dlq" or "output"
  std::string_view refusal;               // why it was refused
  std::string_view stage, code, message;  // why the input failed (empty for outputs)
  const void* key = nullptr;              // the refused record's key (null: none)
  std::size_t key_len = 0;
  const void* value = nullptr;  // the refused record's value
  std::size_t value_len = 0;
  const rd_kafka_headers_t* headers = nullptr;  // the refused record's headers, or null
};

// A record ready to produce: key, value (JSON, schemas/dlq_reference.schema.json)
// and headers (wirefeed-error-*, wirefeed-source-*, kReferenceHeader and
// kRefusalHeader). `headers` is owned here until handed to the producer.
struct ReferenceRecord {
  std::string key;
  bool has_key = false;
  std::string value;
  HeadersHandle headers;
};

// Builds the reference record; a few KiB at most whatever the refused record's
// size. Deterministic: the same refused record gives the same bytes.
ReferenceRecord make_reference_record(const RefusedRecord& refused);

// Fills `out` from a delivery report of a refused DLQ or output record (`why`): the
// source coordinates and the failure from its wirefeed-* headers where it has
// them, else from `source_*`. Views point into `m`, which must outlive `out`.
RefusedRecord refused_from_delivery(const rd_kafka_message_t* m, std::string_view source_topic,
                                    std::int32_t source_partition, std::int64_t source_offset,
                                    std::string_view refused, std::string_view why);

// Fills `out` from an input record whose DLQ record was refused (`why`), with
// the failure that sent it to the DLQ. Views point into the arguments.
RefusedRecord refused_from_input(const rd_kafka_message_t* input, std::string_view source_topic,
                                 std::string_view stage, std::string_view code,
                                 std::string_view message, std::string_view why);

// The wirefeed-error-message of a reference to an enriched record of `bytes`
// that a broker refused.
std::string refused_output_message(std::size_t bytes, std::string_view why);

// True if `m` carries kReferenceHeader (a reference record).
bool is_reference_record(const rd_kafka_message_t* m);

}  // namespace wirefeed::kafka
