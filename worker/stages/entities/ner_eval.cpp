#include "wirefeed/stages/ner_eval.h"

#include <array>
#include <chrono>

#include "entities/conll.h"
#include "entities/tagger.h"

namespace wirefeed::stages::ner {

ConllEvaluation evaluate_conll(std::string_view conll, std::string_view language) {
  ConllEvaluation result;
  const std::vector<ConllDocument> docs = read_conll(conll);
  result.documents = docs.size();
  if (docs.empty()) {
    result.outcome = ConllEvaluation::Outcome::kNoDocuments;
    return result;
  }
  using Clock = std::chrono::steady_clock;
  const auto load_start = Clock::now();
  const Tagger* chosen = &Tagger::builtin();
  if (!language.empty() && language != "en") {
    chosen = Tagger::for_language(language);
    if (chosen == nullptr) {
      result.outcome = ConllEvaluation::Outcome::kNoModel;
      return result;
    }
  }
  const Tagger& tagger = *chosen;
  result.load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();

  const std::array<bool, kEntityTypes> present = types_present(docs);
  TaggerWork work;
  std::vector<std::uint8_t> labels;
  ConllScore score;
  for (const auto& doc : docs) {
    const auto start = Clock::now();
    tagger.label(doc.text, doc.tokens, doc.sentences, work, labels);
    result.tagging_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& y : labels)
      if (y != kOutside && !present[static_cast<int>(label_type(y))]) y = kOutside;
    score.add(doc, labels);
  }
  for (int t = -1; t < kEntityTypes; ++t) {
    if (t >= 0 && !present[t]) continue;
    const auto count = [&](const auto& a) {
      if (t >= 0) return a[t];
      std::uint64_t s = 0;
      for (auto v : a) s += v;
      return s;
    };
    ConllTypeScores row;
    row.type = t < 0 ? "overall" : std::string(type_code(static_cast<EntityType>(t)));
    row.precision = score.precision(t);
    row.recall = score.recall(t);
    row.f1 = score.f1(t);
    row.true_positives = count(score.true_positives);
    row.false_positives = count(score.false_positives);
    row.false_negatives = count(score.false_negatives);
    result.scores.push_back(std::move(row));
  }
  result.tokens = score.tokens;
  result.model_features = tagger.model().features();
  result.gazetteer_names = tagger.gazetteer().names();
  result.clustered_words = tagger.clusters().size();
  return result;
}

}  // namespace wirefeed::stages::ner
