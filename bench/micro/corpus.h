// The benchmark corpus and its reference outputs, shared by every micro benchmark.
//
// Corpus: ../shared/data/bbc/train.jsonl when present (BBC News: read for
// benchmarks, never committed), else the committed samples. The reference is the
// full pipeline's result for every record, computed once; each benchmark checks
// its own stage's output against it before timing (simdjson's benchmark habit).
#pragma once

#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "wirefeed/core/pipeline.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::bench {

struct Reference {
  std::string body;  // decoded body
  std::string text;  // normalized text
  std::size_t tokens = 0;
  std::size_t sentences = 0;
  std::string stats;                                            // the stats member's JSON
  std::string fingerprint;                                      // the fingerprint member's JSON
  std::map<std::string, std::string, std::less<>> enrichments;  // every member by key
  std::string output;                                           // the whole record
};

struct Corpus {
  std::string name;
  std::vector<std::string> records;
  std::size_t bytes = 0;
  std::vector<Reference> reference;
  std::size_t text_bytes = 0;
};

inline const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    std::ifstream in(std::string(WIREFEED_SOURCE_DIR) + "/../shared/data/bbc/train.jsonl");
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
      Reference ref;
      ref.body = a.body;
      ref.text = a.text;
      ref.tokens = a.tokens.size();
      ref.sentences = a.sentences.size();
      for (std::size_t i = 0; i < a.enrichment_count; ++i) {
        if (a.enrichments[i].key == "stats") ref.stats = a.enrichments[i].json;
        if (a.enrichments[i].key == "fingerprint") ref.fingerprint = a.enrichments[i].json;
        ref.enrichments[a.enrichments[i].key] = a.enrichments[i].json;
      }
      ref.output = a.output;
      c.text_bytes += a.text.size();
      c.reference.push_back(std::move(ref));
    }
    return c;
  }();
  return c;
}

// Reports throughput over `bytes` and `items` per iteration, labelled with the corpus.
inline void report(benchmark::State& state, std::size_t bytes, std::size_t items) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(items) * state.iterations());
  state.SetLabel(corpus().name);
}

// Articles prepared up to (not including) a stage, by running the pipeline's
// earlier stages: the input each stage benchmark times.
inline std::vector<core::Article> articles_before(const std::vector<std::string>& earlier) {
  const Corpus& c = corpus();
  auto pipeline = stages::build_pipeline(earlier, {});
  core::Pipeline::ThreadState state(*pipeline);
  std::vector<core::Article> out(c.records.size());
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    out[i].raw = c.records[i];
    // decode, the earlier stages, then encode: drop encode's traces so the
    // article looks as it does when the next stage receives it.
    pipeline->run(out[i], state);
    if (!out[i].stages_run.empty() && out[i].stages_run.back() == "encode") {
      out[i].stages_run.pop_back();
    }
    out[i].output.clear();
  }
  return out;
}

// Times a stage that adds one enrichment (stats, fingerprint) over articles
// prepared by `earlier`, after checking each result against `expected(i)`.
template <typename StageT, typename Expected>
void bench_enrichment_stage(benchmark::State& state, const std::vector<std::string>& earlier,
                            Expected expected) {
  const Corpus& c = corpus();
  auto articles = articles_before(earlier);
  StageT stage;
  core::Scratch scratch;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    articles[i].enrichment_count = 0;
    stage.process(articles[i], scratch);
    if (articles[i].enrichments[0].json != expected(i)) {
      state.SkipWithError("output differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) {
      a.enrichment_count = 0;
      benchmark::DoNotOptimize(stage.process(a, scratch));
    }
  }
  report(state, c.text_bytes, articles.size());
}

// The same for any stage adding the member `key` (empty when the stage skipped
// the record, e.g. the English-only stages on other languages).
template <typename StageT>
void bench_member(benchmark::State& state, const StageT& stage,
                  const std::vector<std::string>& earlier, std::string_view key) {
  const Corpus& c = corpus();
  auto articles = articles_before(earlier);
  auto scratch = stage.new_scratch();
  for (std::size_t i = 0; i < articles.size(); ++i) {
    articles[i].enrichment_count = 0;
    stage.process(articles[i], *scratch);
    const auto& ref = c.reference[i].enrichments;
    auto want = ref.find(key);
    std::string_view got = articles[i].enrichment_count
                               ? std::string_view(articles[i].enrichments[0].json)
                               : std::string_view();
    if (got != (want == ref.end() ? std::string_view() : std::string_view(want->second))) {
      state.SkipWithError("output differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (auto& a : articles) {
      a.enrichment_count = 0;
      benchmark::DoNotOptimize(stage.process(a, *scratch));
    }
  }
  report(state, c.text_bytes, articles.size());
}

}  // namespace wirefeed::bench
