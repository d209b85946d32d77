// What `wirefeed eval ner` needs from the entities stage: a CoNLL file tagged
// with the compiled-in NER model of a language and scored with conlleval's
// definition (a predicted entity counts only with the exact span and type).
// The tagger, its features and the CoNLL reader stay inside the stage folder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::stages::ner {

struct ConllTypeScores {
  std::string type;                          // "overall", or a type code: "PER", "ORG", ...
  double precision = 0, recall = 0, f1 = 0;  // 0..1
  std::uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
};

struct ConllEvaluation {
  enum class Outcome { kScored, kNoDocuments, kNoModel };
  Outcome outcome = Outcome::kScored;
  std::size_t documents = 0;
  std::uint64_t tokens = 0;    // the file's tokens
  double tagging_seconds = 0;  // features, scoring and Viterbi on one thread, no segmentation
  double load_seconds = 0;     // loading the model, gazetteer and word clusters
  std::size_t model_features = 0, gazetteer_names = 0, clustered_words = 0;
  // "overall" first, then each entity type the file annotates, in type order.
  std::vector<ConllTypeScores> scores;
};

// Reads `conll` (a CoNLL-2003, CoNLL-2002 or KIND file: entities/conll.h), tags
// each document like an article with the model of `language` (English when
// empty or "en") and scores the types the file annotates; guesses of a type it
// does not annotate are dropped, not charged. kNoDocuments: the file has none;
// kNoModel: no NER model is compiled in for `language`. Throws
// std::runtime_error if a model does not fit this build.
ConllEvaluation evaluate_conll(std::string_view conll, std::string_view language);

}  // namespace wirefeed::stages::ner
