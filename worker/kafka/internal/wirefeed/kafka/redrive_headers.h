// The headers a redriven record carries (see redrive.h). Internal: it speaks
// librdkafka's header lists.
#pragma once

#include <string_view>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

// The headers a redriven record carries: the DLQ record's, without what wirefeed
// added when it dead-lettered it (wirefeed-error-*, wirefeed-source-*,
// wirefeed-dlq-*, wirefeed-replay-id) or an earlier redrive added
// (wirefeed-redrive-*), then wirefeed-redrive-id and where the record failed:
// wirefeed-redrive-source-topic, -partition, -offset and wirefeed-redrive-reason.
// `original` holds the headers to keep (for a reference record, the original
// input's; otherwise the DLQ record's own) and `dlq` the DLQ record's (for the
// coordinates and the reason). Either may be null.
HeadersHandle redrive_headers(const rd_kafka_headers_t* original, const rd_kafka_headers_t* dlq,
                              std::string_view redrive_id);

}  // namespace wirefeed::kafka
