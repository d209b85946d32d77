#include "wirefeed/kafka/header_propagation.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// Runs `policy` on `input` after one header wirefeed writes itself.
Headers propagate(const HeaderPropagation& policy, const Headers& input) {
  HeadersHandle in(rd_kafka_headers_new(input.size()));
  for (const auto& [k, v] : input)
    rd_kafka_header_add(in.get(), k.data(), static_cast<ssize_t>(k.size()), v.data(),
                        static_cast<ssize_t>(v.size()));
  HeadersHandle out(rd_kafka_headers_new(4));
  rd_kafka_header_add(out.get(), "wirefeed-processed-at-ms", -1, "1", 1);
  std::string scratch;
  policy.append(in.get(), out.get(), scratch);
  Headers got;
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; !rd_kafka_header_get_all(out.get(), i, &name, &value, &size); ++i)
    got.emplace_back(name, std::string(static_cast<const char*>(value), size));
  return got;
}

}  // namespace

TEST(HeaderPropagation, all_copies_input_headers_in_order_after_wirefeeds_own) {
  Headers got = propagate(HeaderPropagation(), {{"x-trace-id", "t-1"},
                                                {"traceparent", kParent},
                                                {"tracestate", "congo=t61rcWkgMzE"},
                                                {"x-empty", ""}});
  EXPECT_EQ(got, (Headers{{"wirefeed-processed-at-ms", "1"},
                          {"x-trace-id", "t-1"},
                          {"traceparent", kParent},
                          {"tracestate", "congo=t61rcWkgMzE"},
                          {"x-empty", ""}}));
}

TEST(HeaderPropagation, none_copies_nothing) {
  EXPECT_EQ(propagate(HeaderPropagation::none(), {{"x-trace-id", "t-1"}}),
            (Headers{{"wirefeed-processed-at-ms", "1"}}));
}

TEST(HeaderPropagation, a_list_copies_the_named_headers_case_insensitively) {
  Headers got = propagate(HeaderPropagation::list({"X-Trace-Id", "x-tenant"}),
                          {{"x-trace-id", "t-1"}, {"x-other", "o"}, {"X-TENANT", "acme"}});
  EXPECT_EQ(
      got,
      (Headers{{"wirefeed-processed-at-ms", "1"}, {"x-trace-id", "t-1"}, {"X-TENANT", "acme"}}));
}

TEST(HeaderPropagation, naming_traceparent_brings_tracestate_along) {
  Headers got = propagate(HeaderPropagation::list({"traceparent"}),
                          {{"traceparent", kParent}, {"tracestate", "a=1"}, {"x", "y"}});
  EXPECT_EQ(got, (Headers{{"wirefeed-processed-at-ms", "1"},
                          {"traceparent", kParent},
                          {"tracestate", "a=1"}}));
}

TEST(HeaderPropagation, wirefeeds_own_headers_are_never_copied_from_the_input) {
  Headers got = propagate(HeaderPropagation(), {{"wirefeed-processed-at-ms", "999"},
                                                {"wirefeed-replay-id", "old"},
                                                {"wirefeed-redrive-id", "r1"}});
  EXPECT_EQ(got, (Headers{{"wirefeed-processed-at-ms", "1"}, {"wirefeed-redrive-id", "r1"}}));
}

TEST(HeaderPropagation, several_tracestate_headers_become_one_list) {
  Headers got =
      propagate(HeaderPropagation(),
                {{"tracestate", "a=1,b=2"}, {"traceparent", kParent}, {"tracestate", "c=3"}});
  EXPECT_EQ(got, (Headers{{"wirefeed-processed-at-ms", "1"},
                          {"tracestate", "a=1,b=2,c=3"},
                          {"traceparent", kParent}}));
}

TEST(HeaderPropagation, no_trace_context_flows_without_exactly_one_valid_traceparent) {
  Headers only_ours{{"wirefeed-processed-at-ms", "1"}, {"x", "y"}};
  // Two traceparents: which trace is this? Neither, and no tracestate either.
  EXPECT_EQ(
      propagate(
          HeaderPropagation(),
          {{"traceparent", kParent}, {"traceparent", kParent}, {"tracestate", "a=1"}, {"x", "y"}}),
      only_ours);
  // An invalid one (upper-case hex), or a tracestate alone.
  EXPECT_EQ(propagate(HeaderPropagation(),
                      {{"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"},
                       {"tracestate", "a=1"},
                       {"x", "y"}}),
            only_ours);
  EXPECT_EQ(propagate(HeaderPropagation(), {{"tracestate", "a=1"}, {"x", "y"}}), only_ours);
}

TEST(HeaderPropagation, traceparent_validation_follows_the_w3c_format) {
  EXPECT_TRUE(valid_traceparent(kParent));
  EXPECT_TRUE(valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
  // A later version may append fields after a dash; version 00 may not.
  EXPECT_TRUE(valid_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"));
  EXPECT_FALSE(valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"));
  EXPECT_FALSE(valid_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(valid_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_FALSE(valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"));
  EXPECT_FALSE(valid_traceparent("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"));
  EXPECT_FALSE(valid_traceparent(""));
}

}  // namespace wirefeed::kafka
