// Size limits that agree: every input the worker admits can be dead-lettered,
// and every output it lets through fits the producer.
#pragma once

#include <cstddef>

#include "wirefeed/kafka/properties.h"

namespace wirefeed::kafka {

// Room a DLQ record takes beyond the input value it carries: the input's key and
// headers, copied, and wirefeed's own headers (error stage, code and message,
// source topic, partition and offset, replay id). wirefeed's part is small and
// bounded (the message at kMaxErrorMessageBytes); the rest is left to the input.
// A record whose key and headers need more still moves on: the DLQ then gets a
// reference record (see dlq_reference.h).
inline constexpr std::size_t kDlqHeaderAllowance = 64 * 1024;
// The longest wirefeed-error-message header; longer messages are cut at a UTF-8
// character boundary.
inline constexpr std::size_t kMaxErrorMessageBytes = 1024;

// The two record-size settings of the configuration, with its defaults.
struct SizeLimits {
  std::size_t max_message_bytes = 4 * 1024 * 1024;  // limits.max_message_bytes (input values)
  std::size_t max_output_bytes = 2 * 1024 * 1024;   // limits.max_output_bytes (enriched values)
};

// The producer's message.max.bytes when the user sets none: the larger of the
// input and output limits plus kDlqHeaderAllowance (4 MiB + 64 KiB for the
// defaults), so that both kinds of record fit.
std::size_t default_producer_message_max_bytes(const SizeLimits& limits);

// Checks that `producer` (the effective producer properties, with
// message.max.bytes set) can write the DLQ record of every input the worker
// admits and every output under the output limit. Throws std::invalid_argument
// with one line naming both settings and the values that would agree.
void check_size_limits(const Properties& producer, const SizeLimits& limits);

}  // namespace wirefeed::kafka
