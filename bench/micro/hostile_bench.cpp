// The whole pipeline on large hostile bodies (issue #14: linear time on hostile
// text), next to ordinary news of the same size. Each case runs at 256 KiB and
// at 1 MiB: a stage that is linear keeps its MB/s as the body grows, a
// superlinear one loses it. The per-stage counters (milliseconds per record,
// from the pipeline's own timing hook) say which stage the time goes to.
//
// The bodies are built here from a fixed seed, like the reliability suite's
// (tests/reliability/hostile_inputs_test.py):
//   ordinary     the corpus's article bodies, one after another
//   numbers      amounts everywhere ("123456 troops, 98765 million dollars, ...")
//   capitals     capitalized words only (every token a name candidate)
//   quotes       unclosed quotation marks with reporting verbs
//   giant_token  one token as long as the body
//   nested_html  unclosed <div>s around short paragraphs
//   links_html   a page of links
#include <map>
#include <mutex>
#include <random>

#include "corpus.h"

namespace wirefeed::bench {

namespace {

std::string json_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

enum class Kind { kOrdinary, kNumbers, kCapitals, kQuotes, kGiantToken, kNestedHtml, kLinksHtml };
constexpr const char* kKindNames[] = {"ordinary",    "numbers",     "capitals",  "quotes",
                                      "giant_token", "nested_html", "links_html"};

// One input record whose body (or html) is about `bytes` long.
std::string hostile_record(Kind kind, std::size_t bytes) {
  std::mt19937 rng(20261202);
  auto pick = [&](std::initializer_list<const char*> words) {
    return *(words.begin() + rng() % words.size());
  };
  std::string body;
  body.reserve(bytes + 256);
  switch (kind) {
    case Kind::kOrdinary: {
      const Corpus& c = corpus();
      for (std::size_t i = 0; body.size() < bytes; i = (i + 1) % c.reference.size()) {
        body += c.reference[i].body;
        body += "\n\n";
      }
      break;
    }
    case Kind::kNumbers:
      while (body.size() < bytes) {
        body += std::to_string(rng() % 1000000) + " " +
                pick({"troops", "million dollars", "per cent", "people", "homes", "euros"}) + ", ";
        if (rng() % 12 == 0) body += "officials said.\n\n";
      }
      break;
    case Kind::kCapitals:
      while (body.size() < bytes) {
        body += pick({"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
                      "India", "Juliet", "Kilo", "Lima"});
        body += rng() % 15 == 0 ? ". " : " ";
      }
      break;
    case Kind::kQuotes:
      while (body.size() < bytes) {
        body += "\"We will not stop here ";
        body += pick({"said", "told", "added", "warned"});
        body += rng() % 3 == 0 ? " the minister. " : " ";
      }
      break;
    case Kind::kGiantToken:
      body.assign(bytes, 'a');
      break;
    case Kind::kNestedHtml:
      body = "<html><head><title>Nested</title></head><body>";
      while (body.size() < bytes) {
        body += "<div class=\"wrap\"><p>The council met on Tuesday to vote on the budget.</p>";
      }
      body += "</body></html>";
      break;
    case Kind::kLinksHtml:
      body = "<html><head><title>Links</title></head><body><ul>";
      while (body.size() < bytes) {
        body += "<li><a href=\"/story/" + std::to_string(rng() % 100000) +
                "\">Council votes on the budget</a></li>";
      }
      body +=
          "</ul><article><p>The council met on Tuesday to vote on the budget, and the "
          "mayor said the vote would be close.</p></article></body></html>";
      break;
  }
  const bool html = kind == Kind::kNestedHtml || kind == Kind::kLinksHtml;
  return std::string(R"({"id":"hostile","title":"Hostile input","language":"en",)") +
         (html ? "\"html\":\"" : "\"body\":\"") + json_escaped(body) + "\"}";
}

// Seconds per stage, summed over the records it saw.
class StageClock final : public core::PipelineObserver {
 public:
  void on_stage(std::size_t stage_index, double seconds, const core::Status&) override {
    std::lock_guard lock(mutex_);
    if (seconds_.size() <= stage_index) seconds_.resize(stage_index + 1);
    seconds_[stage_index] += seconds;
  }
  std::vector<double> seconds() const {
    std::lock_guard lock(mutex_);
    return seconds_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<double> seconds_;
};

void BM_Hostile(benchmark::State& state) {
  const auto kind = static_cast<Kind>(state.range(0));
  const std::size_t bytes = static_cast<std::size_t>(state.range(1)) * 1024;
  const std::string record = hostile_record(kind, bytes);
  StageClock clock;
  auto pipeline = stages::build_pipeline(stages::default_stage_names(), {}, &clock);
  core::Pipeline::ThreadState ts(*pipeline);
  core::Article a;
  for (auto _ : state) {
    a.reset();
    a.raw = record;
    benchmark::DoNotOptimize(pipeline->run(a, ts));
  }
  state.SetBytesProcessed(static_cast<int64_t>(record.size()) * state.iterations());
  state.SetLabel(std::string(kKindNames[state.range(0)]) + " " + std::to_string(state.range(1)) +
                 " KiB");
  // Milliseconds per record for each stage that takes at least 2% of the time.
  const std::vector<double> seconds = clock.seconds();
  double total = 0;
  for (double s : seconds) total += s;
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    if (total > 0 && seconds[i] / total >= 0.02) {
      state.counters[std::string(pipeline->stage_names()[i]) + "_ms"] =
          1e3 * seconds[i] / static_cast<double>(state.iterations());
    }
  }
}

void hostile_cases(benchmark::internal::Benchmark* b) {
  for (int kind = 0; kind < static_cast<int>(std::size(kKindNames)); ++kind) {
    for (int kib : {256, 1024}) b->Args({kind, kib});
  }
}

}  // namespace

BENCHMARK(BM_Hostile)->Apply(hostile_cases)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
