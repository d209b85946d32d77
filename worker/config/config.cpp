#include "wirefeed/config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <type_traits>
#include <variant>

extern char** environ;

namespace wirefeed::config {

namespace {

using Setter = std::function<void(Config&, const std::string& key, const std::string& value)>;
// A key's effective value as render() prints it: a scalar (text, boolean or
// count) or, for lists such as pipeline.stages, a flow sequence.
using Rendered = std::variant<std::string, bool, std::size_t, std::vector<std::string>>;
using Getter = std::function<Rendered(const Config&)>;

std::string render_duration(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + "ms";
}

std::size_t parse_size(const std::string& text, const std::string& key, std::size_t min_value) {
  std::string_view s = text;
  std::size_t multiplier = 1;
  for (auto [suffix, m] : {std::pair<std::string_view, std::size_t>{"KiB", 1024},
                           {"MiB", 1024 * 1024},
                           {"GiB", 1024ull * 1024 * 1024}}) {
    if (s.ends_with(suffix)) {
      multiplier = m;
      s.remove_suffix(suffix.size());
      break;
    }
  }
  std::size_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
    throw ConfigError("config key '" + key + "': '" + text +
                      "' is not a non-negative integer (optionally with KiB, MiB or GiB)");
  }
  value *= multiplier;
  if (value < min_value) {
    throw ConfigError("config key '" + key + "': must be at least " + std::to_string(min_value));
  }
  return value;
}

bool parse_bool(const std::string& text, const std::string& key) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  throw ConfigError("config key '" + key + "': '" + text + "' is not a boolean");
}

std::string one_of(const std::string& text, const std::string& key,
                   std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (text == a) return text;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ConfigError("config key '" + key + "': '" + text + "' is not one of " + list);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(" \t");
    auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

// One row per key: loading (set) and rendering (get) both come from this table,
// so a key added here is parsed, validated and printed by `run --check`.
struct Key {
  KeyInfo info;
  Setter set;
  Getter get;
};

const std::vector<Key>& keys() {
  static const std::vector<Key> kKeys = {
      {{"topics.input", "topic to consume raw articles from (required for run)"},
       [](Config& c, auto&, auto& v) { c.topic_input = v; },
       [](const Config& c) -> Rendered { return c.topic_input; }},
      {{"topics.output", "topic for enriched records (required for run)"},
       [](Config& c, auto&, auto& v) { c.topic_output = v; },
       [](const Config& c) -> Rendered { return c.topic_output; }},
      {{"topics.dlq", "dead-letter topic for records that fail (required for run)"},
       [](Config& c, auto&, auto& v) { c.topic_dlq = v; },
       [](const Config& c) -> Rendered { return c.topic_dlq; }},
      {{"metrics.enabled", "serve /metrics, /healthz and /readyz (default true)"},
       [](Config& c, auto& k, auto& v) { c.metrics_enabled = parse_bool(v, k); },
       [](const Config& c) -> Rendered { return c.metrics_enabled; }},
      {{"metrics.listen", "host:port of the HTTP endpoint (default 0.0.0.0:9100)"},
       [](Config& c, auto& k, auto& v) {
         if (v.find(':') == std::string::npos) {
           throw ConfigError("config key '" + k + "': '" + v + "' is not host:port");
         }
         c.metrics_listen = v;
       },
       [](const Config& c) -> Rendered { return c.metrics_listen; }},
      {{"pipeline.stages", "stages to run, in order (default: all; decode/encode always frame)"},
       [](Config& c, auto&, auto& v) {
         c.pipeline_stages = split_list(v);
         c.pipeline_stages_set = true;
       },
       [](const Config& c) -> Rendered { return c.pipeline_stages; }},
      {{"pipeline.threads", "pipeline threads (default 0: one per hardware thread)"},
       [](Config& c, auto& k, auto& v) { c.pipeline_threads = parse_size(v, k, 0); },
       [](const Config& c) -> Rendered { return c.pipeline_threads; }},
      {{"pipeline.batch_size", "records polled and processed together (default 500)"},
       [](Config& c, auto& k, auto& v) { c.pipeline_batch_size = parse_size(v, k, 1); },
       [](const Config& c) -> Rendered { return c.pipeline_batch_size; }},
      {{"limits.max_message_bytes", "larger input values go to the DLQ (default 4MiB)"},
       [](Config& c, auto& k, auto& v) { c.max_message_bytes = parse_size(v, k, 1); },
       [](const Config& c) -> Rendered { return c.max_message_bytes; }},
      {{"limits.max_output_bytes",
        "larger enriched records go to the DLQ as output_too_large (default 2MiB)"},
       [](Config& c, auto& k, auto& v) { c.max_output_bytes = parse_size(v, k, 1024); },
       [](const Config& c) -> Rendered { return c.max_output_bytes; }},
      {{"limits.max_in_flight", "records between poll and acknowledged output (default 20000)"},
       [](Config& c, auto& k, auto& v) { c.max_in_flight = parse_size(v, k, 1); },
       [](const Config& c) -> Rendered { return c.max_in_flight; }},
      {{"processing.guarantee",
        "at_least_once (default) or exactly_once (Kafka transactions; brokers 2.5+)"},
       [](Config& c, auto& k, auto& v) {
         c.exactly_once = one_of(v, k, {"at_least_once", "exactly_once"}) == "exactly_once";
       },
       [](const Config& c) -> Rendered {
         return std::string(c.exactly_once ? "exactly_once" : "at_least_once");
       }},
      {{"shutdown.deadline", "time to drain, flush and commit on SIGTERM (default 30s)"},
       [](Config& c, auto& k, auto& v) { c.shutdown_deadline = parse_duration(v, k); },
       [](const Config& c) -> Rendered { return render_duration(c.shutdown_deadline); }},
      {{"health.stuck_after", "/readyz fails when in-flight work has not moved this long"},
       [](Config& c, auto& k, auto& v) { c.stuck_after = parse_duration(v, k); },
       [](const Config& c) -> Rendered { return render_duration(c.stuck_after); }},
      {{"output.headers.propagate",
        "input headers copied to the enriched record: all (default), none or a list of names"},
       [](Config& c, auto& k, auto& v) {
         c.output_headers.clear();
         if (v == "all" || v == "none") {
           c.output_headers_mode = v;
           return;
         }
         c.output_headers = split_list(v);
         if (c.output_headers.empty()) {
           throw ConfigError("config key '" + k +
                             "': expected all, none or a list of header names");
         }
         c.output_headers_mode = "list";
       },
       [](const Config& c) -> Rendered {
         if (c.output_headers_mode == "list") return c.output_headers;
         return c.output_headers_mode;
       }},
      {{"log.level", "debug, info, warn or error (default info)"},
       [](Config& c, auto& k, auto& v) {
         c.log_level = one_of(v, k, {"debug", "info", "warn", "error"});
       },
       [](const Config& c) -> Rendered { return c.log_level; }},
      {{"log.format", "auto (text on a TTY, else JSON lines), json or text"},
       [](Config& c, auto& k, auto& v) {
         c.log_format = one_of(v, k, {"auto", "json", "text"});
       },
       [](const Config& c) -> Rendered { return c.log_format; }},
  };
  return kKeys;
}

constexpr std::string_view kPropertySections[] = {"kafka.common", "kafka.consumer",
                                                  "kafka.producer"};

Properties& section(Config& c, std::string_view name) {
  if (name == "kafka.common") return c.kafka_common;
  if (name == "kafka.consumer") return c.kafka_consumer;
  return c.kafka_producer;
}

const Properties& section(const Config& c, std::string_view name) {
  if (name == "kafka.common") return c.kafka_common;
  if (name == "kafka.consumer") return c.kafka_consumer;
  return c.kafka_producer;
}

// Applies one dotted key. Returns false if the key is unknown.
bool apply(Config& config, const std::string& key, const std::string& value) {
  for (auto sec : kPropertySections) {
    if (key.size() > sec.size() + 1 && key.starts_with(sec) && key[sec.size()] == '.') {
      section(config, sec)[key.substr(sec.size() + 1)] = value;
      return true;
    }
  }
  for (const auto& k : keys()) {
    if (k.info.path == key) {
      k.set(config, key, value);
      return true;
    }
  }
  // stages.<stage>.<option>: kept as written; the stage registry declares and
  // checks them when the pipeline is built (config does not know the stages).
  constexpr std::string_view kStages = "stages.";
  if (key.starts_with(kStages) && key.find('.', kStages.size()) != std::string::npos &&
      key.back() != '.') {
    config.stage_settings[key.substr(kStages.size())] = value;
    return true;
  }
  return false;
}

std::string scalar_text(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) throw ConfigError("config key '" + key + "' must be a scalar");
  return node.Scalar();
}

void flatten_properties(const YAML::Node& node, const std::string& prefix, Properties& out,
                        const std::string& key_path) {
  if (!node.IsMap()) throw ConfigError("config key '" + key_path + "' must be a mapping");
  for (const auto& item : node) {
    std::string name = item.first.Scalar();
    std::string full = prefix.empty() ? name : prefix + "." + name;
    if (item.second.IsMap()) {
      flatten_properties(item.second, full, out, key_path + "." + name);
    } else {
      out[full] = scalar_text(item.second, key_path + "." + name);
    }
  }
}

void walk_yaml(const YAML::Node& node, const std::string& path, Config& config,
               const std::string& source) {
  for (auto sec : kPropertySections) {
    if (path == sec) {
      if (node.IsNull()) return;
      flatten_properties(node, "", section(config, sec), path);
      return;
    }
  }
  if (path == "pipeline.stages" && node.IsSequence()) {
    config.pipeline_stages.clear();
    config.pipeline_stages_set = true;
    for (const auto& item : node) config.pipeline_stages.push_back(scalar_text(item, path));
    return;
  }
  if (path == "output.headers.propagate" && node.IsSequence()) {
    std::string names;
    for (const auto& item : node) names += (names.empty() ? "" : ",") + scalar_text(item, path);
    if (names.empty()) names = "none";  // [] copies nothing
    apply(config, path, names);
    return;
  }
  if (node.IsMap()) {
    for (const auto& item : node) {
      std::string key = item.first.Scalar();
      walk_yaml(item.second, path.empty() ? key : path + "." + key, config, source);
    }
    return;
  }
  if (path.empty()) {
    if (node.IsNull()) return;
    throw ConfigError(source + ": the top level must be a mapping");
  }
  if (!apply(config, path, node.IsNull() ? std::string() : scalar_text(node, path))) {
    throw ConfigError(source + ": unknown config key '" + path + "'");
  }
}

std::string upper_underscored(std::string_view path) {
  std::string out;
  for (char c : path) out += c == '.' ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

void apply_env(Config& config, const std::vector<std::string>& env) {
  for (const auto& entry : env) {
    if (!entry.starts_with("WIREFEED_")) continue;
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    std::string value = entry.substr(eq + 1);
    bool matched = false;
    for (const auto& k : keys()) {
      if (env_name(k.info.path) == name) {
        k.set(config, std::string(k.info.path), value);
        matched = true;
        break;
      }
    }
    for (auto sec : kPropertySections) {
      std::string prefix = env_name(sec) + "_";
      if (!matched && name.size() > prefix.size() && name.starts_with(prefix)) {
        std::string property;
        for (char c : name.substr(prefix.size())) {
          property += c == '_' ? '.' : static_cast<char>(std::tolower(c));
        }
        section(config, sec)[property] = value;
        matched = true;
      }
    }
    // WIREFEED_STAGES_<STAGE>_<OPTION>: stage names have no '_', option names may.
    const std::string stages_prefix = "WIREFEED_STAGES_";
    if (!matched && name.starts_with(stages_prefix)) {
      const std::string rest = name.substr(stages_prefix.size());
      const std::size_t cut = rest.find('_');
      if (cut != std::string::npos && cut > 0 && cut + 1 < rest.size()) {
        std::string key;
        for (char c : rest.substr(0, cut)) key += static_cast<char>(std::tolower(c));
        key += '.';
        for (char c : rest.substr(cut + 1)) key += static_cast<char>(std::tolower(c));
        config.stage_settings[key] = value;
        matched = true;
      }
    }
    if (!matched) {
      throw ConfigError("environment variable " + name + " is not a wirefeed setting");
    }
  }
}

}  // namespace

const std::vector<KeyInfo>& known_keys() {
  static const std::vector<KeyInfo> kInfos = [] {
    std::vector<KeyInfo> infos = {
        {"kafka.common.<property>", "librdkafka property for consumer and producer"},
        {"kafka.consumer.<property>", "librdkafka consumer property (e.g. group.id)"},
        {"kafka.producer.<property>", "librdkafka producer property"},
        {"stages.<stage>.<option>",
         "an option a stage declares (deploy/config.example.yaml lists them)"}};
    for (const auto& k : keys()) infos.push_back(k.info);
    return infos;
  }();
  return kInfos;
}

std::string env_name(std::string_view path) { return "WIREFEED_" + upper_underscored(path); }

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& key) {
  std::string_view s = text;
  long long multiplier = 1000;
  if (s.ends_with("ms")) {
    multiplier = 1;
    s.remove_suffix(2);
  } else if (s.ends_with("s")) {
    s.remove_suffix(1);
  } else if (s.ends_with("m")) {
    multiplier = 60'000;
    s.remove_suffix(1);
  } else if (s.ends_with("h")) {
    multiplier = 3'600'000;
    s.remove_suffix(1);
  }
  long long value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || value < 0) {
    throw ConfigError("config key '" + key + "': '" + text +
                      "' is not a duration such as 500ms, 30s, 2m or 1h");
  }
  return std::chrono::milliseconds(value * multiplier);
}

Config load(const std::string& yaml_text, const std::string& source,
            const std::vector<std::string>& env, const std::vector<std::string>& sets,
            bool require_kafka) {
  Config config;
  if (!yaml_text.empty()) {
    YAML::Node root;
    try {
      root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
      throw ConfigError(source + ": invalid YAML at line " + std::to_string(e.mark.line + 1) +
                        ": " + e.msg);
    }
    walk_yaml(root, "", config, source);
  }
  apply_env(config, env);
  for (const auto& set : sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ConfigError("--set '" + set + "': expected key=value");
    }
    std::string key = set.substr(0, eq);
    if (!apply(config, key, set.substr(eq + 1))) {
      throw ConfigError("--set: unknown config key '" + key + "'");
    }
  }
  if (require_kafka) {
    for (auto [key, value] :
         {std::pair<const char*, const std::string*>{"topics.input", &config.topic_input},
          {"topics.output", &config.topic_output},
          {"topics.dlq", &config.topic_dlq}}) {
      if (value->empty()) throw ConfigError("config key '" + std::string(key) + "' is required");
    }
    if (config.topic_output == config.topic_input || config.topic_dlq == config.topic_input) {
      throw ConfigError("config: topics.output and topics.dlq must differ from topics.input");
    }
    if (!config.kafka_common.contains("bootstrap.servers") &&
        !config.kafka_consumer.contains("bootstrap.servers")) {
      throw ConfigError("config key 'kafka.common.bootstrap.servers' is required");
    }
    if (!config.kafka_consumer.contains("group.id") && !config.kafka_common.contains("group.id")) {
      throw ConfigError("config key 'kafka.consumer.group.id' is required");
    }
  }
  return config;
}

Config load_file(const std::string& path, const std::vector<std::string>& env,
                 const std::vector<std::string>& sets, bool require_kafka) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("config file '" + path + "' cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return load(ss.str(), path, env, sets, require_kafka);
}

bool is_secret_property(std::string_view name) {
  return name.find("password") != std::string_view::npos ||
         name.find("secret") != std::string_view::npos ||
         name.find("jaas") != std::string_view::npos || name == "ssl.key.pem" ||
         name == "ssl_key" || name == "sasl.oauthbearer.config" ||
         name.find("token") != std::string_view::npos;
}

std::string render(const Config& c) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  // The librdkafka properties: as given, with secrets redacted.
  out << YAML::Key << "kafka" << YAML::Value << YAML::BeginMap;
  for (auto section_name : kPropertySections) {
    const Properties& p = section(c, section_name);
    out << YAML::Key << std::string(section_name.substr(section_name.find('.') + 1)) << YAML::Value
        << YAML::BeginMap;
    for (const auto& [k, v] : p) {
      out << YAML::Key << k << YAML::Value << (is_secret_property(k) ? "[redacted]" : v);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  // Every other key, nested by its dotted path, in table order (keys that share a
  // prefix are neighbours in the table, so each section is written once).
  std::vector<std::string_view> open;  // the path of the maps open now
  for (const auto& k : keys()) {
    std::vector<std::string_view> path;
    for (std::string_view rest = k.info.path; !rest.empty();) {
      std::size_t dot = rest.find('.');
      path.push_back(rest.substr(0, dot));
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    std::size_t common = 0;
    while (common < open.size() && common + 1 < path.size() && open[common] == path[common]) {
      ++common;
    }
    for (; open.size() > common; open.pop_back()) out << YAML::EndMap;
    for (; open.size() + 1 < path.size(); open.push_back(path[open.size()])) {
      out << YAML::Key << std::string(path[open.size()]) << YAML::Value << YAML::BeginMap;
    }
    out << YAML::Key << std::string(path.back()) << YAML::Value;
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            out << YAML::Flow << v;
          } else {
            out << v;
          }
        },
        k.get(c));
  }
  for (; !open.empty(); open.pop_back()) out << YAML::EndMap;
  // stages.<stage>.<option>: as given, grouped by stage (not in the key table:
  // the stage registry declares them).
  if (!c.stage_settings.empty()) {
    out << YAML::Key << "stages" << YAML::Value << YAML::BeginMap;
    for (auto it = c.stage_settings.begin(); it != c.stage_settings.end();) {
      const std::string stage = it->first.substr(0, it->first.find('.'));
      out << YAML::Key << stage << YAML::Value << YAML::BeginMap;
      for (; it != c.stage_settings.end() && it->first.starts_with(stage + "."); ++it) {
        out << YAML::Key << it->first.substr(stage.size() + 1) << YAML::Value << it->second;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::vector<std::string> process_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return env;
}

}  // namespace wirefeed::config
