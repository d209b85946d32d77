// The per-record cost of an enriched record's header list: wirefeed's own
// header, then the input's headers (output.headers.propagate), as the worker
// builds it before each produce. Before header propagation the list held
// wirefeed's header alone: BM_Headers_OwnOnly is that baseline.
#include <benchmark/benchmark.h>

#include <string>

#include "wirefeed/kafka/handles.h"
#include "wirefeed/kafka/header_propagation.h"

namespace wirefeed::bench {

namespace {

constexpr const char* kParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// An input record's headers: a trace id, W3C trace context and a tenant.
kafka::HeadersHandle input_headers(bool with_headers) {
  kafka::HeadersHandle h(rd_kafka_headers_new(4));
  if (!with_headers) return h;
  rd_kafka_header_add(h.get(), "x-trace-id", -1, "9f2c4d1e-77aa-4b0e", -1);
  rd_kafka_header_add(h.get(), "traceparent", -1, kParent, -1);
  rd_kafka_header_add(h.get(), "tracestate", -1, "congo=t61rcWkgMzE", -1);
  rd_kafka_header_add(h.get(), "x-tenant", -1, "acme", -1);
  return h;
}

// What produce_result() does: size the list, add wirefeed-processed-at-ms,
// append the input's; the list is then handed to (and freed by) librdkafka.
void build(const kafka::HeaderPropagation* policy, const rd_kafka_headers_t* in,
           std::string& scratch, std::size_t& count) {
  kafka::HeadersHandle out(rd_kafka_headers_new(2 + (policy ? rd_kafka_header_cnt(in) : 0)));
  std::string processed_at = std::to_string(1764621234567);
  rd_kafka_header_add(out.get(), "wirefeed-processed-at-ms", -1, processed_at.data(),
                      static_cast<ssize_t>(processed_at.size()));
  if (policy) policy->append(in, out.get(), scratch);
  count += rd_kafka_header_cnt(out.get());
}

}  // namespace

static void BM_Headers_OwnOnly(benchmark::State& state) {
  auto in = input_headers(true);
  std::string scratch;
  std::size_t count = 0;
  for (auto _ : state) build(nullptr, in.get(), scratch, count);
  if (count != static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("wrong header count");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Headers_OwnOnly);

static void BM_Headers_PropagateAll(benchmark::State& state) {
  auto in = input_headers(state.range(0) != 0);
  kafka::HeaderPropagation all;
  std::string scratch;
  std::size_t count = 0;
  for (auto _ : state) build(&all, in.get(), scratch, count);
  std::size_t expected = state.range(0) != 0 ? 5 : 1;
  if (count != expected * static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("wrong header count");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Headers_PropagateAll)->Arg(0)->Arg(4);

static void BM_Headers_PropagateList(benchmark::State& state) {
  auto in = input_headers(true);
  auto list = kafka::HeaderPropagation::list({"traceparent", "x-trace-id"});
  std::string scratch;
  std::size_t count = 0;
  for (auto _ : state) build(&list, in.get(), scratch, count);
  if (count != 4 * static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("wrong header count");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Headers_PropagateList);

}  // namespace wirefeed::bench
