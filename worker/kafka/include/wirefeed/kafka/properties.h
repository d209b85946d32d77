// librdkafka client properties, as the configuration hands them to the Kafka
// layer. The public headers of worker/kafka name librdkafka's types nowhere, so
// code above this layer (app, ops, tests of the whole worker) compiles without
// librdkafka's headers; its handles live in internal/ (handles.h).
#pragma once

#include <map>
#include <string>

namespace wirefeed::kafka {

// librdkafka properties, applied in order.
using Properties = std::map<std::string, std::string>;

// Throws std::invalid_argument with one line naming the property librdkafka
// rejects (an unknown name or a bad value); `client` ("consumer"/"producer")
// goes in the message.
void check_properties(const Properties& properties, const std::string& client);

// The librdkafka version the process runs with (rd_kafka_version_str()).
const char* librdkafka_version();

}  // namespace wirefeed::kafka
