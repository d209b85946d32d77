// topics: a hashed-feature linear text classifier and its model file.
//
// Features are lower-cased word unigrams and word bigrams, each hashed (XXH3)
// into one of `buckets` buckets; a feature's value is 1 + ln(count), and the
// article's vector is L2-normalized. A model may weight each bucket by its
// inverse document frequency (ln((N + 1) / (df + 1)) + 1 over the training
// records) before the normalization. A model is a dense [buckets x labels]
// weight matrix (quantized to int8 or int16 with one scale per label) plus a
// bias per label. Single-label models score with a softmax, multi-label models
// with one sigmoid per label (one-vs-rest).
//
// File format (little-endian), version 1:
//   "WFTOPICS"                  8 bytes of magic
//   u32 format version          1
//   str name, str version       (str: u32 byte length, then the bytes)
//   u32 n, n x str              languages (ISO 639-1)
//   u32 n, n x (str key, str code, str label)   labels
//   u32 multi_label, u32 buckets (a power of two), u32 bigrams, u32 weight bits (8|16),
//   u32 idf (0|1)
//   f32 threshold               a multi-label model's decision threshold
//   u32 epochs, f32 learning rate, f32 l2, u64 seed   how it was trained (information)
//   f32 bias[n], f32 scale[n]
//   f32 idf[buckets]            only if idf: each bucket's feature-value factor
//   weights[buckets * n]        int8 or int16, bucket-major: w[b * n + label]
//   u64 XXH64 (seed 0) of every byte before it
//
// Public, with train.h, because `wirefeed train topics` and `wirefeed eval
// topics` build, load and score models; the stage itself is topics/topics.h.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::stages::topics {

// A model file that cannot be used: one line saying why.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Label {
  std::string key;    // the value in the training data ("sport")
  std::string code;   // the output code ("medtop:15000000")
  std::string label;  // the output text ("sport")
};

// One sparse feature: a bucket and its (not yet normalized) value.
struct Feature {
  std::uint32_t bucket = 0;
  float value = 0;
};

// Reusable buffers of featurize(): keep one per thread; after the first few
// articles no call allocates.
struct FeatureScratch {
  std::vector<std::uint32_t> hashes;
  std::vector<Feature> features;
};

// Appends the article's features to scratch.features (sorted by bucket, one
// entry per bucket) and returns the L2 norm's inverse (0 when there are none).
// Each part (title, body, ...) is tokenized on its own: no bigram spans two.
// Words are runs of ASCII letters and digits and of non-ASCII bytes other than
// U+2000..U+206F punctuation (curly quotes, dashes); A-Z fold to a-z.
// `idf`, when not empty, has one factor per bucket that multiplies its value.
float featurize(const std::vector<std::string_view>& parts, std::uint32_t buckets, bool bigrams,
                FeatureScratch& scratch, const std::vector<float>& idf = {});

// Float weights while training; the file stores them quantized.
struct ModelParams {
  std::string name;
  std::string version = "1";
  std::vector<std::string> languages;
  std::vector<Label> labels;
  bool multi_label = false;
  std::uint32_t buckets = 1u << 18;
  bool bigrams = true;
  std::uint32_t weight_bits = 16;
  float threshold = 0.5f;
  std::vector<float> idf;  // [buckets] or empty
  std::uint32_t epochs = 0;
  float learning_rate = 0;
  float l2 = 0;
  std::uint64_t seed = 0;
  std::vector<float> bias;     // [labels]
  std::vector<float> weights;  // [buckets * labels], bucket-major
};

// Serializes `params` (weights quantized to params.weight_bits) in the format
// above. Deterministic: the same params give the same bytes.
std::string write_model(const ModelParams& params);

// A loaded model. Immutable after construction; thread-safe to read.
class Model {
 public:
  // Parses and checks a model file's bytes; `source` names it in errors.
  // Throws ModelError (bad magic, version, truncated, checksum, inconsistent sizes).
  Model(std::string_view bytes, std::string_view source);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::vector<std::string>& languages() const { return languages_; }
  const std::vector<Label>& labels() const { return labels_; }
  bool multi_label() const { return multi_label_; }
  std::uint32_t buckets() const { return buckets_; }
  bool bigrams() const { return bigrams_; }
  float threshold() const { return threshold_; }
  std::uint32_t weight_bits() const { return weight_bits_; }
  // True if the model was trained for `language` (or lists no languages).
  bool supports(std::string_view language) const;

  // Scores of every label into `scores` (resized to labels().size()):
  // probabilities (softmax) or per-label sigmoids for multi-label models.
  void score(const std::vector<std::string_view>& parts, FeatureScratch& scratch,
             std::vector<float>& scores) const;

 private:
  std::string name_, version_;
  std::vector<std::string> languages_;
  std::vector<Label> labels_;
  bool multi_label_ = false;
  std::uint32_t buckets_ = 0;
  bool bigrams_ = true;
  std::uint32_t weight_bits_ = 16;
  float threshold_ = 0.5f;
  std::vector<float> bias_, scale_, idf_;
  std::vector<std::int8_t> w8_;
  std::vector<std::int16_t> w16_;
};

// Reads a model: `name_or_path` is a shipped model's name (data/topics/<name>.bin,
// compiled in) or, if it contains a '/' or ends in ".bin", a file path.
// Throws ModelError with one line on any problem.
Model load_model(std::string_view name_or_path);

// The shipped models' names, sorted.
std::vector<std::string> shipped_models();

}  // namespace wirefeed::stages::topics
