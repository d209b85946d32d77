// Per-stage and whole-pipeline throughput over real articles.
//
// Corpus: ../shared/data/bbc/train.jsonl when present (BBC News, evaluation only:
// read, never committed), else the committed samples. Before timing, each
// benchmark checks its output against a reference: the full pipeline's output
// for the same record, computed once up front.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "decode/decode.h"
#include "normalize/normalize.h"
#include "segment/segment.h"
#include "wirefeed/core/pipeline.h"
#include "wirefeed/stages/registry.h"

namespace {

using namespace wirefeed;

struct Corpus {
  std::string name;
  std::vector<std::string> records;
  std::size_t bytes = 0;
  std::vector<std::string> reference;  // full-pipeline output per record
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    std::string bbc = std::string(WIREFEED_SOURCE_DIR) + "/../shared/data/bbc/train.jsonl";
    std::ifstream in(bbc);
    c.name = "bbc";
    if (!in) {
      in = std::ifstream(std::string(WIREFEED_SOURCE_DIR) + "/data/samples/articles.jsonl");
      c.name = "samples";
    }
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      c.bytes += line.size();
      c.records.push_back(line);
    }
    auto pipeline = stages::build_pipeline(stages::default_stage_names(), {});
    core::Pipeline::ThreadState state(*pipeline);
    for (const auto& r : c.records) {
      core::Article a;
      a.raw = r;
      if (!pipeline->run(a, state).ok()) std::abort();
      c.reference.push_back(a.output);
    }
    return c;
  }();
  return c;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t items) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(items) * state.iterations());
  state.SetLabel(corpus().name);
}

// The whole pipeline, one thread, reusing one Article (the worker's pattern).
void BM_Pipeline_Full(benchmark::State& state) {
  const Corpus& c = corpus();
  auto pipeline = stages::build_pipeline(stages::default_stage_names(), {});
  core::Pipeline::ThreadState ts(*pipeline);
  core::Article a;
  for (std::size_t i = 0; i < c.records.size(); ++i) {  // reference check
    a.reset();
    a.raw = c.records[i];
    pipeline->run(a, ts);
    if (a.output != c.reference[i]) {
      state.SkipWithError("output differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (const auto& r : c.records) {
      a.reset();
      a.raw = r;
      benchmark::DoNotOptimize(pipeline->run(a, ts));
    }
  }
  report(state, c.bytes, c.records.size());
}
BENCHMARK(BM_Pipeline_Full)->Unit(benchmark::kMillisecond);

// decode + encode only: the plumbing floor of the pipeline.
void BM_Pipeline_DecodeEncode(benchmark::State& state) {
  const Corpus& c = corpus();
  auto pipeline = stages::build_pipeline({}, {});
  core::Pipeline::ThreadState ts(*pipeline);
  core::Article a;
  for (auto _ : state) {
    for (const auto& r : c.records) {
      a.reset();
      a.raw = r;
      benchmark::DoNotOptimize(pipeline->run(a, ts));
    }
  }
  report(state, c.bytes, c.records.size());
}
BENCHMARK(BM_Pipeline_DecodeEncode)->Unit(benchmark::kMillisecond);

void BM_Decode_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  stages::DecodeStage stage(64 << 20);
  auto scratch = stage.new_scratch();
  core::Article a;
  for (auto _ : state) {
    for (const auto& r : c.records) {
      a.reset();
      a.raw = r;
      benchmark::DoNotOptimize(stage.process(a, *scratch));
    }
  }
  report(state, c.bytes, c.records.size());
}
BENCHMARK(BM_Decode_Articles)->Unit(benchmark::kMillisecond);

// A bare simdjson On-Demand pass reading the same fields: the ratio to
// BM_Decode_Articles is decode's overhead.
void BM_Decode_BareSimdjson(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<simdjson::padded_string> padded;
  for (const auto& r : c.records) padded.emplace_back(r);
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    std::size_t total = 0;
    for (auto& p : padded) {
      auto doc = parser.iterate(p);
      for (auto field : doc.get_object()) {
        std::string_view v;
        if (!field.value().get_string().get(v)) total += v.size();
      }
    }
    benchmark::DoNotOptimize(total);
  }
  report(state, c.bytes, c.records.size());
}
BENCHMARK(BM_Decode_BareSimdjson)->Unit(benchmark::kMillisecond);

std::vector<std::string> decoded_bodies() {
  std::vector<std::string> bodies;
  stages::DecodeStage stage(64 << 20);
  auto scratch = stage.new_scratch();
  for (const auto& r : corpus().records) {
    core::Article a;
    a.raw = r;
    stage.process(a, *scratch);
    bodies.push_back(a.body);
  }
  return bodies;
}

void BM_Normalize_Bodies(benchmark::State& state) {
  auto bodies = decoded_bodies();
  std::size_t bytes = 0;
  for (const auto& b : bodies) bytes += b.size();
  std::string out;
  for (auto _ : state) {
    for (const auto& b : bodies) {
      stages::normalize_text(b, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  report(state, bytes, bodies.size());
}
BENCHMARK(BM_Normalize_Bodies)->Unit(benchmark::kMillisecond);

void BM_Segment_Texts(benchmark::State& state) {
  auto bodies = decoded_bodies();
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& b : bodies) {
    texts.emplace_back();
    stages::normalize_text(b, texts.back());
    bytes += texts.back().size();
  }
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs;
  for (auto _ : state) {
    for (const auto& t : texts) {
      stages::segment_text(t, tokens, sentences, paragraphs);
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  report(state, bytes, texts.size());
}
BENCHMARK(BM_Segment_Texts)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
