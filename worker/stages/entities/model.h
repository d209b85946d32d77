// The NER sequence model: BIO labels over PER/ORG/LOC/MISC, a linear scorer of
// hashed features (an averaged perceptron's weights, tools/ner/train_ner.cpp)
// and first-order Viterbi decoding.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::stages::ner {

enum class EntityType : std::uint8_t { kPerson, kOrganization, kLocation, kMisc };
inline constexpr int kEntityTypes = 4;
std::string_view type_code(EntityType t);  // "PER", "ORG", "LOC", "MISC"

// Label 0 is O; label 1 + 2t is B-<t>, 2 + 2t is I-<t>.
inline constexpr int kLabels = 1 + 2 * kEntityTypes;
inline constexpr int kOutside = 0;
inline constexpr int begin_label(EntityType t) { return 1 + 2 * static_cast<int>(t); }
inline constexpr int inside_label(EntityType t) { return 2 + 2 * static_cast<int>(t); }
inline constexpr bool is_inside(int label) { return label > 0 && label % 2 == 0; }
inline constexpr EntityType label_type(int label) {
  return static_cast<EntityType>((label - 1) / 2);
}
std::string label_name(int label);  // "O", "B-PER", "I-LOC", ...

// BIO well-formedness: I-X only continues B-X or I-X. `prev` is -1 at the start.
inline constexpr bool transition_allowed(int prev, int next) {
  if (!is_inside(next)) return true;
  return prev > 0 && label_type(prev) == label_type(next);
}

// Transition scores: row `prev + 1` (row 0 is the sentence start), column `next`.
using Transitions = std::array<float, (kLabels + 1) * kLabels>;

// Best label sequence for `n` tokens given per-token label scores
// (`emissions[i * kLabels + y]`), obeying transition_allowed(). Ties go to the
// lower label, so decoding is deterministic. `labels` gets n entries; `work`
// is scratch, reused between calls.
void viterbi(const float* emissions, std::size_t n, const Transitions& transitions,
             std::vector<std::uint8_t>& labels, std::vector<float>& work);

// Feature weights, quantized to int16 with one scale, in an open-addressing
// table whose 32-byte slots hold the key and all label weights: one cache line
// per feature looked up.
class NerModel {
 public:
  // The file format version and the feature set version it was trained with
  // (features.h); load() refuses a model built for other features.
  static constexpr std::uint32_t kFormatVersion = 1;

  NerModel() = default;
  // From trained weights: keys[i] owns weights[i * kLabels .. +kLabels).
  NerModel(const std::vector<std::uint64_t>& keys, const std::vector<float>& weights,
           const Transitions& transitions, std::uint32_t feature_version);

  // Parses serialize()'s bytes; throws std::runtime_error on a bad or foreign file.
  static NerModel load(std::string_view bytes, std::uint32_t expected_feature_version);
  std::string serialize() const;

  // Adds the weights of every known feature among `keys` to `scores`.
  void add_scores(const std::uint64_t* keys, std::size_t n, float* scores) const;
  // The same in quantized units (exact, so sums can be cached and regrouped):
  // a score is sum * scale().
  void add_quantized(const std::uint64_t* keys, std::size_t n, std::int32_t* sums) const;
  float scale() const { return scale_; }
  const Transitions& transitions() const { return transitions_; }
  std::size_t features() const { return count_; }
  bool empty() const { return count_ == 0; }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty (feature keys are odd)
    std::int16_t weights[kLabels] = {};
  };
  void insert(std::uint64_t key, const std::int16_t* weights);

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
  float scale_ = 1;  // weight = int16 * scale_
  Transitions transitions_{};
  std::uint32_t feature_version_ = 0;
};

}  // namespace wirefeed::stages::ner
