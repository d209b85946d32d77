// wirefeed eval ner: named-entity quality of the entities stage's tagger.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "eval.h"
#include "wirefeed/stages/ner_eval.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed eval ner --conll FILE [--language xx]

Tags a CoNLL file with the compiled-in NER model of the language (--language:
es, nl, it or any code with data/lang/<code>/ner-model.bin; English without
it). The file may be CoNLL-2003 (4 columns, IOB1), CoNLL-2002 (3 columns,
IOB2, with or without -DOCSTART-; without, every 20 sentences count as one
document) or KIND (2 columns, tab, BIO). Only the entity types the file
annotates are scored (KIND has no MISC: MISC guesses are dropped, not
charged). Each document's tokens are
joined into text (tokens by spaces, sentences by line breaks), segmented and
tagged like an article; each file token takes the label of our token that
starts where it does) and prints precision, recall and F1 per type and overall
with conlleval's definition: a predicted entity counts only with the exact span
and type. Tokens/s is file tokens per second of tagging (features, scoring,
Viterbi) on one thread, segmentation excluded.
)";

}  // namespace

int eval_ner(Args args) {
  std::string path, language;
  while (!args.done()) {
    std::string a = args.next();
    if (a == "--conll") {
      path = args.value(a);
    } else if (a == "--language") {
      language = args.value(a);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      args.unknown(a);
    }
  }
  if (path.empty()) throw UsageError("eval ner: --conll is required (see --help)");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "eval ner: cannot read " << path
              << " (CoNLL-2003 English is in ../shared/data/conll2003)\n";
    return 2;
  }
  std::ostringstream content;
  content << in.rdbuf();
  using stages::ner::ConllEvaluation;
  const ConllEvaluation e = stages::ner::evaluate_conll(content.str(), language);
  if (e.outcome == ConllEvaluation::Outcome::kNoDocuments) {
    std::cerr << "eval ner: no documents in " << path << "\n";
    return 1;
  }
  if (e.outcome == ConllEvaluation::Outcome::kNoModel) {
    std::cerr << "eval ner: no NER model for language '" << language
              << "' (data/lang/<code>/ner-model.bin)\n";
    return 2;
  }
  std::printf("%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "F1", "tp", "fp",
              "fn");
  for (const stages::ner::ConllTypeScores& row : e.scores) {
    std::printf("%-8s %9.2f %9.2f %9.2f %7llu %7llu %7llu\n", row.type.c_str(), 100 * row.precision,
                100 * row.recall, 100 * row.f1, static_cast<unsigned long long>(row.true_positives),
                static_cast<unsigned long long>(row.false_positives),
                static_cast<unsigned long long>(row.false_negatives));
  }
  std::printf(
      "documents %zu  tokens %llu  tagging %.3f s: %.0f tokens/s on one thread\n"
      "model: %zu features, %zu gazetteer names, %zu clustered words, loaded in %.3f s\n",
      e.documents, static_cast<unsigned long long>(e.tokens), e.tagging_seconds,
      static_cast<double>(e.tokens) / e.tagging_seconds, e.model_features, e.gazetteer_names,
      e.clustered_words, e.load_seconds);
  return 0;
}

}  // namespace wirefeed::app
