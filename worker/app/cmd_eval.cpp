// wirefeed eval: quality figures on the evaluation data in ../shared/data. Each
// evaluation lives in its own file (eval_<name>.cpp, declared in eval.h).
#include <iostream>
#include <string>

#include "cli.h"
#include "eval.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed eval <evaluation> [options]

evaluations:
  extract --dir DIR [--verbose]   main-text extraction of the html stage
  ner --conll FILE [--language xx]  named entities of the entities stage
  topics --input FILE [--model M]   subjects of the topics stage (JSON Lines)

Each evaluation takes --help.
)";

}  // namespace

int cmd_eval(Args args) {
  if (args.done()) throw UsageError("eval: which evaluation? (wirefeed eval --help)");
  std::string what = args.next();
  if (what == "--help" || what == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (what == "extract") return eval_extract(std::move(args));
  if (what == "ner") return eval_ner(std::move(args));
  if (what == "topics") return eval_topics(std::move(args));
  throw UsageError("eval: unknown evaluation '" + what + "' (known: extract, ner, topics)");
}

}  // namespace wirefeed::app
