#include "wirefeed/config/config.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace wirefeed::config {

namespace {

constexpr const char* kBase = R"(
kafka:
  common:
    bootstrap.servers: broker-1:9092,broker-2:9092
    security.protocol: SASL_SSL
    sasl:
      mechanism: SCRAM-SHA-512
      username: wirefeed
      password: hunter2
  consumer:
    group.id: wirefeed-news
  producer:
    compression.type: zstd
topics:
  input: news.raw
  output: news.enriched
  dlq: news.dlq
metrics:
  listen: 0.0.0.0:9100
pipeline:
  stages: [validate, normalize, segment]
  threads: 4
limits:
  max_message_bytes: 2MiB
  max_in_flight: 8000
shutdown:
  deadline: 45s
)";

std::string error_of(const std::string& yaml, std::vector<std::string> env = {},
                     std::vector<std::string> sets = {}) {
  try {
    load(yaml, "test.yaml", env, sets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, loads_every_documented_key) {
  Config c = load(kBase, "test.yaml", {}, {});
  EXPECT_EQ(c.kafka_common.at("bootstrap.servers"), "broker-1:9092,broker-2:9092");
  EXPECT_EQ(c.kafka_common.at("sasl.mechanism"), "SCRAM-SHA-512");  // nested maps flatten
  EXPECT_EQ(c.kafka_consumer.at("group.id"), "wirefeed-news");
  EXPECT_EQ(c.kafka_producer.at("compression.type"), "zstd");
  EXPECT_EQ(c.topic_input, "news.raw");
  EXPECT_EQ(c.topic_dlq, "news.dlq");
  EXPECT_EQ(c.pipeline_stages, (std::vector<std::string>{"validate", "normalize", "segment"}));
  EXPECT_TRUE(c.pipeline_stages_set);
  EXPECT_EQ(c.pipeline_threads, 4u);
  EXPECT_EQ(c.max_message_bytes, 2u * 1024 * 1024);
  EXPECT_EQ(c.max_in_flight, 8000u);
  EXPECT_EQ(c.shutdown_deadline, std::chrono::seconds(45));
}

TEST(Config, environment_overrides_file_and_set_overrides_environment) {
  Config c = load(kBase, "test.yaml",
                  {"PATH=/bin", "WIREFEED_LIMITS_MAX_IN_FLIGHT=100",
                   "WIREFEED_KAFKA_COMMON_BOOTSTRAP_SERVERS=env:9092",
                   "WIREFEED_KAFKA_CONSUMER_GROUP_ID=from-env", "WIREFEED_TOPICS_DLQ=env.dlq"},
                  {"limits.max_in_flight=7", "kafka.producer.linger.ms=20", "pipeline.stages="});
  EXPECT_EQ(c.max_in_flight, 7u);
  EXPECT_EQ(c.kafka_common.at("bootstrap.servers"), "env:9092");
  EXPECT_EQ(c.kafka_consumer.at("group.id"), "from-env");
  EXPECT_EQ(c.topic_dlq, "env.dlq");
  EXPECT_EQ(c.kafka_producer.at("linger.ms"), "20");
  EXPECT_TRUE(c.pipeline_stages.empty());
  EXPECT_TRUE(c.pipeline_stages_set);  // an explicit empty list: decode + encode only
}

TEST(Config, env_names_follow_the_documented_mapping) {
  EXPECT_EQ(env_name("limits.max_in_flight"), "WIREFEED_LIMITS_MAX_IN_FLIGHT");
  EXPECT_EQ(env_name("metrics.listen"), "WIREFEED_METRICS_LISTEN");
}

TEST(Config, unknown_keys_and_bad_values_fail_with_one_line_naming_them) {
  EXPECT_EQ(error_of(std::string(kBase) + "limits:\n  max_inflight: 3\n"),
            "test.yaml: unknown config key 'limits.max_inflight'");
  EXPECT_EQ(error_of(kBase, {}, {"limits.max_in_flight=lots"}),
            "config key 'limits.max_in_flight': 'lots' is not a non-negative integer (optionally "
            "with KiB, MiB or GiB)");
  EXPECT_EQ(
      error_of(kBase, {}, {"shutdown.deadline=soon"}),
      "config key 'shutdown.deadline': 'soon' is not a duration such as 500ms, 30s, 2m or 1h");
  EXPECT_EQ(error_of(kBase, {"WIREFEED_LIMITS_MAXIMUM=1"}),
            "environment variable WIREFEED_LIMITS_MAXIMUM is not a wirefeed setting");
  EXPECT_EQ(error_of(kBase, {}, {"topics.output=news.raw"}),
            "config: topics.output and topics.dlq must differ from topics.input");
  EXPECT_EQ(error_of("topics: [a, b"),
            "test.yaml: invalid YAML at line 1: end of sequence flow not found");
  EXPECT_EQ(error_of("topics:\n  input: a\n  output: b\n  dlq: c\n"),
            "config key 'kafka.common.bootstrap.servers' is required");
  for (const auto& e :
       {error_of(std::string(kBase) + "bogus: 1\n"), error_of(kBase, {}, {"log.level=loud"})}) {
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
    EXPECT_FALSE(e.empty());
  }
}

TEST(Config, render_redacts_secrets) {
  Config c = load(kBase, "test.yaml", {}, {"kafka.common.ssl.key.password=s3cret"});
  std::string out = render(c);
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  EXPECT_EQ(out.find("s3cret"), std::string::npos);
  EXPECT_NE(out.find("sasl.password: \"[redacted]\""), std::string::npos) << out;
  EXPECT_NE(out.find("sasl.username: wirefeed"), std::string::npos);
  // The rendering is itself a valid config that loads back to the same values.
  Config again = load(out, "rendered", {}, {});
  EXPECT_EQ(again.max_in_flight, c.max_in_flight);
  EXPECT_EQ(again.pipeline_stages, c.pipeline_stages);
  EXPECT_EQ(again.shutdown_deadline, c.shutdown_deadline);
}

TEST(Config, render_prints_every_key_of_the_table_nested_by_its_path_and_loads_back) {
  Config c =
      load(kBase, "test.yaml", {},
           {"metrics.enabled=false", "pipeline.stages=validate,normalize", "pipeline.threads=3",
            "pipeline.batch_size=64", "stages.summary.sentences=4", "limits.max_message_bytes=1MiB",
            "limits.max_in_flight=77", "processing.guarantee=exactly_once", "shutdown.deadline=5s",
            "health.stuck_after=1m", "log.level=warn", "log.format=json"});
  const std::string out = render(c);
  for (const KeyInfo& k : known_keys()) {
    if (k.path.find('<') != std::string_view::npos) continue;  // kafka.<section>.<property>
    // "a.b.c" is "a:" at the top, then "  b:", then "    c: ..." below it.
    std::size_t at = 0, depth = 0;
    for (std::string_view rest = k.path; !rest.empty(); ++depth) {
      std::size_t dot = rest.find('.');
      std::string line =
          "\n" + std::string(2 * depth, ' ') + std::string(rest.substr(0, dot)) + ":";
      at = ("\n" + out).find(line, at);
      ASSERT_NE(at, std::string::npos) << k.path << " in\n" << out;
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
  }
  EXPECT_NE(out.find("  guarantee: exactly_once\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  stages: [validate, normalize]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  deadline: 5000ms\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  enabled: false\n"), std::string::npos) << out;
  // Loaded back, it renders the same: every value survives the round trip.
  EXPECT_EQ(render(load(out, "rendered", {}, {})), out);
}

TEST(Config, the_example_config_in_the_repository_loads) {
  Config c = load_file(testing::source_path("deploy/config.example.yaml"), {}, {});
  EXPECT_FALSE(c.topic_input.empty());
}

TEST(Config, stage_options_from_yaml_environment_and_set_are_kept_for_the_registry) {
  Config c = load(std::string(kBase) + "stages:\n  summary:\n    sentences: 3\n", "test.yaml",
                  {"WIREFEED_STAGES_TOPICS_MIN_SCORE=0.4"}, {"stages.entities.max_items=50"});
  EXPECT_EQ(c.stage_settings, (std::map<std::string, std::string>{{"entities.max_items", "50"},
                                                                  {"summary.sentences", "3"},
                                                                  {"topics.min_score", "0.4"}}));
  // Rendered grouped by stage, and loaded back to the same values.
  const std::string out = render(c);
  EXPECT_NE(out.find("summary:\n    sentences: 3"), std::string::npos) << out;
  EXPECT_EQ(load(out, "rendered", {}, {}).stage_settings, c.stage_settings);
  // A key without an option is not a stage option.
  EXPECT_EQ(error_of(kBase, {}, {"stages.summary=3"}),
            "--set: unknown config key 'stages.summary'");
}

TEST(Config, durations_accept_units) {
  EXPECT_EQ(parse_duration("250ms", "k"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_duration("2m", "k"), std::chrono::minutes(2));
  EXPECT_EQ(parse_duration("1h", "k"), std::chrono::hours(1));
  EXPECT_EQ(parse_duration("30", "k"), std::chrono::seconds(30));
  EXPECT_THROW(parse_duration("-1s", "k"), ConfigError);
}

}  // namespace wirefeed::config

namespace wirefeed::config {

TEST(Config, processing_guarantee_selects_exactly_once) {
  EXPECT_FALSE(load(kBase, "test.yaml", {}, {}).exactly_once);  // at-least-once by default
  Config c = load(kBase, "test.yaml", {}, {"processing.guarantee=exactly_once"});
  EXPECT_TRUE(c.exactly_once);
  EXPECT_NE(render(c).find("guarantee: exactly_once"), std::string::npos) << render(c);
  EXPECT_TRUE(
      load(kBase, "test.yaml", {"WIREFEED_PROCESSING_GUARANTEE=exactly_once"}, {}).exactly_once);
  EXPECT_NE(error_of(kBase, {}, {"processing.guarantee=at_most_once"}).find("processing.guarantee"),
            std::string::npos);
}

}  // namespace wirefeed::config

namespace wirefeed::config {

TEST(Config, max_output_bytes_defaults_to_2MiB_and_takes_sizes) {
  EXPECT_EQ(load(kBase, "test.yaml", {}, {}).max_output_bytes, 2u * 1024 * 1024);
  Config c = load(kBase, "test.yaml", {}, {"limits.max_output_bytes=512KiB"});
  EXPECT_EQ(c.max_output_bytes, 512u * 1024);
  EXPECT_EQ(load(render(c), "rendered", {}, {}).max_output_bytes, 512u * 1024);
  EXPECT_EQ(error_of(kBase, {}, {"limits.max_output_bytes=10"}),
            "config key 'limits.max_output_bytes': must be at least 1024");
}

TEST(Config, header_propagation_is_all_none_or_a_list_of_names) {
  EXPECT_EQ(load(kBase, "test.yaml", {}, {}).output_headers_mode, "all");
  Config none =
      load(std::string(kBase) + "output:\n  headers:\n    propagate: none\n", "t", {}, {});
  EXPECT_EQ(none.output_headers_mode, "none");
  Config list = load(std::string(kBase) +
                         "output:\n  headers:\n    propagate: [traceparent, "
                         "x-trace-id]\n",
                     "t", {}, {});
  EXPECT_EQ(list.output_headers_mode, "list");
  EXPECT_EQ(list.output_headers, (std::vector<std::string>{"traceparent", "x-trace-id"}));
  // The rendering loads back to the same list; --set and the environment take commas.
  Config again = load(render(list), "rendered", {}, {});
  EXPECT_EQ(again.output_headers, list.output_headers);
  EXPECT_EQ(load(kBase, "t", {"WIREFEED_OUTPUT_HEADERS_PROPAGATE=a,b"}, {}).output_headers,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(load(std::string(kBase) + "output: {headers: {propagate: []}}\n", "t", {}, {})
                .output_headers_mode,
            "none");
  EXPECT_NE(error_of(kBase, {}, {"output.headers.propagate= , "}).find("output.headers.propagate"),
            std::string::npos);
}

}  // namespace wirefeed::config
