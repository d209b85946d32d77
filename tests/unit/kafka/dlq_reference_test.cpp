#include "wirefeed/kafka/dlq_reference.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace wirefeed::kafka {

namespace {

std::string header(const ReferenceRecord& r, const char* name) {
  const void* v = nullptr;
  size_t n = 0;
  if (rd_kafka_header_get_last(r.headers.get(), name, &v, &n)) return "<none>";
  return std::string(static_cast<const char*>(v), n);
}

RefusedRecord refused(std::string_view key, std::string_view value,
                      const rd_kafka_headers_t* headers = nullptr) {
  RefusedRecord r;
  r.source_topic = "news.raw";
  r.source_partition = 3;
  r.source_offset = 1200;
  r.refused = "dlq";
  r.refusal = "Broker: Message size too large";
  r.stage = "decode";
  r.code = "oversize_message";
  r.message = "message value is 5000000 bytes";
  r.key = key.data();
  r.key_len = key.size();
  r.value = value.data();
  r.value_len = value.size();
  r.headers = headers;
  return r;
}

}  // namespace

TEST(DlqReference, says_where_the_original_is_why_it_failed_and_keeps_its_first_bytes) {
  HeadersHandle input(rd_kafka_headers_new(4));
  rd_kafka_header_add(input.get(), "traceparent", -1, "00-abc", 6);
  rd_kafka_header_add(input.get(), "wirefeed-error-code", -1, "oversize_message", 16);
  std::string value = "{\"id\":\"a1\",\"body\":\"" + std::string(5000, 'x') + "\"}";
  ReferenceRecord r = make_reference_record(refused("a1", value, input.get()));
  EXPECT_TRUE(r.has_key);
  EXPECT_EQ(r.key, "a1");
  EXPECT_EQ(
      r.value,
      R"({"wirefeed_dlq_reference":1,"source":{"topic":"news.raw","partition":3,"offset":1200},)"
      R"("refused":"dlq","refusal":"Broker: Message size too large","error":{"stage":"decode",)"
      R"("code":"oversize_message","message":"message value is 5000000 bytes"},"key":"a1",)"
      R"("key_bytes":2,"value_bytes":5021,"value_head":")" +
          std::string(R"({\"id\":\"a1\",\"body\":\")") + std::string(1024 - 19, 'x') +
          R"(","headers":[{"name":"traceparent","value_bytes":6}],"header_count":1,)"
          R"("header_bytes":17})");
  EXPECT_EQ(header(r, kReferenceHeader), "dlq");
  EXPECT_EQ(header(r, kRefusalHeader), "Broker: Message size too large");
  EXPECT_EQ(header(r, "wirefeed-error-code"), "oversize_message");
  EXPECT_EQ(header(r, "wirefeed-source-topic"), "news.raw");
  EXPECT_EQ(header(r, "wirefeed-source-partition"), "3");
  EXPECT_EQ(header(r, "wirefeed-source-offset"), "1200");
  EXPECT_EQ(header(r, "traceparent"), "<none>");  // the original headers are only listed
  std::string report;
  EXPECT_TRUE(testing::validate_against_schema({r.value}, "dlq_reference.schema.json", &report))
      << report;
}

TEST(DlqReference, stays_small_and_valid_json_whatever_the_refused_record_holds) {
  // A huge key, invalid UTF-8, a multi-byte character across the cut, 100 headers.
  std::string key(100000, 'k');
  std::string value = std::string(1023, 'a') + "\xC3\xA9" + "\xFF\xFE tail";
  HeadersHandle input(rd_kafka_headers_new(100));
  for (int i = 0; i < 100; ++i) {
    std::string name = "h" + std::to_string(i);
    rd_kafka_header_add(input.get(), name.c_str(), -1, "v", 1);
  }
  RefusedRecord rr = refused(key, value, input.get());
  rr.message = "\xFF bad bytes";
  ReferenceRecord r = make_reference_record(rr);
  EXPECT_EQ(r.key.size(), kReferenceHeadBytes);
  EXPECT_LT(r.value.size(), 8192u);
  // The cut never splits the two bytes of é; it falls before them.
  EXPECT_NE(r.value.find("\"value_head\":\"" + std::string(1023, 'a') + "\""), std::string::npos);
  EXPECT_NE(r.value.find("\"header_count\":100"), std::string::npos);
  std::string report;
  EXPECT_TRUE(testing::validate_against_schema({r.value}, "dlq_reference.schema.json", &report))
      << report;
}

TEST(DlqReference, a_null_key_stays_null) {
  RefusedRecord rr = refused("", "v");
  rr.key = nullptr;
  ReferenceRecord r = make_reference_record(rr);
  EXPECT_FALSE(r.has_key);
  EXPECT_NE(r.value.find(R"("key":null,"key_bytes":0)"), std::string::npos) << r.value;
}

TEST(DlqReference, only_refusals_of_the_record_itself_are_worked_around) {
  EXPECT_TRUE(is_record_refusal(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
  EXPECT_TRUE(is_record_refusal(RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE));
  EXPECT_TRUE(is_record_refusal(RD_KAFKA_RESP_ERR_INVALID_RECORD));
  // Not the record's fault: these still stop the worker without committing.
  EXPECT_FALSE(is_record_refusal(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED));
  EXPECT_FALSE(is_record_refusal(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
  EXPECT_FALSE(is_record_refusal(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT));
}

TEST(DlqReference, utf8_prefix_cuts_between_characters) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("ab\xC3\xA9", 3), "ab");
  EXPECT_EQ(utf8_prefix("ab\xC3\xA9", 4), "ab\xC3\xA9");
  EXPECT_EQ(utf8_prefix("\xE2\x82\xAC\xE2\x82\xAC", 5), "\xE2\x82\xAC");
}

}  // namespace wirefeed::kafka
