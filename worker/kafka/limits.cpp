#include "wirefeed/kafka/limits.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

namespace wirefeed::kafka {

std::size_t default_producer_message_max_bytes(const SizeLimits& limits) {
  return std::max(limits.max_message_bytes, limits.max_output_bytes) + kDlqHeaderAllowance;
}

void check_size_limits(const Properties& producer, const SizeLimits& limits) {
  std::size_t producer_max = default_producer_message_max_bytes(limits);
  if (auto it = producer.find("message.max.bytes"); it != producer.end()) {
    const std::string& text = it->second;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), producer_max);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      throw std::invalid_argument("kafka producer property 'message.max.bytes': '" + text +
                                  "' is not a byte count");
    }
  }
  auto n = [](std::size_t v) { return std::to_string(v); };
  const std::size_t allowance = kDlqHeaderAllowance;
  // What to do about it, in one clause: raise the producer's limit, or lower ours
  // when the producer's leaves room for anything at all.
  auto remedy = [&](const char* key, std::size_t needed) {
    std::string out = "raise kafka.producer.message.max.bytes to at least " + n(needed);
    if (producer_max > allowance) {
      out += std::string(" or lower ") + key + " to at most " + n(producer_max - allowance);
    }
    return out;
  };
  if (limits.max_message_bytes + allowance > producer_max) {
    // An admitted input could be neither enriched nor dead-lettered in full.
    throw std::invalid_argument(
        "limits.max_message_bytes (" + n(limits.max_message_bytes) + ") plus " + n(allowance) +
        " bytes of DLQ headers exceeds kafka.producer.message.max.bytes (" + n(producer_max) +
        "), so an admitted record could not be dead-lettered: " +
        remedy("limits.max_message_bytes", limits.max_message_bytes + allowance));
  }
  if (limits.max_output_bytes + allowance > producer_max) {
    throw std::invalid_argument(
        "limits.max_output_bytes (" + n(limits.max_output_bytes) + ") plus " + n(allowance) +
        " bytes of key and headers exceeds kafka.producer.message.max.bytes (" + n(producer_max) +
        "): " + remedy("limits.max_output_bytes", limits.max_output_bytes + allowance));
  }
}

}  // namespace wirefeed::kafka
