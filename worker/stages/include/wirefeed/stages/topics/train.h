// Training and scoring of topics models (wirefeed train topics, wirefeed eval
// topics, make topic-models). Offline code: not on the worker's hot path.
//
// Training is a (multinomial or one-vs-rest) logistic regression fit by
// stochastic gradient descent over the hashed features of model.h: a
// fixed-seed shuffle per epoch, a learning rate that decays as
// lr / (1 + lr * l2 * t) and L2 regularization (applied as one scale factor
// on the weights, so a step touches only the example's features). One thread
// and a fixed order of float operations: the same records, options and seed
// give a byte-identical model.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/stages/topics/model.h"

namespace wirefeed::stages::topics {

// One training or evaluation record: its text parts and label keys.
struct Record {
  std::vector<std::string> parts;
  std::vector<std::string> labels;
};

// Reads JSON Lines: each object's `text_fields` (strings; absent or null ones
// are empty) and `labels_field` (a string or an array of strings). Blank lines
// are skipped. Throws std::runtime_error naming the line on a bad record.
std::vector<Record> read_records(std::string_view jsonl,
                                 const std::vector<std::string>& text_fields,
                                 const std::string& labels_field);

// Reads a label map: one "key<TAB>code<TAB>label" line per label, in output
// order ('#' lines and blank lines are skipped). Throws std::runtime_error.
std::vector<Label> read_label_map(std::string_view tsv);

struct TrainOptions {
  std::string name = "topics";
  std::string version = "1";
  std::vector<std::string> languages = {"en"};
  std::vector<Label> label_map;  // empty: the labels seen, sorted, code = label = key
  bool multi_label = false;
  std::uint32_t buckets = 1u << 18;
  bool bigrams = true;
  bool idf = true;  // weight buckets by inverse document frequency
  std::uint32_t weight_bits = 16;
  std::uint32_t epochs = 10;
  float learning_rate = 0.5f;
  float l2 = 1e-5f;
  float threshold = 0.5f;  // multi-label decision threshold
  // Average the weights at the ends of the last `average_epochs` epochs (0:
  // keep the last weights): snapshot averaging, a cheap Polyak average.
  std::uint32_t average_epochs = 0;
  std::uint64_t seed = 1;
};

// Fits a model on `records` (all of them, or those at `subset`). Throws
// std::runtime_error if a record has a label outside the label map, or none.
ModelParams train(const std::vector<Record>& records, const TrainOptions& options,
                  const std::vector<std::size_t>* subset = nullptr);

// Counts of a model's decisions on labelled records. Single-label: the top
// label is the prediction; multi-label: every label scoring >= the threshold,
// or the top one when none does.
struct Scores {
  std::vector<std::string> labels;  // label keys, model order
  std::vector<std::uint64_t> tp, fp, fn;
  std::vector<std::vector<std::uint64_t>> confusion;  // single-label: [gold][predicted]
  std::uint64_t records = 0, exact = 0;               // exact: predicted set == gold set
  std::uint64_t unknown_gold = 0;  // gold labels the model does not know (counted as fn)
  double seconds = 0;              // scoring time (features + model), one thread
  void add(const Scores& other);
  double accuracy() const { return records ? static_cast<double>(exact) / records : 0; }
  double micro_f1() const;
  double macro_f1() const;
  double micro_precision() const;
  double micro_recall() const;
};

Scores evaluate(const Model& model, const std::vector<Record>& records,
                const std::vector<std::size_t>* subset = nullptr);

// Fold of each record for k-fold cross-validation: records with the same text
// share a fold (duplicates never straddle train and test); groups are dealt
// to folds in a fixed-seed shuffled order.
std::vector<std::uint32_t> assign_folds(const std::vector<Record>& records, std::uint32_t k,
                                        std::uint64_t seed);

// Human-readable figures: accuracy, micro and macro P/R/F1, per-label
// precision, recall, F1 and support, and (single-label) the confusion matrix.
void print_scores(std::ostream& out, const Scores& scores, bool per_label, bool confusion);

}  // namespace wirefeed::stages::topics
