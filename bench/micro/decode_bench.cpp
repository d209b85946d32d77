// decode: simdjson On-Demand into Article fields, against a bare On-Demand pass.
#include <simdjson.h>

#include "corpus.h"
#include "decode/decode.h"

namespace wirefeed::bench {

static void BM_Decode_Articles(benchmark::State& state) {
  const Corpus& c = corpus();
  stages::DecodeStage stage(64 << 20);
  auto scratch = stage.new_scratch();
  core::Article a;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    a.reset();
    a.raw = c.records[i];
    if (!stage.process(a, *scratch).ok() || a.body != c.reference[i].body) {
      state.SkipWithError("decode differs from the reference");
      return;
    }
  }
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

// The floor: one On-Demand pass that reads every string field of each record
// from buffers padded in advance. BM_Decode_Articles / this = decode's overhead
// (its copy into a padded buffer, field dispatch, unknown-field validation).
static void BM_Decode_BareSimdjson(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<simdjson::padded_string> padded;
  for (const auto& r : c.records) padded.emplace_back(r);
  simdjson::ondemand::parser parser;
  std::size_t expected = 0;
  for (const auto& ref : c.reference) expected += ref.body.size();
  for (auto _ : state) {
    std::size_t body_bytes = 0;
    for (auto& p : padded) {
      auto doc = parser.iterate(p);
      for (auto field : doc.get_object()) {
        std::string_view key, value;
        if (field.unescaped_key().get(key) || field.value().get_string().get(value)) continue;
        if (key == "body") body_bytes += value.size();
      }
    }
    if (body_bytes != expected) {
      state.SkipWithError("bare pass read different bodies");
      return;
    }
    benchmark::DoNotOptimize(body_bytes);
  }
  report(state, c.bytes, c.records.size());
}
BENCHMARK(BM_Decode_BareSimdjson)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
