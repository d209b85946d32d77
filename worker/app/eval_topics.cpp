// wirefeed eval topics: a topics model's quality and speed on labelled JSON Lines.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "eval.h"
#include "wirefeed/stages/topics/model.h"
#include "wirefeed/stages/topics/train.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed eval topics --input FILE [--model M] [options]

Scores a topics model (--model: a shipped name or a file; default iptc-top) on
JSON Lines with text fields and gold labels (a label, or a list). A gold label
matches a model label by its key or its code. Single-label models predict the
top label; multi-label ones every label at or above the model's threshold (the
top one when none is). Prints accuracy (exact match), micro and macro
precision, recall and F1, per-label figures, the confusion matrix of a
single-label model, and articles/s (features and model, one thread).

options:
  --labels-field F      the member with the gold label(s) (default: labels)
  --text-fields A,B     the text members, in order (default: title,body)
)";

}  // namespace

int eval_topics(Args args) {
  using namespace stages::topics;
  std::string input, model_name = "iptc-top", labels_field = "labels", fields = "title,body";
  while (!args.done()) {
    std::string a = args.next();
    if (a == "--input") {
      input = args.value(a);
    } else if (a == "--model") {
      model_name = args.value(a);
    } else if (a == "--labels-field") {
      labels_field = args.value(a);
    } else if (a == "--text-fields") {
      fields = args.value(a);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      args.unknown(a);
    }
  }
  if (input.empty()) throw UsageError("eval topics: --input is required (see --help)");
  std::vector<std::string> text_fields;
  std::stringstream fs(fields);
  for (std::string f; std::getline(fs, f, ',');)
    if (!f.empty()) text_fields.push_back(f);
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "eval topics: cannot read " << input << "\n";
    return 2;
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::vector<Record> records;
  try {
    records = read_records(content.str(), text_fields, labels_field);
  } catch (const std::runtime_error& e) {
    std::cerr << "eval topics: " << input << ": " << e.what() << "\n";
    return 1;
  }
  const Model model = load_model(model_name);
  const Scores s = evaluate(model, records);
  std::cout << "model " << model.name() << " " << model.version() << " (" << model.labels().size()
            << " labels, " << (model.multi_label() ? "multi" : "single") << "-label)\n";
  print_scores(std::cout, s, true, !model.multi_label());
  std::printf("articles/s %.0f (one thread, %zu articles in %.3f s)\n",
              s.seconds > 0 ? s.records / s.seconds : 0.0, static_cast<std::size_t>(s.records),
              s.seconds);
  return 0;
}

}  // namespace wirefeed::app
