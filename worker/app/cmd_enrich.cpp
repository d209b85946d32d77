// wirefeed enrich: the pipeline offline, no Kafka.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli.h"
#include "wirefeed/core/batch_executor.h"
#include "wirefeed/core/json_writer.h"
#include "wiring.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp =
    R"(usage: wirefeed enrich [--input FILE] [--output FILE] [--config FILE]
                       [--set key=value ...] [--threads N]

Runs the pipeline without Kafka. Input is JSON Lines of raw articles
(schemas/raw_article.schema.json) or, when it does not start with '{', one
plain-text article. Output is one enriched JSON record per line, in input order
(schemas/enriched_article.schema.json), with "source": null.

options:
  --input FILE    read from FILE (default: stdin)
  --output FILE   write to FILE (default: stdout)
  --config FILE   take pipeline.* and limits.* from a config file (Kafka keys unused)
  --set key=val   override one config key (repeatable)
  --threads N     pipeline threads (default: pipeline.threads, else 1)

Records that fail are reported on stderr as JSON lines {"record", "stage",
"code", "message"}; a summary line with throughput ends stderr.
exit codes: 0 all enriched, 1 some records failed or bad config, 2 wrong usage
)";

constexpr std::size_t kChunk = 512;

struct EnrichArgs {
  std::string input_path, output_path, config_path;
  std::vector<std::string> sets;
  long long threads = -1;
};

int enrich(const EnrichArgs& a) {
  const std::string& input_path = a.input_path;
  const std::string& output_path = a.output_path;
  const std::string& config_path = a.config_path;
  const std::vector<std::string>& sets = a.sets;
  const long long threads = a.threads;
  config::Config config =
      config_path.empty()
          ? config::load("", "", config::process_environment(), sets, /*require_kafka=*/false)
          : config::load_file(config_path, config::process_environment(), sets, false);
  auto pipeline = stages::build_pipeline(resolved_stages(config), stage_options(config));

  std::string input;
  if (input_path.empty()) {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    input = ss.str();
  } else {
    std::ifstream in(input_path, std::ios::binary);
    if (!in) throw std::runtime_error("enrich: cannot read '" + input_path + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    input = ss.str();
  }
  std::FILE* out = stdout;
  if (!output_path.empty()) {
    out = std::fopen(output_path.c_str(), "wb");
    if (!out) throw std::runtime_error("enrich: cannot write '" + output_path + "'");
  }

  // JSON Lines, or the whole input as one plain-text article.
  std::vector<std::string_view> records;
  std::size_t first = input.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && input[first] == '{') {
    std::string_view rest = input;
    while (!rest.empty()) {
      std::size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) records.push_back(line);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
  } else if (first != std::string::npos) {
    records.push_back(input);
  }

  std::size_t n_threads = threads > 0                   ? static_cast<std::size_t>(threads)
                          : config.pipeline_threads > 0 ? config.pipeline_threads
                                                        : 1;
  core::BatchExecutor executor(*pipeline, n_threads);
  std::vector<core::Article> articles(kChunk);
  std::vector<core::RunResult> results(kChunk);
  std::size_t failed = 0;
  std::size_t in_bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t base = 0; base < records.size(); base += kChunk) {
    std::size_t n = std::min(kChunk, records.size() - base);
    for (std::size_t i = 0; i < n; ++i) {
      articles[i].reset();
      articles[i].raw = records[base + i];
      in_bytes += records[base + i].size();
    }
    executor.run(articles, results, n);
    for (std::size_t i = 0; i < n; ++i) {
      if (results[i].ok()) {
        std::fwrite(articles[i].output.data(), 1, articles[i].output.size(), out);
        std::fputc('\n', out);
        continue;
      }
      ++failed;
      std::string line = "{\"record\":";
      core::json::append_uint(line, base + i + 1);
      line += ",\"stage\":";
      core::json::append_string(line, results[i].stage);
      line += ",\"code\":";
      core::json::append_string(line, core::code_name(results[i].status.code()));
      line += ",\"message\":";
      core::json::append_string_lossy(line, results[i].status.message());
      line += "}\n";
      std::fputs(line.c_str(), stderr);
    }
  }
  if (out != stdout)
    std::fclose(out);
  else
    std::fflush(out);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string summary = "{\"msg\":\"enrich done\",\"records\":";
  core::json::append_uint(summary, records.size());
  summary += ",\"enriched\":";
  core::json::append_uint(summary, records.size() - failed);
  summary += ",\"failed\":";
  core::json::append_uint(summary, failed);
  summary += ",\"threads\":";
  core::json::append_uint(summary, n_threads);
  summary += ",\"seconds\":";
  core::json::append_double(summary, seconds);
  summary += ",\"articles_per_second\":";
  core::json::append_double(summary,
                            seconds > 0 ? static_cast<double>(records.size()) / seconds : 0);
  summary += ",\"mb_per_second\":";
  core::json::append_double(summary,
                            seconds > 0 ? static_cast<double>(in_bytes) / 1e6 / seconds : 0);
  summary += "}\n";
  std::fputs(summary.c_str(), stderr);
  return failed == 0 ? 0 : 1;
}

}  // namespace

Runner declare_enrich(CLI::App& sub) {
  sub.description(kHelp);
  auto a = std::make_shared<EnrichArgs>();
  sub.add_option("--input", a->input_path, "read from FILE (default: stdin)");
  sub.add_option("--output", a->output_path, "write to FILE (default: stdout)");
  sub.add_option("--config", a->config_path, "take pipeline.* and limits.* from a config file");
  add_sets(sub, a->sets);
  sub.add_option("--threads", a->threads, "pipeline threads")->check(at_least(1));
  return [a] { return enrich(*a); };
}

}  // namespace wirefeed::app
