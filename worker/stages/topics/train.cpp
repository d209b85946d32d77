#include "wirefeed/stages/topics/train.h"

#include <simdjson.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace wirefeed::stages::topics {

namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Fisher-Yates with our own generator: std::shuffle's draws differ by library.
template <class T>
void shuffle(std::vector<T>& v, std::uint64_t seed) {
  std::uint64_t state = seed;
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(splitmix(state) % i);
    std::swap(v[i - 1], v[j]);
  }
}

std::vector<std::string_view> views(const Record& r) {
  return std::vector<std::string_view>(r.parts.begin(), r.parts.end());
}

double f1(double tp, double fp, double fn) {
  return tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0;
}

}  // namespace

std::vector<Record> read_records(std::string_view jsonl,
                                 const std::vector<std::string>& text_fields,
                                 const std::string& labels_field) {
  std::vector<Record> records;
  simdjson::dom::parser parser;
  std::size_t line_no = 0;
  while (!jsonl.empty()) {
    const std::size_t eol = jsonl.find('\n');
    std::string_view line = jsonl.substr(0, eol);
    jsonl.remove_prefix(eol == std::string_view::npos ? jsonl.size() : eol + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto fail = [&](const std::string& why) {
      throw std::runtime_error("line " + std::to_string(line_no) + ": " + why);
    };
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      fail("not a JSON object");
    }
    Record r;
    for (const auto& field : text_fields) {
      simdjson::dom::element v;
      std::string_view s;
      if (doc[field].get(v) == simdjson::SUCCESS && v.get_string().get(s) == simdjson::SUCCESS) {
        r.parts.emplace_back(s);
      } else {
        r.parts.emplace_back();
      }
    }
    simdjson::dom::element labels;
    if (doc[labels_field].get(labels) != simdjson::SUCCESS)
      fail("no '" + labels_field + "' member");
    std::string_view s;
    if (labels.get_string().get(s) == simdjson::SUCCESS) {
      r.labels.emplace_back(s);
    } else if (labels.is_array()) {
      for (auto item : labels.get_array()) {
        if (item.get_string().get(s) != simdjson::SUCCESS)
          fail("'" + labels_field + "' holds a non-string");
        r.labels.emplace_back(s);
      }
    } else {
      fail("'" + labels_field + "' is neither a string nor an array of strings");
    }
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<Label> read_label_map(std::string_view tsv) {
  std::vector<Label> labels;
  std::size_t line_no = 0;
  while (!tsv.empty()) {
    const std::size_t eol = tsv.find('\n');
    std::string_view line = tsv.substr(0, eol);
    tsv.remove_prefix(eol == std::string_view::npos ? tsv.size() : eol + 1);
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      throw std::runtime_error("label map line " + std::to_string(line_no) +
                               ": expected key<TAB>code<TAB>label");
    }
    labels.push_back({std::string(line.substr(0, t1)),
                      std::string(line.substr(t1 + 1, t2 - t1 - 1)),
                      std::string(line.substr(t2 + 1))});
  }
  return labels;
}

ModelParams train(const std::vector<Record>& records, const TrainOptions& o,
                  const std::vector<std::size_t>* subset) {
  if (o.buckets == 0 || (o.buckets & (o.buckets - 1)) != 0) {
    throw std::runtime_error("buckets must be a power of two");
  }
  std::vector<std::size_t> order;
  if (subset != nullptr) {
    order = *subset;
  } else {
    for (std::size_t i = 0; i < records.size(); ++i) order.push_back(i);
  }
  ModelParams m;
  m.name = o.name;
  m.version = o.version;
  m.languages = o.languages;
  m.multi_label = o.multi_label;
  m.buckets = o.buckets;
  m.bigrams = o.bigrams;
  m.weight_bits = o.weight_bits;
  m.threshold = o.threshold;
  m.epochs = o.epochs;
  m.learning_rate = o.learning_rate;
  m.l2 = o.l2;
  m.seed = o.seed;
  if (!o.label_map.empty()) {
    m.labels = o.label_map;
  } else {
    std::vector<std::string> keys;
    for (const Record& r : records)
      for (const auto& l : r.labels) keys.push_back(l);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& k : keys) m.labels.push_back({k, k, k});
  }
  const std::size_t n = m.labels.size();
  if (n == 0) throw std::runtime_error("no labels in the training data");
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::size_t l = 0; l < n; ++l) index.emplace(m.labels[l].key, static_cast<std::uint32_t>(l));

  // Features once, before the epochs.
  struct Example {
    std::vector<Feature> features;  // values already normalized
    std::vector<std::uint32_t> labels;
  };
  std::vector<Example> examples;
  examples.reserve(order.size());
  FeatureScratch scratch;
  if (o.idf) {
    std::vector<std::uint32_t> df(o.buckets, 0);
    for (std::size_t i : order) {
      featurize(views(records[i]), o.buckets, o.bigrams, scratch);
      for (const Feature& f : scratch.features) ++df[f.bucket];
    }
    m.idf.resize(o.buckets);
    const double docs = static_cast<double>(order.size());
    for (std::size_t b = 0; b < o.buckets; ++b) {
      m.idf[b] = static_cast<float>(std::log((docs + 1) / (df[b] + 1.0)) + 1.0);
    }
  }
  for (std::size_t i : order) {
    const Record& r = records[i];
    Example e;
    const float inv = featurize(views(r), o.buckets, o.bigrams, scratch, m.idf);
    e.features = scratch.features;
    for (auto& f : e.features) f.value *= inv;
    for (const auto& l : r.labels) {
      auto it = index.find(l);
      if (it == index.end()) throw std::runtime_error("label '" + l + "' is not in the label map");
      e.labels.push_back(it->second);
    }
    if (e.labels.empty()) throw std::runtime_error("a training record has no label");
    if (!o.multi_label) e.labels.resize(1);
    examples.push_back(std::move(e));
  }

  // w = scale * v: L2 decay multiplies `scale`, a step touches the example's rows.
  std::vector<float> v(static_cast<std::size_t>(o.buckets) * n, 0.0f);
  std::vector<float> bias(n, 0.0f);
  double scale = 1.0;
  std::vector<float> z(n), g(n);
  std::vector<std::size_t> perm(examples.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::uint64_t t = 0;
  const std::uint32_t averaged = std::min(o.average_epochs, o.epochs);
  std::vector<float> sum_v, sum_bias;
  if (averaged > 0) {
    sum_v.assign(v.size(), 0.0f);
    sum_bias.assign(n, 0.0f);
  }
  for (std::uint32_t epoch = 0; epoch < o.epochs; ++epoch) {
    shuffle(perm, o.seed * 1000003ull + epoch);
    for (std::size_t idx : perm) {
      const Example& e = examples[idx];
      const double eta = o.learning_rate / (1.0 + o.learning_rate * o.l2 * static_cast<double>(t));
      ++t;
      std::fill(z.begin(), z.end(), 0.0f);
      for (const Feature& f : e.features) {
        const float* row = v.data() + static_cast<std::size_t>(f.bucket) * n;
        for (std::size_t l = 0; l < n; ++l) z[l] += f.value * row[l];
      }
      for (std::size_t l = 0; l < n; ++l) z[l] = static_cast<float>(z[l] * scale) + bias[l];
      if (o.multi_label) {
        for (std::size_t l = 0; l < n; ++l) g[l] = 1.0f / (1.0f + std::exp(-z[l]));
        for (std::uint32_t l : e.labels) g[l] -= 1.0f;
      } else {
        const float top = *std::max_element(z.begin(), z.end());
        float sum = 0;
        for (std::size_t l = 0; l < n; ++l) sum += g[l] = std::exp(z[l] - top);
        for (std::size_t l = 0; l < n; ++l) g[l] /= sum;
        g[e.labels[0]] -= 1.0f;
      }
      scale *= 1.0 - eta * o.l2;
      if (scale < 1e-6) {
        for (auto& x : v) x = static_cast<float>(x * scale);
        scale = 1.0;
      }
      const float step = static_cast<float>(eta / scale);
      for (const Feature& f : e.features) {
        float* row = v.data() + static_cast<std::size_t>(f.bucket) * n;
        const float a = step * f.value;
        for (std::size_t l = 0; l < n; ++l) row[l] -= a * g[l];
      }
      for (std::size_t l = 0; l < n; ++l) bias[l] -= static_cast<float>(eta) * g[l];
    }
    if (averaged > 0 && epoch + averaged >= o.epochs) {
      for (std::size_t i = 0; i < v.size(); ++i) sum_v[i] += static_cast<float>(v[i] * scale);
      for (std::size_t l = 0; l < n; ++l) sum_bias[l] += bias[l];
    }
  }
  if (averaged > 0) {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = sum_v[i] / static_cast<float>(averaged);
    for (std::size_t l = 0; l < n; ++l) bias[l] = sum_bias[l] / static_cast<float>(averaged);
    scale = 1.0;
  }
  for (auto& x : v) x = static_cast<float>(x * scale);
  m.weights = std::move(v);
  m.bias = std::move(bias);
  return m;
}

void Scores::add(const Scores& o) {
  if (labels.empty()) {
    *this = o;
    return;
  }
  for (std::size_t l = 0; l < labels.size(); ++l) {
    tp[l] += o.tp[l];
    fp[l] += o.fp[l];
    fn[l] += o.fn[l];
    for (std::size_t p = 0; p < confusion[l].size(); ++p) confusion[l][p] += o.confusion[l][p];
  }
  records += o.records;
  exact += o.exact;
  unknown_gold += o.unknown_gold;
  seconds += o.seconds;
}

double Scores::micro_precision() const {
  double t = 0, f = 0;
  for (std::size_t l = 0; l < labels.size(); ++l) t += tp[l], f += fp[l];
  return t + f > 0 ? t / (t + f) : 0;
}

double Scores::micro_recall() const {
  double t = 0, f = unknown_gold;
  for (std::size_t l = 0; l < labels.size(); ++l) t += tp[l], f += fn[l];
  return t + f > 0 ? t / (t + f) : 0;
}

double Scores::micro_f1() const {
  double t = 0, p = 0, n = unknown_gold;
  for (std::size_t l = 0; l < labels.size(); ++l) t += tp[l], p += fp[l], n += fn[l];
  return f1(t, p, n);
}

double Scores::macro_f1() const {
  double sum = 0;
  std::size_t counted = 0;
  for (std::size_t l = 0; l < labels.size(); ++l) {
    if (tp[l] + fn[l] == 0) continue;  // a label with no gold example: undefined recall
    sum += f1(tp[l], fp[l], fn[l]);
    ++counted;
  }
  return counted ? sum / counted : 0;
}

Scores evaluate(const Model& model, const std::vector<Record>& records,
                const std::vector<std::size_t>* subset) {
  const std::size_t n = model.labels().size();
  Scores s;
  for (const auto& l : model.labels()) s.labels.push_back(l.key);
  s.tp.assign(n, 0);
  s.fp.assign(n, 0);
  s.fn.assign(n, 0);
  s.confusion.assign(n, std::vector<std::uint64_t>(n, 0));
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::size_t l = 0; l < n; ++l) {
    index.emplace(model.labels()[l].key, static_cast<std::uint32_t>(l));
    index.emplace(model.labels()[l].code, static_cast<std::uint32_t>(l));
  }
  FeatureScratch scratch;
  std::vector<float> scores;
  std::vector<std::string_view> parts;
  std::vector<char> gold(n), predicted(n);
  const std::size_t count = subset ? subset->size() : records.size();
  using Clock = std::chrono::steady_clock;
  double seconds = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const Record& r = records[subset ? (*subset)[k] : k];
    parts.assign(r.parts.begin(), r.parts.end());
    const auto start = Clock::now();
    model.score(parts, scratch, scores);
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    std::fill(gold.begin(), gold.end(), 0);
    std::fill(predicted.begin(), predicted.end(), 0);
    bool unknown = false;
    for (const auto& l : r.labels) {
      auto it = index.find(l);
      if (it == index.end()) {
        ++s.unknown_gold;
        unknown = true;
      } else {
        gold[it->second] = 1;
      }
      if (!model.multi_label()) break;
    }
    const std::size_t top =
        static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    if (model.multi_label()) {
      bool any = false;
      for (std::size_t l = 0; l < n; ++l) any |= predicted[l] = scores[l] >= model.threshold();
      if (!any) predicted[top] = 1;
    } else {
      predicted[top] = 1;
      for (std::size_t l = 0; l < n; ++l)
        if (gold[l]) ++s.confusion[l][top];
    }
    bool same = !unknown;
    for (std::size_t l = 0; l < n; ++l) {
      s.tp[l] += gold[l] && predicted[l];
      s.fp[l] += !gold[l] && predicted[l];
      s.fn[l] += gold[l] && !predicted[l];
      same &= gold[l] == predicted[l];
    }
    ++s.records;
    s.exact += same;
  }
  s.seconds = seconds;
  return s;
}

std::vector<std::uint32_t> assign_folds(const std::vector<Record>& records, std::uint32_t k,
                                        std::uint64_t seed) {
  std::map<std::uint64_t, std::uint32_t> group_of;  // text hash -> group, in first-seen order
  std::vector<std::uint32_t> group(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    for (const auto& p : records[i].parts) {
      XXH3_64bits_update(st, p.data(), p.size());
      XXH3_64bits_update(st, "\x1f", 1);
    }
    const std::uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    auto [it, added] = group_of.emplace(h, static_cast<std::uint32_t>(group_of.size()));
    group[i] = it->second;
  }
  std::vector<std::uint32_t> groups(group_of.size());
  for (std::uint32_t g = 0; g < groups.size(); ++g) groups[g] = g;
  shuffle(groups, seed ^ 0xF01D5ull);
  std::vector<std::uint32_t> fold_of_group(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i)
    fold_of_group[groups[i]] = static_cast<std::uint32_t>(i % k);
  std::vector<std::uint32_t> folds(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) folds[i] = fold_of_group[group[i]];
  return folds;
}

void print_scores(std::ostream& out, const Scores& s, bool per_label, bool confusion) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(4);
  o << "records " << s.records << "  accuracy (exact match) " << s.accuracy() << "\n";
  o << "micro P " << s.micro_precision() << "  R " << s.micro_recall() << "  F1 " << s.micro_f1()
    << "\n";
  double mp = 0, mr = 0;
  std::size_t counted = 0;
  for (std::size_t l = 0; l < s.labels.size(); ++l) {
    if (s.tp[l] + s.fn[l] == 0) continue;
    mp += s.tp[l] + s.fp[l] ? static_cast<double>(s.tp[l]) / (s.tp[l] + s.fp[l]) : 0;
    mr += static_cast<double>(s.tp[l]) / (s.tp[l] + s.fn[l]);
    ++counted;
  }
  if (counted) mp /= counted, mr /= counted;
  o << "macro P " << mp << "  R " << mr << "  F1 " << s.macro_f1() << "  (over " << counted
    << " labels with gold examples)\n";
  if (s.unknown_gold) o << "gold labels the model does not know: " << s.unknown_gold << "\n";
  if (per_label) {
    o << "label\tprecision\trecall\tf1\tsupport\n";
    for (std::size_t l = 0; l < s.labels.size(); ++l) {
      const double tp = s.tp[l], fp = s.fp[l], fn = s.fn[l];
      o << s.labels[l] << "\t" << (tp + fp ? tp / (tp + fp) : 0) << "\t"
        << (tp + fn ? tp / (tp + fn) : 0) << "\t" << f1(tp, fp, fn) << "\t" << s.tp[l] + s.fn[l]
        << "\n";
    }
  }
  if (confusion && !s.confusion.empty()) {
    o << "confusion (rows gold, columns predicted):\n";
    for (const auto& l : s.labels) o << "\t" << l.substr(0, 8);
    o << "\n";
    for (std::size_t g = 0; g < s.labels.size(); ++g) {
      o << s.labels[g].substr(0, 8);
      for (std::uint64_t c : s.confusion[g]) o << "\t" << c;
      o << "\n";
    }
  }
  out << o.str();
}

}  // namespace wirefeed::stages::topics
