// wirefeed eval ner: named-entity quality of the entities stage's tagger.
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "entities/conll.h"
#include "entities/tagger.h"
#include "eval.h"

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
  const std::vector<stages::ner::ConllDocument> docs = stages::ner::read_conll(content.str());
  if (docs.empty()) {
    std::cerr << "eval ner: no documents in " << path << "\n";
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  const auto load_start = Clock::now();
  const stages::ner::Tagger* chosen = &stages::ner::Tagger::builtin();
  if (!language.empty() && language != "en") {
    chosen = stages::ner::Tagger::for_language(language);
    if (chosen == nullptr) {
      std::cerr << "eval ner: no NER model for language '" << language
                << "' (data/lang/<code>/ner-model.bin)\n";
      return 2;
    }
  }
  const stages::ner::Tagger& tagger = *chosen;
  const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();

  const std::array<bool, stages::ner::kEntityTypes> present = stages::ner::types_present(docs);
  stages::ner::TaggerWork work;
  std::vector<std::uint8_t> labels;
  stages::ner::ConllScore score;
  double seconds = 0;
  for (const auto& doc : docs) {
    const auto start = Clock::now();
    tagger.label(doc.text, doc.tokens, doc.sentences, work, labels);
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& y : labels)
      if (y != stages::ner::kOutside && !present[static_cast<int>(stages::ner::label_type(y))])
        y = stages::ner::kOutside;
    score.add(doc, labels);
  }
  std::printf("%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "F1", "tp", "fp",
              "fn");
  for (int t = -1; t < stages::ner::kEntityTypes; ++t) {
    if (t >= 0 && !present[t]) continue;
    const auto count = [&](const auto& a) {
      if (t >= 0) return a[t];
      std::uint64_t s = 0;
      for (auto v : a) s += v;
      return s;
    };
    const std::string name =
        t < 0 ? "overall"
              : std::string(stages::ner::type_code(static_cast<stages::ner::EntityType>(t)));
    std::printf("%-8s %9.2f %9.2f %9.2f %7llu %7llu %7llu\n", name.c_str(),
                100 * score.precision(t), 100 * score.recall(t), 100 * score.f1(t),
                static_cast<unsigned long long>(count(score.true_positives)),
                static_cast<unsigned long long>(count(score.false_positives)),
                static_cast<unsigned long long>(count(score.false_negatives)));
  }
  std::printf(
      "documents %zu  tokens %llu  tagging %.3f s: %.0f tokens/s on one thread\n"
      "model: %zu features, %zu gazetteer names, %zu clustered words, loaded in %.3f s\n",
      docs.size(), static_cast<unsigned long long>(score.tokens), seconds,
      static_cast<double>(score.tokens) / seconds, tagger.model().features(),
      tagger.gazetteer().names(), tagger.clusters().size(), load_seconds);
  return 0;
}

}  // namespace wirefeed::app
