// The demo's input: the sample articles compiled into the binary, cycled with
// distinct ids, and the malformed records a real feed delivers now and then.
#pragma once

#include <cstddef>
#include <vector>

#include "wirefeed/kafka/record_io.h"

namespace wirefeed::app {

// One record per kind of bad input, each of which must end in the DLQ with its
// reason: malformed JSON, invalid UTF-8, an empty value, no body, a field of the
// wrong type, and a value larger than `oversize_bytes` (the demo's
// limits.max_message_bytes).
std::vector<kafka::Record> malformed_records(std::size_t oversize_bytes);

// `wanted` records (0: every sample once plus the malformed ones): the malformed
// records spread through the stream, and the samples cycled around them. Round
// k > 0 gives each JSON sample the id "<id>-<k+1>" (in the value and the key),
// so every output record is an article of its own; the plain-text seed article,
// whose id derives from its text, comes in the first round only. The key only
// spreads records over partitions; the output key is the article id.
std::vector<kafka::Record> demo_records(std::size_t wanted, std::size_t oversize_bytes);

}  // namespace wirefeed::app
