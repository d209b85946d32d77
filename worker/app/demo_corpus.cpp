#include "demo_corpus.h"

#include <algorithm>

#include "cli.h"

namespace wirefeed::app {

std::vector<kafka::Record> malformed_records(std::size_t oversize_bytes) {
  std::vector<kafka::Record> out;
  auto add = [&](std::string key, std::string value) {
    kafka::Record r;
    r.key = std::move(key);
    r.value = std::move(value);
    out.push_back(std::move(r));
  };
  add("malformed-json", R"({"id": "broken-1", "title": "Truncated record", "body": "The feed cut)");
  add("malformed-utf8", std::string("Plain text with bytes that are not UTF-8: caf\xE9 \xFF\xFE"));
  add("malformed-empty", "");
  add("malformed-no-body", R"({"id": "headline-only", "title": "A headline without a story"})");
  add("malformed-field-type", R"({"id": 42, "body": "The id is a number, not a string."})");
  add("malformed-oversize",
      R"({"id": "oversize", "body": ")" + std::string(oversize_bytes, 'x') + "\"}");
  return out;
}

namespace {

struct Sample {
  std::string id;
  std::string value;  // a JSON line whose "id" member holds `id`
};

std::vector<Sample> json_samples() {
  std::vector<Sample> samples;
  std::string_view rest = sample_articles_jsonl();
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (line.empty()) continue;
    std::size_t id_at = line.find("\"id\":\"");
    if (id_at == std::string_view::npos) continue;
    std::size_t id_begin = id_at + 6;
    samples.push_back({std::string(line.substr(id_begin, line.find('"', id_begin) - id_begin)),
                       std::string(line)});
  }
  return samples;
}

}  // namespace

std::vector<kafka::Record> demo_records(std::size_t wanted, std::size_t oversize_bytes) {
  const std::vector<Sample> samples = json_samples();
  const std::vector<kafka::Record> bad = malformed_records(oversize_bytes);
  const std::size_t round = samples.size() + 1;  // + the seed
  const std::size_t total = wanted ? wanted : round + bad.size();
  std::vector<kafka::Record> out;
  out.reserve(total);
  const std::size_t stride = std::max<std::size_t>(1, total / (bad.size() + 1));
  std::size_t next_bad = 0, next_sample = 0;
  for (std::size_t i = 0; i < total; ++i) {
    kafka::Record r;
    if (next_bad < bad.size() && i > 0 && i % stride == 0) {
      out.push_back(bad[next_bad++]);
      continue;
    }
    const std::size_t k = next_sample / round, j = next_sample % round;
    ++next_sample;
    if (j == samples.size()) {
      if (k > 0) {  // the seed once; this slot takes the next sample instead
        --i;
        continue;
      }
      r.key = "seed";
      r.value = std::string(sample_seed_text());  // a plain-text article
    } else {
      const Sample& s = samples[j];
      // The key only spreads records over partitions; the output key is the id.
      r.key = k == 0 ? s.id : s.id + "-" + std::to_string(k + 1);
      r.value = s.value;
      if (k > 0) {
        std::size_t at = r.value.find("\"id\":\"") + 6;
        r.value.replace(at, s.id.size(), *r.key);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace wirefeed::app
