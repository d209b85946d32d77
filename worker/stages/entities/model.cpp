#include "entities/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace wirefeed::stages::ner {

std::string_view type_code(EntityType t) {
  switch (t) {
    case EntityType::kPerson:
      return "PER";
    case EntityType::kOrganization:
      return "ORG";
    case EntityType::kLocation:
      return "LOC";
    case EntityType::kMisc:
      return "MISC";
  }
  return "MISC";
}

std::string label_name(int label) {
  if (label == kOutside) return "O";
  return std::string(is_inside(label) ? "I-" : "B-") + std::string(type_code(label_type(label)));
}

static_assert(inside_label(EntityType{}) == begin_label(EntityType{}) + 1,
              "viterbi() takes the label before an I-X to be its B-X");

void viterbi(const float* emissions, std::size_t n, const Transitions& transitions,
             std::vector<std::uint8_t>& labels, std::vector<float>& work,
             std::vector<std::uint8_t>& back) {
  labels.resize(n);
  if (n == 0) return;
  constexpr float kNever = -std::numeric_limits<float>::infinity();
  // Forbidden transitions as -inf scores: the inner loop has no branches.
  float t[(kLabels + 1) * kLabels];
  for (int p = -1; p < kLabels; ++p)
    for (int y = 0; y < kLabels; ++y)
      t[(p + 1) * kLabels + y] =
          transition_allowed(p, y) ? transitions[(p + 1) * kLabels + y] : kNever;
  work.assign(2 * kLabels, kNever);
  back.resize(n * kLabels);
  float* prev = work.data();
  float* cur = work.data() + kLabels;
  for (int y = 0; y < kLabels; ++y) prev[y] = t[y] + emissions[y];
  for (std::size_t i = 1; i < n; ++i) {
    const float* e = emissions + i * kLabels;
    for (int y = 0; y < kLabels; ++y) {
      float best;
      int arg;
      if (is_inside(y)) {
        // I-X follows only B-X (y - 1) or I-X (y): every other predecessor
        // scores -inf, so two candidates give the same argmax as nine, ties
        // still going to the lower label.
        best = prev[y - 1] + t[y * kLabels + y];
        arg = y - 1;
        const float s = prev[y] + t[(y + 1) * kLabels + y];
        if (s > best) best = s, arg = y;
      } else {
        best = prev[0] + t[kLabels + y];
        arg = 0;
        for (int p = 1; p < kLabels; ++p) {
          const float s = prev[p] + t[(p + 1) * kLabels + y];
          if (s > best) best = s, arg = p;
        }
      }
      cur[y] = best + e[y];
      back[i * kLabels + y] = static_cast<std::uint8_t>(arg);
    }
    std::swap(prev, cur);
  }
  int y = 0;
  for (int k = 1; k < kLabels; ++k)
    if (prev[k] > prev[y]) y = k;
  for (std::size_t i = n; i-- > 0;) {
    labels[i] = static_cast<std::uint8_t>(y);
    y = back[i * kLabels + y];
  }
}

namespace {

constexpr char kMagic[8] = {'W', 'F', 'N', 'E', 'R', 'M', 'D', 'L'};

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
T get(std::string_view& in) {
  if (in.size() < sizeof(T)) throw std::runtime_error("NER model: truncated file");
  T v;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return v;
}

}  // namespace

NerModel::NerModel(const std::vector<std::uint64_t>& keys, const std::vector<float>& weights,
                   const Transitions& transitions, std::uint32_t feature_version)
    : transitions_(transitions), feature_version_(feature_version) {
  float max_abs = 0;
  for (float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  scale_ = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  std::size_t capacity = 16;
  while (capacity < keys.size() * 3 / 2 + 1) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  std::int16_t q[kLabels];
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (int y = 0; y < kLabels; ++y)
      q[y] = static_cast<std::int16_t>(std::lround(weights[i * kLabels + y] / scale_));
    insert(keys[i], q);
  }
}

void NerModel::insert(std::uint64_t key, const std::int16_t* weights) {
  std::size_t i = (key >> 7) & mask_;
  while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
  if (slots_[i].key == 0) ++count_;
  slots_[i].key = key;
  std::memcpy(slots_[i].weights, weights, sizeof slots_[i].weights);
}

void NerModel::add_quantized(const std::uint64_t* keys, std::size_t n, std::int32_t* sums) const {
  if (count_ == 0) return;
  // Most lookups miss the CPU caches (the table is a few MB): ask for every
  // home slot first, so the misses overlap instead of queueing.
  for (std::size_t k = 0; k < n; ++k) __builtin_prefetch(&slots_[(keys[k] >> 7) & mask_]);
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t key = keys[k];
    std::size_t i = (key >> 7) & mask_;
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) {
        for (int y = 0; y < kLabels; ++y) sums[y] += s.weights[y];
        break;
      }
      if (s.key == 0) break;
      i = (i + 1) & mask_;
    }
  }
}

void NerModel::add_scores(const std::uint64_t* keys, std::size_t n, float* scores) const {
  std::int32_t sum[kLabels] = {};
  add_quantized(keys, n, sum);
  for (int y = 0; y < kLabels; ++y) scores[y] += static_cast<float>(sum[y]) * scale_;
}

std::string NerModel::serialize() const {
  // Sorted by key, so the same weights always give the same bytes.
  std::vector<const Slot*> used;
  used.reserve(count_);
  for (const Slot& s : slots_)
    if (s.key != 0) used.push_back(&s);
  std::sort(used.begin(), used.end(), [](const Slot* a, const Slot* b) { return a->key < b->key; });
  std::string out(kMagic, sizeof kMagic);
  put(out, kFormatVersion);
  put(out, feature_version_);
  put(out, static_cast<std::uint32_t>(kLabels));
  put(out, static_cast<std::uint64_t>(used.size()));
  put(out, scale_);
  for (float t : transitions_) put(out, t);
  for (const Slot* s : used) put(out, s->key);
  for (const Slot* s : used)
    out.append(reinterpret_cast<const char*>(s->weights), sizeof s->weights);
  return out;
}

NerModel NerModel::load(std::string_view in, std::uint32_t expected_feature_version) {
  if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0)
    throw std::runtime_error("NER model: not a wirefeed model file");
  in.remove_prefix(sizeof kMagic);
  NerModel m;
  if (get<std::uint32_t>(in) != kFormatVersion)
    throw std::runtime_error("NER model: unsupported format version");
  m.feature_version_ = get<std::uint32_t>(in);
  if (m.feature_version_ != expected_feature_version)
    throw std::runtime_error("NER model: trained for feature set " +
                             std::to_string(m.feature_version_) + ", this build computes " +
                             std::to_string(expected_feature_version) + " (run make model)");
  if (get<std::uint32_t>(in) != kLabels) throw std::runtime_error("NER model: label set differs");
  const auto n = get<std::uint64_t>(in);
  m.scale_ = get<float>(in);
  for (float& t : m.transitions_) t = get<float>(in);
  if (in.size() != n * (sizeof(std::uint64_t) + kLabels * sizeof(std::int16_t)))
    throw std::runtime_error("NER model: size does not match its feature count");
  std::size_t capacity = 16;
  while (capacity < n * 3 / 2 + 1) capacity *= 2;
  m.slots_.assign(capacity, Slot{});
  m.mask_ = capacity - 1;
  const char* keys = in.data();
  const char* weights = in.data() + n * sizeof(std::uint64_t);
  std::int16_t w[kLabels];
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t key;
    std::memcpy(&key, keys + i * sizeof key, sizeof key);
    std::memcpy(w, weights + i * sizeof w, sizeof w);
    m.insert(key, w);
  }
  return m;
}

}  // namespace wirefeed::stages::ner
