// wirefeed train: fits models users ship with their own data. `train topics`
// fits a topics model (worker/stages/topics) on JSON Lines.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "wirefeed/stages/topics/model.h"
#include "wirefeed/stages/topics/train.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed train topics --input FILE --output MODEL [options]

Fits a topics model (stages.topics.model takes its path) on JSON Lines: each
record has text fields and a label, or a list of labels. Features: lower-cased
words and word bigrams hashed into --buckets buckets; a logistic regression
(softmax, or one sigmoid per label with --multi-label) fit by SGD with L2.
Deterministic: the same input, options and seed give the same bytes.

options:
  --input FILE          JSON Lines to train on (required)
  --output MODEL        the model file to write (required unless --folds)
  --labels-field F      the member with the label(s) (default: labels)
  --text-fields A,B     the text members, in order (default: title,body)
  --label-map FILE      key<TAB>code<TAB>label lines: the labels, their output
                        codes and texts, in output order (default: the labels
                        seen, sorted; code and label are the key)
  --multi-label         one-vs-rest sigmoids; records may carry several labels
  --name N              model name (default: the output file's stem)
  --model-version V     model version (default: 1)
  --languages a,b       languages the model is for (default: en)
  --seed S              shuffle seed (default: 1)
  --epochs N            passes over the data (default: 10)
  --lr X                initial learning rate (default: 0.5)
  --l2 X                L2 regularization (default: 1e-5)
  --buckets N           hash buckets, a power of two (default: 262144)
  --no-bigrams          unigrams only
  --no-idf              no inverse-document-frequency weighting of the buckets
  --weight-bits 8|16    weight quantization in the file (default: 16)
  --threshold X         multi-label decision threshold (default: 0.5)
  --average N           average the weights of the last N epochs' ends (default:
                        0, the last weights)
  --folds K             K-fold cross-validation instead: prints accuracy,
                        micro/macro F1 per fold, mean +- standard deviation and
                        the summed confusion matrix; writes nothing
)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("train topics: cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t comma = s.find(',', start);
    const std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

double parse_number(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    throw UsageError("train topics: " + option + " expects a number, got '" + text + "'");
  }
  return v;
}

int train_topics(Args args) {
  using namespace stages::topics;
  std::string input, output, labels_field = "labels", label_map, name;
  std::vector<std::string> text_fields = {"title", "body"};
  TrainOptions o;
  long long folds = 0;
  bool name_set = false;
  while (!args.done()) {
    std::string a = args.next();
    if (a == "--input") {
      input = args.value(a);
    } else if (a == "--output") {
      output = args.value(a);
    } else if (a == "--labels-field") {
      labels_field = args.value(a);
    } else if (a == "--text-fields") {
      text_fields = split_commas(args.value(a));
    } else if (a == "--label-map") {
      label_map = args.value(a);
    } else if (a == "--multi-label") {
      o.multi_label = true;
    } else if (a == "--name") {
      o.name = args.value(a);
      name_set = true;
    } else if (a == "--model-version") {
      o.version = args.value(a);
    } else if (a == "--languages") {
      o.languages = split_commas(args.value(a));
    } else if (a == "--seed") {
      o.seed = static_cast<std::uint64_t>(parse_count("train topics", a, args.value(a), 0));
    } else if (a == "--epochs") {
      o.epochs = static_cast<std::uint32_t>(parse_count("train topics", a, args.value(a), 1));
    } else if (a == "--lr") {
      o.learning_rate = static_cast<float>(parse_number(a, args.value(a)));
    } else if (a == "--l2") {
      o.l2 = static_cast<float>(parse_number(a, args.value(a)));
    } else if (a == "--buckets") {
      o.buckets = static_cast<std::uint32_t>(parse_count("train topics", a, args.value(a), 2));
      if ((o.buckets & (o.buckets - 1)) != 0 || o.buckets > (1u << 26)) {
        throw UsageError("train topics: --buckets must be a power of two up to 67108864");
      }
    } else if (a == "--no-bigrams") {
      o.bigrams = false;
    } else if (a == "--no-idf") {
      o.idf = false;
    } else if (a == "--weight-bits") {
      o.weight_bits = static_cast<std::uint32_t>(parse_count("train topics", a, args.value(a), 8));
      if (o.weight_bits != 8 && o.weight_bits != 16) {
        throw UsageError("train topics: --weight-bits is 8 or 16");
      }
    } else if (a == "--average") {
      o.average_epochs =
          static_cast<std::uint32_t>(parse_count("train topics", a, args.value(a), 0));
    } else if (a == "--threshold") {
      o.threshold = static_cast<float>(parse_number(a, args.value(a)));
    } else if (a == "--folds") {
      folds = parse_count("train topics", a, args.value(a), 2);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      args.unknown(a);
    }
  }
  if (input.empty()) throw UsageError("train topics: --input is required (see --help)");
  if (output.empty() && folds == 0) {
    throw UsageError("train topics: --output is required unless --folds (see --help)");
  }
  if (!name_set && !output.empty()) {
    std::string stem = output.substr(output.find_last_of('/') + 1);
    if (stem.ends_with(".bin")) stem.resize(stem.size() - 4);
    o.name = stem;
  }
  const std::string content = read_file(input);
  std::vector<Record> records;
  try {
    records = read_records(content, text_fields, labels_field);
    if (!label_map.empty()) o.label_map = read_label_map(read_file(label_map));
  } catch (const std::runtime_error& e) {
    std::cerr << "train topics: " << input << ": " << e.what() << "\n";
    return 1;
  }
  if (records.empty()) {
    std::cerr << "train topics: no records in " << input << "\n";
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  if (folds > 0) {
    const auto fold_of = assign_folds(records, static_cast<std::uint32_t>(folds), o.seed);
    Scores total;
    std::vector<double> acc, micro, macro;
    for (std::uint32_t k = 0; k < folds; ++k) {
      std::vector<std::size_t> train_idx, test_idx;
      for (std::size_t i = 0; i < records.size(); ++i)
        (fold_of[i] == k ? test_idx : train_idx).push_back(i);
      const auto start = Clock::now();
      const Model model(write_model(train(records, o, &train_idx)), "fold");
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      const Scores s = evaluate(model, records, &test_idx);
      acc.push_back(s.accuracy());
      micro.push_back(s.micro_f1());
      macro.push_back(s.macro_f1());
      std::printf(
          "fold %u: %zu train, %zu test, accuracy %.4f, micro-F1 %.4f, macro-F1 %.4f (%.1f s)\n",
          k + 1, train_idx.size(), test_idx.size(), s.accuracy(), s.micro_f1(), s.macro_f1(), secs);
      total.add(s);
    }
    const auto mean_sd = [](const std::vector<double>& v) {
      double m = 0, d = 0;
      for (double x : v) m += x;
      m /= v.size();
      for (double x : v) d += (x - m) * (x - m);
      return std::make_pair(m, std::sqrt(d / (v.size() > 1 ? v.size() - 1 : 1)));
    };
    const auto [am, asd] = mean_sd(acc);
    const auto [mim, misd] = mean_sd(micro);
    const auto [mam, masd] = mean_sd(macro);
    std::printf(
        "%lld-fold CV: accuracy %.4f +- %.4f, micro-F1 %.4f +- %.4f, macro-F1 %.4f +- %.4f (sd "
        "over folds)\n",
        folds, am, asd, mim, misd, mam, masd);
    std::cout << "pooled over the folds:\n";
    print_scores(std::cout, total, true, !o.multi_label);
    return 0;
  }
  const auto start = Clock::now();
  const std::string bytes = write_model(train(records, o));
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << "train topics: cannot write " << output << "\n";
    return 1;
  }
  std::fprintf(stderr, "train topics: %zu records, %zu labels, %s (%.1f MB) in %.1f s\n",
               records.size(), Model(bytes, output).labels().size(), output.c_str(),
               bytes.size() / 1e6, secs);
  return 0;
}

}  // namespace

int cmd_train(Args args) {
  if (args.done()) throw UsageError("train: what to train? (wirefeed train topics --help)");
  std::string what = args.next();
  if (what == "--help" || what == "-h") {
    std::cout << "usage: wirefeed train topics --input FILE --output MODEL [options]\n"
                 "(wirefeed train topics --help lists the options)\n";
    return 0;
  }
  if (what == "topics") return train_topics(std::move(args));
  throw UsageError("train: unknown model '" + what + "' (known: topics)");
}

}  // namespace wirefeed::app
