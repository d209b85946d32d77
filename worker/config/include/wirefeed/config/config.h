// Configuration: YAML file, then WIREFEED_* environment, then --set overrides.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wirefeed::config {

// A start-up configuration fault. what() is one line naming the key and the problem.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// librdkafka properties, passed through verbatim. Ordered so output is stable.
using Properties = std::map<std::string, std::string>;

struct Config {
  Properties kafka_common;                      // kafka.common: both clients
  Properties kafka_consumer;                    // kafka.consumer
  Properties kafka_producer;                    // kafka.producer
  std::string topic_input;                      // topics.input
  std::string topic_output;                     // topics.output
  std::string topic_dlq;                        // topics.dlq
  bool metrics_enabled = true;                  // metrics.enabled
  std::string metrics_listen = "0.0.0.0:9100";  // metrics.listen (host:port)
  std::vector<std::string> pipeline_stages;     // pipeline.stages, when set
  bool pipeline_stages_set = false;             // false: every built-in stage
  std::size_t pipeline_threads = 0;             // pipeline.threads (0: hardware threads)
  std::size_t pipeline_batch_size = 500;        // pipeline.batch_size
  // stages.<stage>.<option> as written, keyed "<stage>.<option>": the stage
  // registry declares the options and checks them when it builds the pipeline.
  std::map<std::string, std::string> stage_settings;
  std::size_t max_message_bytes = 4 * 1024 * 1024;     // limits.max_message_bytes
  std::size_t max_output_bytes = 2 * 1024 * 1024;      // limits.max_output_bytes
  std::size_t max_in_flight = 20000;                   // limits.max_in_flight
  std::chrono::milliseconds shutdown_deadline{30000};  // shutdown.deadline
  bool exactly_once = false;                           // processing.guarantee
  std::chrono::milliseconds stuck_after{120000};       // health.stuck_after
  std::string log_level = "info";                      // log.level: debug|info|warn|error
  std::string log_format = "auto";                     // log.format: auto|json|text
  // output.headers.propagate: which input headers the enriched record carries.
  std::string output_headers_mode = "all";  // all | none | list
  std::vector<std::string> output_headers;  // the names, when the mode is list
};

// One documented key: its dotted path and what it means (README and --help).
struct KeyInfo {
  std::string_view path;
  std::string_view description;
};
const std::vector<KeyInfo>& known_keys();

// The environment variable for a key: "WIREFEED_" + upper-cased path with '.' as
// '_' (limits.max_in_flight -> WIREFEED_LIMITS_MAX_IN_FLIGHT). librdkafka
// properties map as WIREFEED_KAFKA_<SECTION>_<PROPERTY> with '.' as '_'
// (WIREFEED_KAFKA_COMMON_BOOTSTRAP_SERVERS -> kafka.common bootstrap.servers).
std::string env_name(std::string_view path);

// Builds a Config. `yaml_text` is the file's content ("" for none), `source` names
// it in messages, `env` is the process environment as NAME=VALUE strings, `sets`
// are --set key=value overrides. Throws ConfigError on an unknown key, a bad
// value or a missing required key (when `require_kafka`).
Config load(const std::string& yaml_text, const std::string& source,
            const std::vector<std::string>& env, const std::vector<std::string>& sets,
            bool require_kafka = true);

// Reads `path` then calls load(). Throws ConfigError if the file cannot be read.
Config load_file(const std::string& path, const std::vector<std::string>& env,
                 const std::vector<std::string>& sets, bool require_kafka = true);

// The effective configuration as YAML, with secret values replaced by "[redacted]".
std::string render(const Config& config);

// True for property names whose values must never be printed or logged.
bool is_secret_property(std::string_view name);

// Parses "250ms", "30s", "2m", "1h" (a bare number is seconds).
std::chrono::milliseconds parse_duration(const std::string& text, const std::string& key);

// The process environment as NAME=VALUE strings.
std::vector<std::string> process_environment();

}  // namespace wirefeed::config
