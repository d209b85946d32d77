#include "wirefeed/kafka/redrive.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/redrive_headers.h"

namespace wirefeed::kafka {

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

HeadersHandle make(const Headers& in) {
  HeadersHandle h(rd_kafka_headers_new(in.size()));
  for (const auto& [k, v] : in)
    rd_kafka_header_add(h.get(), k.data(), static_cast<ssize_t>(k.size()), v.data(),
                        static_cast<ssize_t>(v.size()));
  return h;
}

Headers list(const rd_kafka_headers_t* h) {
  Headers out;
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; !rd_kafka_header_get_all(h, i, &name, &value, &size); ++i)
    out.emplace_back(name, std::string(static_cast<const char*>(value), size));
  return out;
}

}  // namespace

TEST(Redrive, the_filter_takes_any_listed_reason_and_any_listed_stage) {
  RedriveFilter all;
  EXPECT_TRUE(all.matches("oversize_message", "decode"));
  EXPECT_TRUE(all.matches("", ""));
  RedriveFilter f{{"oversize_message", "output_too_large"}, {}};
  EXPECT_TRUE(f.matches("output_too_large", "encode"));
  EXPECT_FALSE(f.matches("malformed_json", "decode"));
  RedriveFilter both{{"internal"}, {"entities"}};
  EXPECT_TRUE(both.matches("internal", "entities"));
  EXPECT_FALSE(both.matches("internal", "quotes"));
  EXPECT_FALSE(both.matches("malformed_json", "entities"));
}

TEST(Redrive, the_copy_keeps_the_original_headers_and_says_where_it_failed) {
  HeadersHandle dlq =
      make({{"x-trace-id", "t-1"},
            {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
            {"wirefeed-redrive-id", "an-earlier-redrive"},
            {"wirefeed-error-stage", "decode"},
            {"wirefeed-error-code", "oversize_message"},
            {"wirefeed-error-message", "message value is 5000000 bytes"},
            {"wirefeed-source-topic", "news.raw"},
            {"wirefeed-source-partition", "2"},
            {"wirefeed-source-offset", "880"},
            {"wirefeed-replay-id", "backfill"}});
  HeadersHandle out = redrive_headers(dlq.get(), dlq.get(), "raise-limit");
  EXPECT_EQ(list(out.get()),
            (Headers{{"x-trace-id", "t-1"},
                     {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                     {"wirefeed-redrive-id", "raise-limit"},
                     {"wirefeed-redrive-source-topic", "news.raw"},
                     {"wirefeed-redrive-source-partition", "2"},
                     {"wirefeed-redrive-source-offset", "880"},
                     {"wirefeed-redrive-reason", "oversize_message"}}));
}

TEST(Redrive, a_reference_records_copy_takes_the_originals_headers) {
  HeadersHandle original = make({{"x-trace-id", "t-9"}});
  HeadersHandle dlq = make({{"wirefeed-error-code", "output_too_large"},
                            {"wirefeed-source-topic", "news.raw"},
                            {"wirefeed-source-partition", "0"},
                            {"wirefeed-source-offset", "7"},
                            {"wirefeed-dlq-reference", "dlq"},
                            {"wirefeed-dlq-refusal", "Broker: Message size too large"}});
  HeadersHandle out = redrive_headers(original.get(), dlq.get(), "r");
  EXPECT_EQ(list(out.get()), (Headers{{"x-trace-id", "t-9"},
                                      {"wirefeed-redrive-id", "r"},
                                      {"wirefeed-redrive-source-topic", "news.raw"},
                                      {"wirefeed-redrive-source-partition", "0"},
                                      {"wirefeed-redrive-source-offset", "7"},
                                      {"wirefeed-redrive-reason", "output_too_large"}}));
  EXPECT_EQ(redrive_group_id("r"), "wirefeed-redrive-r");
}

}  // namespace wirefeed::kafka
