// libFuzzer target: the whole default pipeline (decode, html, every extraction
// stage, encode) on one record. Failures must be DLQ reasons; an enriched
// record must be one JSON object in valid UTF-8, and running the same input
// again on the reused article must give the same bytes (checked on every
// eighth input: the second run doubles the cost of an execution).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "wirefeed/stages/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto pipeline = [] {
    wirefeed::stages::StageOptions options;
    options.max_message_bytes = 1 << 20;
    return wirefeed::stages::build_pipeline(wirefeed::stages::default_stage_names(), options);
  }();
  static wirefeed::core::Pipeline::ThreadState state(*pipeline);
  static wirefeed::core::Article article;
  static std::string first;
  static std::uint64_t executions = 0;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  article.reset();
  article.raw = raw;
  const wirefeed::core::RunResult r = pipeline->run(article, state);
  wirefeed::fuzz::check_result(r);
  if (!r.ok()) return 0;
  wirefeed::fuzz::check_output(article.output);
  if (++executions % 8 != 0) return 0;
  first = article.output;

  article.reset();
  article.raw = raw;
  wirefeed::fuzz::check_result(pipeline->run(article, state));
  if (article.output != first) wirefeed::fuzz::fail("not deterministic", first);
  return 0;
}
