#include "entities/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "entities/label_vectors.h"

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

namespace {

using vec::Floats4;

// Labels padded to whole vectors; the padding lanes score -inf and are never read.
constexpr int kLanes = 12;
constexpr int kVectors = kLanes / 4;
static_assert(kLabels <= kLanes);

}  // namespace

void viterbi(const float* emissions, std::size_t n, const Transitions& transitions,
             std::vector<std::uint8_t>& labels, std::vector<float>& work) {
  labels.resize(n);
  if (n == 0) return;
  constexpr float kNever = -std::numeric_limits<float>::infinity();
  // Forbidden transitions as -inf scores, row p + 1 for predecessor p (row 0
  // the sentence start), one vector lane per next label: no branches inside.
  alignas(16) float t[kLabels + 1][kLanes];
  for (int p = -1; p < kLabels; ++p)
    for (int y = 0; y < kLanes; ++y)
      t[p + 1][y] = y < kLabels && transition_allowed(p, y)
                        ? transitions[static_cast<std::size_t>((p + 1) * kLabels + y)]
                        : kNever;
  // Per token: the best score of each label ending there (`score`) and the
  // best score of arriving in it, before its emission (`arrival`).
  // Every lane read below is written first: no need to clear.
  work.resize(2 * n * kLanes);
  float* score = work.data();
  float* arrival = work.data() + n * kLanes;
  for (int y = 0; y < kLabels; ++y) score[y] = t[0][y] + emissions[y];
  for (std::size_t i = 1; i < n; ++i) {
    const float* prev = score + (i - 1) * kLanes;
    alignas(16) float e[kLanes] = {};
    std::memcpy(e, emissions + i * kLabels, kLabels * sizeof(float));
    // Only the maximum here, for every next label at once (x86's MAXPS is
    // exactly `a > b ? a : b`); which predecessor gave it is found again for
    // the one path that is kept.
    Floats4 best[kVectors];
    for (int v = 0; v < kVectors; ++v) {
      Floats4 row;
      std::memcpy(&row, &t[1][4 * v], sizeof row);
      best[v] = prev[0] + row;
    }
#pragma GCC unroll 8
    for (int p = 1; p < kLabels; ++p) {
#pragma GCC unroll 3
      for (int v = 0; v < kVectors; ++v) {
        Floats4 row;
        std::memcpy(&row, &t[p + 1][4 * v], sizeof row);
        const Floats4 s = prev[p] + row;
        best[v] = s > best[v] ? s : best[v];
      }
    }
    for (int v = 0; v < kVectors; ++v) {
      Floats4 ev;
      std::memcpy(&ev, &e[4 * v], sizeof ev);
      const Floats4 scored = best[v] + ev;
      std::memcpy(arrival + i * kLanes + 4 * v, &best[v], sizeof best[v]);
      std::memcpy(score + i * kLanes + 4 * v, &scored, sizeof scored);
    }
  }
  const float* last = score + (n - 1) * kLanes;
  int y = 0;
  for (int k = 1; k < kLabels; ++k)
    if (last[k] > last[y]) y = k;
  labels[n - 1] = static_cast<std::uint8_t>(y);
  // Back through the path: the lowest predecessor whose sum is the maximum,
  // which is what a strict `>` scan in label order keeps. The sum is
  // recomputed with the same operands, so it equals the maximum bit for bit.
  for (std::size_t i = n - 1; i > 0; --i) {
    const float* prev = score + (i - 1) * kLanes;
    const float target = arrival[i * kLanes + y];
    int p = 0;
    while (p + 1 < kLabels && !(prev[p] + t[p + 1][y] == target)) ++p;
    y = p;
    labels[i - 1] = static_cast<std::uint8_t>(y);
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
  // Integer sums, exact in any order.
  vec::Ints8 low{};
  std::int32_t last = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t key = keys[k];
    std::size_t i = (key >> 7) & mask_;
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) {
        vec::add_weights(low, last, s.weights);
        break;
      }
      if (s.key == 0) break;
      i = (i + 1) & mask_;
    }
  }
  for (int y = 0; y < 8; ++y) sums[y] += low[y];
  sums[8] += last;
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
