// Trains the NER model (data/ner/model.bin): an averaged structured perceptron
// (Collins 2002) over the features in worker/stages/entities/features.cpp,
// trained on CoNLL-2003 eng.train, with the number of epochs chosen on eng.testa.
//
// The CoNLL entity lists are gazetteer features too, and on the training data
// they would be perfect: every training entity is in them. So the training
// documents see them jackknifed: a document in fold k sees only the names from
// the other folds' documents, the way unseen text sees the list.
//
// Deterministic: one thread, a fixed shuffle seed, and a model file whose bytes
// depend only on the data.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "entities/conll.h"
#include "entities/features.h"
#include "entities/gazetteer.h"
#include "entities/model.h"

namespace ner = wirefeed::stages::ner;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "train_ner: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Sentence {
  std::vector<std::uint32_t> offsets;  // per token into features
  std::vector<std::int32_t> features;  // interned ids, -1 for unknown
  std::vector<std::uint8_t> gold;
  std::uint32_t doc = 0, first_token = 0;
};

struct Weights {
  std::vector<float> w, acc;  // per feature x label; acc: sum of step * update
  ner::Transitions t{}, t_acc{};
  double step = 1;

  void resize(std::size_t features) {
    w.assign(features * ner::kLabels, 0);
    acc.assign(features * ner::kLabels, 0);
  }
  void update(std::int32_t f, int label, float delta) {
    w[f * ner::kLabels + label] += delta;
    acc[f * ner::kLabels + label] += static_cast<float>(step) * delta;
  }
  void update_transition(int prev, int next, float delta) {
    t[(prev + 1) * ner::kLabels + next] += delta;
    t_acc[(prev + 1) * ner::kLabels + next] += static_cast<float>(step) * delta;
  }
  // Averaged weights: w - acc / step.
  void average(std::vector<float>& out, ner::Transitions& out_t) const {
    out.resize(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) out[i] = w[i] - acc[i] / static_cast<float>(step);
    for (std::size_t i = 0; i < t.size(); ++i)
      out_t[i] = t[i] - t_acc[i] / static_cast<float>(step);
  }
};

void emissions(const Sentence& s, const std::vector<float>& w, std::vector<float>& out) {
  const std::size_t n = s.gold.size();
  out.assign(n * ner::kLabels, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint32_t k = s.offsets[i]; k < s.offsets[i + 1]; ++k) {
      const std::int32_t f = s.features[k];
      if (f < 0) continue;
      for (int y = 0; y < ner::kLabels; ++y) out[i * ner::kLabels + y] += w[f * ner::kLabels + y];
    }
}

// Features of every sentence of `docs`; new keys are interned when `grow`.
void featurize(const std::vector<ner::ConllDocument>& docs,
               const std::vector<const ner::Gazetteer*>& gazetteer_of_doc,
               const ner::WordClusters& clusters,
               std::unordered_map<std::uint64_t, std::int32_t>& ids,
               std::vector<std::uint64_t>& keys, bool grow, std::vector<Sentence>& out) {
  ner::DocumentContext document;
  ner::SentenceFeatures f;
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    const ner::ConllDocument& doc = docs[d];
    ner::Featurizer featurizer(gazetteer_of_doc[d], &clusters);
    document.build(doc.text, doc.tokens, doc.sentences);
    for (const auto& sentence : doc.sentences) {
      if (sentence.token_count == 0) continue;
      featurizer.compute(doc.text, doc.tokens.data() + sentence.first_token, sentence.token_count,
                         document, f);
      Sentence s;
      s.doc = d;
      s.first_token = sentence.first_token;
      s.offsets = f.offsets;
      s.features.reserve(f.keys.size());
      for (std::uint64_t key : f.keys) {
        auto it = ids.find(key);
        if (it == ids.end() && grow) {
          it = ids.emplace(key, static_cast<std::int32_t>(keys.size())).first;
          keys.push_back(key);
        }
        s.features.push_back(it == ids.end() ? -1 : it->second);
      }
      s.gold.assign(doc.gold.begin() + sentence.first_token,
                    doc.gold.begin() + sentence.first_token + sentence.token_count);
      out.push_back(std::move(s));
    }
  }
}

void add_entities(const ner::ConllDocument& doc, ner::Gazetteer& g) {
  for (const ner::ConllChunk& c : doc.conll_chunks) {
    std::string name;
    for (std::uint32_t k = 0; k < c.count; ++k) {
      if (k) name += ' ';
      name += doc.conll_words[c.first + k];
    }
    g.add(std::string("conll-") + std::string(ner::type_code(c.type)), name);
    // Given names, as tools/ner/build_gazetteer.py derives them.
    const std::string& first = doc.conll_words[c.first];
    if (c.type == ner::EntityType::kPerson && c.count > 1 && first.size() > 2 && first[0] >= 'A' &&
        first[0] <= 'Z' && first.back() != '.')
      g.add("conll-PERFIRST", first);
  }
}

// One averaged-perceptron run over `train` (indices into `sentences`), calling
// `after_epoch(epoch, averaged weights, averaged transitions)` after each
// epoch; it returns false to stop.
template <typename AfterEpoch>
void train_perceptron(const std::vector<Sentence>& sentences, std::vector<std::size_t> order,
                      std::size_t features, int epochs, AfterEpoch after_epoch) {
  Weights weights;
  weights.resize(features);
  std::mt19937_64 rng(20031);
  std::vector<float> e, work, averaged;
  ner::Transitions averaged_t{};
  std::vector<std::uint8_t> labels;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t idx : order) {
      const Sentence& s = sentences[idx];
      emissions(s, weights.w, e);
      ner::viterbi(e.data(), s.gold.size(), weights.t, labels, work);
      if (labels != s.gold) {
        for (std::size_t i = 0; i < s.gold.size(); ++i) {
          const int prev_gold = i == 0 ? -1 : s.gold[i - 1];
          const int prev_pred = i == 0 ? -1 : labels[i - 1];
          if (labels[i] != s.gold[i]) {
            for (std::uint32_t k = s.offsets[i]; k < s.offsets[i + 1]; ++k) {
              if (s.features[k] < 0) continue;
              weights.update(s.features[k], s.gold[i], 1);
              weights.update(s.features[k], labels[i], -1);
            }
          }
          if (labels[i] != s.gold[i] || prev_gold != prev_pred) {
            weights.update_transition(prev_gold, s.gold[i], 1);
            weights.update_transition(prev_pred, labels[i], -1);
          }
        }
      }
      weights.step += 1;
    }
    weights.average(averaged, averaged_t);
    if (!after_epoch(epoch, averaged, averaged_t)) break;
  }
}

// Token-level confusion of entity types (row gold, column predicted; index 4 is O).
using Confusion =
    std::array<std::array<std::uint64_t, ner::kEntityTypes + 1>, ner::kEntityTypes + 1>;

void add_confusion(const std::vector<Sentence>& sentences, const std::vector<std::size_t>& which,
                   const std::vector<float>& w, const ner::Transitions& t, Confusion& out) {
  std::vector<float> e, work;
  std::vector<std::uint8_t> labels;
  auto type_index = [](int y) {
    return y == ner::kOutside ? 4 : static_cast<int>(ner::label_type(y));
  };
  for (std::size_t idx : which) {
    const Sentence& s = sentences[idx];
    emissions(s, w, e);
    ner::viterbi(e.data(), s.gold.size(), t, labels, work);
    for (std::size_t i = 0; i < labels.size(); ++i)
      ++out[type_index(s.gold[i])][type_index(labels[i])];
  }
}

std::string describe(const ner::ConllScore& score,
                     const std::array<bool, ner::kEntityTypes>& present) {
  std::string out;
  char buf[64];
  std::snprintf(buf, sizeof buf, "F1 %.2f (", 100 * score.f1());
  out += buf;
  for (int t = 0; t < ner::kEntityTypes; ++t) {
    if (!present[t]) continue;
    std::snprintf(buf, sizeof buf, "%s%s %.2f", t ? " " : "",
                  std::string(ner::type_code(static_cast<ner::EntityType>(t))).c_str(),
                  100 * score.f1(t));
    out += buf;
  }
  return out + ")";
}

// Labels of types the gold data never uses become O, so a file without MISC
// is not charged for MISC guesses.
void drop_absent_types(std::vector<std::uint8_t>& labels,
                       const std::array<bool, ner::kEntityTypes>& present) {
  for (auto& y : labels)
    if (y != ner::kOutside && !present[static_cast<int>(ner::label_type(y))]) y = ner::kOutside;
}

ner::ConllScore evaluate_subset(const std::vector<ner::ConllDocument>& docs,
                                const std::vector<Sentence>& sentences,
                                const std::vector<std::size_t>& which, std::size_t first_doc,
                                std::size_t last_doc, const std::vector<float>& w,
                                const ner::Transitions& t,
                                const std::array<bool, ner::kEntityTypes>& present) {
  std::vector<std::vector<std::uint8_t>> predicted(last_doc - first_doc);
  for (std::size_t d = first_doc; d < last_doc; ++d)
    predicted[d - first_doc].assign(docs[d].tokens.size(), 0);
  std::vector<float> e, work;
  std::vector<std::uint8_t> labels;
  for (std::size_t idx : which) {
    const Sentence& s = sentences[idx];
    emissions(s, w, e);
    ner::viterbi(e.data(), s.gold.size(), t, labels, work);
    drop_absent_types(labels, present);
    std::copy(labels.begin(), labels.end(), predicted[s.doc - first_doc].begin() + s.first_token);
  }
  ner::ConllScore score;
  for (std::size_t d = first_doc; d < last_doc; ++d) score.add(docs[d], predicted[d - first_doc]);
  return score;
}

void write_model(const std::vector<std::uint64_t>& keys, const std::vector<float>& weights,
                 const ner::Transitions& transitions, const std::string& out_path, double seconds) {
  // Keep features whose weights matter after int16 quantization.
  float max_abs = 0;
  for (float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  const float threshold = max_abs / 32767.0f;
  std::vector<std::uint64_t> kept_keys;
  std::vector<float> kept_weights;
  for (std::size_t f = 0; f < keys.size(); ++f) {
    float m = 0;
    for (int y = 0; y < ner::kLabels; ++y)
      m = std::max(m, std::fabs(weights[f * ner::kLabels + y]));
    if (m < threshold) continue;
    kept_keys.push_back(keys[f]);
    kept_weights.insert(kept_weights.end(), weights.begin() + f * ner::kLabels,
                        weights.begin() + (f + 1) * ner::kLabels);
  }
  const ner::NerModel model(kept_keys, kept_weights, transitions, ner::kFeatureVersion);
  const std::string bytes = model.serialize();
  std::ofstream(out_path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::fprintf(stderr, "train_ner: %zu of %zu features kept; %s is %.1f MB; %.1f s\n",
               kept_keys.size(), keys.size(), out_path.c_str(),
               static_cast<double>(bytes.size()) / 1e6, seconds);
}

// The gazetteers training sees. Names from the training files themselves
// (`own_names`) are jackknifed: a training document in name fold j sees the
// names of the other folds' documents only, the way unseen text sees the list;
// `seen` (dev, held-out folds, the worker) has the lists plus every training
// name. Without own names every document sees the lists without conll-*.
struct TrainingGazetteers {
  std::vector<ner::Gazetteer> folds;
  ner::Gazetteer seen;
};

void build_gazetteers(const ner::Gazetteer& full, const std::string& tsv,
                      const std::vector<const ner::ConllDocument*>& docs, bool own_names,
                      int name_folds, TrainingGazetteers& out) {
  auto base = [&](ner::Gazetteer& g) {
    // Same class order as the full gazetteer, so class ids (features) agree.
    for (const std::string& cls : full.classes()) g.add(cls, "");
    g.add_tsv(tsv, "conll-");
  };
  out.folds.assign(own_names ? name_folds : 1, ner::Gazetteer{});
  for (std::size_t k = 0; k < out.folds.size(); ++k) {
    base(out.folds[k]);
    if (own_names)
      for (std::size_t d = 0; d < docs.size(); ++d)
        if (d % out.folds.size() != k) add_entities(*docs[d], out.folds[k]);
  }
  out.seen = ner::Gazetteer{};
  base(out.seen);
  if (own_names)
    for (const ner::ConllDocument* doc : docs) add_entities(*doc, out.seen);
}

// conll-* lines ("CLASS<TAB>name") of every entity name in `docs`, sorted and
// unique: the list `seen` adds, for the worker to load beside the model.
std::string names_tsv(const std::vector<ner::ConllDocument>& docs) {
  std::set<std::pair<std::string, std::string>> lines;
  for (const ner::ConllDocument& doc : docs) {
    for (const ner::ConllChunk& c : doc.conll_chunks) {
      std::string name;
      for (std::uint32_t k = 0; k < c.count; ++k) {
        if (k) name += ' ';
        name += doc.conll_words[c.first + k];
      }
      lines.emplace(std::string("conll-") + std::string(ner::type_code(c.type)), name);
      const std::string& first = doc.conll_words[c.first];
      if (c.type == ner::EntityType::kPerson && c.count > 1 && first.size() > 2 &&
          first[0] >= 'A' && first[0] <= 'Z' && first.back() != '.')
        lines.emplace("conll-PERFIRST", first);
    }
  }
  std::string out;
  for (const auto& [cls, name] : lines) out += cls + "\t" + name + "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> train_paths;
  std::string dev_path, gazetteer_path, clusters_path, out_path, names_out, names = "jackknife";
  int max_epochs = 30, patience = 4, folds = 10, cv_folds = 0, fixed_epochs = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--train")
      train_paths.push_back(v);
    else if (a == "--dev")
      dev_path = v;
    else if (a == "--gazetteer")
      gazetteer_path = v;
    else if (a == "--clusters")
      clusters_path = v;
    else if (a == "--out")
      out_path = v;
    else if (a == "--epochs")
      max_epochs = std::stoi(v);
    else if (a == "--folds")
      folds = std::stoi(v);
    else if (a == "--cv")
      cv_folds = std::stoi(v);
    else if (a == "--train-epochs")
      fixed_epochs = std::stoi(v);
    else if (a == "--training-names")
      names = v;
    else if (a == "--names-out")
      names_out = v;
    else {
      std::cerr << "train_ner: unknown option " << a << "\n";
      return 2;
    }
  }
  const bool jackknife = names == "jackknife";
  const bool usage_ok =
      !train_paths.empty() && !gazetteer_path.empty() &&
      (names == "jackknife" || names == "own" || names == "none") &&
      (cv_folds > 1 || (!out_path.empty() && (!dev_path.empty() || fixed_epochs > 0)));
  if (!usage_ok) {
    std::cerr
        << "usage: train_ner --train FILE [--train FILE...] --gazetteer gazetteer.tsv\n"
           "         [--clusters clusters.tsv] [--training-names jackknife|own|none]\n"
           "         [--names-out names.tsv]\n"
           "         ( --dev FILE --out model.bin [--epochs MAX]   epochs chosen on dev\n"
           "         | --train-epochs N [--dev FILE] --out model.bin   N epochs, dev reported\n"
           "         | --cv K [--epochs MAX] )   K-fold cross-validation, consecutive blocks\n"
           "--training-names: the training files' own entity names join the gazetteer as\n"
           "conll-* (jackknifed for training); jackknife: the worker's gazetteer already\n"
           "has them (English, data/ner/gazetteer.tsv); own: --names-out writes them for\n"
           "the worker (data/lang/<code>/ner-names.tsv); none: no conll-* names at all.\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  std::vector<std::string> train_texts;
  std::vector<ner::ConllDocument> train;
  for (const std::string& path : train_paths) {
    train_texts.push_back(read_file(path));
    for (auto& doc : ner::read_conll(train_texts.back())) train.push_back(std::move(doc));
  }
  const std::string dev_text = dev_path.empty() ? std::string() : read_file(dev_path);
  const std::vector<ner::ConllDocument> dev = ner::read_conll(dev_text);
  const std::array<bool, ner::kEntityTypes> present = ner::types_present(train);
  const std::string gazetteer_tsv = read_file(gazetteer_path);
  ner::WordClusters clusters;
  if (!clusters_path.empty()) clusters.add_tsv(read_file(clusters_path));

  ner::Gazetteer full;
  full.add_tsv(gazetteer_tsv);
  const bool own_names = names != "none";
  std::vector<const ner::ConllDocument*> train_docs;
  for (const auto& doc : train) train_docs.push_back(&doc);
  TrainingGazetteers gazetteers;
  build_gazetteers(full, gazetteer_tsv, train_docs, own_names, folds, gazetteers);
  // Dev sees the lists the worker will have: for English the shipped file.
  const ner::Gazetteer* dev_list = jackknife ? &full : &gazetteers.seen;
  std::vector<const ner::Gazetteer*> train_gaz, dev_gaz(dev.size(), dev_list);
  for (std::size_t d = 0; d < train.size(); ++d)
    train_gaz.push_back(&gazetteers.folds[d % gazetteers.folds.size()]);
  if (!names_out.empty()) std::ofstream(names_out, std::ios::binary) << names_tsv(train);

  std::unordered_map<std::uint64_t, std::int32_t> ids;
  std::vector<std::uint64_t> keys;
  std::vector<Sentence> train_sentences, dev_sentences;
  if (cv_folds <= 1) {
    featurize(train, train_gaz, clusters, ids, keys, true, train_sentences);
    featurize(dev, dev_gaz, clusters, ids, keys, false, dev_sentences);
  }
  std::size_t train_tokens = 0;
  for (const auto& d : train) train_tokens += d.conll_words.size();
  std::fprintf(stderr,
               "train_ner: %zu train documents (%zu tokens), %zu dev documents, %zu features, "
               "%zu clustered words, %zu gazetteer names; %.1f s\n",
               train.size(), train_tokens, dev.size(), keys.size(), clusters.size(), full.names(),
               seconds());

  if (cv_folds > 1) {
    // Consecutive blocks of documents, so a fold never shares a document (or,
    // for files without -DOCSTART-, a block of sentences) with its training.
    std::vector<std::vector<double>> f1(cv_folds);
    std::vector<std::vector<ner::ConllScore>> scores(cv_folds);
    std::vector<std::vector<Confusion>> confusion(cv_folds);
    for (int k = 0; k < cv_folds; ++k) {
      const std::size_t first = train.size() * k / cv_folds,
                        last = train.size() * (k + 1) / cv_folds;
      // Each fold's gazetteers know only its training documents' names.
      std::vector<const ner::ConllDocument*> fit_docs;
      for (std::size_t d = 0; d < train.size(); ++d)
        if (d < first || d >= last) fit_docs.push_back(&train[d]);
      TrainingGazetteers fold_lists;
      build_gazetteers(full, gazetteer_tsv, fit_docs, own_names, folds, fold_lists);
      std::vector<const ner::Gazetteer*> fold_gaz;
      for (std::size_t d = 0, rank = 0; d < train.size(); ++d)
        fold_gaz.push_back(d >= first && d < last
                               ? &fold_lists.seen
                               : &fold_lists.folds[rank++ % fold_lists.folds.size()]);
      ids.clear();
      keys.clear();
      train_sentences.clear();
      featurize(train, fold_gaz, clusters, ids, keys, true, train_sentences);
      std::vector<std::size_t> fit, held;
      for (std::size_t i = 0; i < train_sentences.size(); ++i)
        (train_sentences[i].doc >= first && train_sentences[i].doc < last ? held : fit)
            .push_back(i);
      train_perceptron(train_sentences, fit, keys.size(), max_epochs,
                       [&](int epoch, const std::vector<float>& w, const ner::Transitions& t) {
                         const ner::ConllScore score = evaluate_subset(train, train_sentences, held,
                                                                       first, last, w, t, present);
                         Confusion c{};
                         add_confusion(train_sentences, held, w, t, c);
                         f1[k].push_back(score.f1());
                         scores[k].push_back(score);
                         confusion[k].push_back(c);
                         std::fprintf(stderr, "fold %d epoch %2d: %s; %.1f s\n", k + 1, epoch,
                                      describe(score, present).c_str(), seconds());
                         return true;
                       });
    }
    int best_epoch = 1;
    double best_mean = -1;
    for (int e = 0; e < max_epochs; ++e) {
      double mean = 0, sq = 0;
      for (int k = 0; k < cv_folds; ++k) mean += f1[k][e];
      mean /= cv_folds;
      for (int k = 0; k < cv_folds; ++k) sq += (f1[k][e] - mean) * (f1[k][e] - mean);
      const double sd = std::sqrt(sq / (cv_folds - 1));
      std::printf("cv epoch %2d: F1 %.2f +- %.2f\n", e + 1, 100 * mean, 100 * sd);
      if (mean > best_mean) {
        best_mean = mean;
        best_epoch = e + 1;
      }
    }
    ner::ConllScore pooled;
    Confusion c{};
    for (int k = 0; k < cv_folds; ++k) {
      const ner::ConllScore& s = scores[k][best_epoch - 1];
      for (int t = 0; t < ner::kEntityTypes; ++t) {
        pooled.true_positives[t] += s.true_positives[t];
        pooled.false_positives[t] += s.false_positives[t];
        pooled.false_negatives[t] += s.false_negatives[t];
      }
      for (int g = 0; g <= ner::kEntityTypes; ++g)
        for (int p = 0; p <= ner::kEntityTypes; ++p) c[g][p] += confusion[k][best_epoch - 1][g][p];
    }
    std::printf("cv best: %d epochs, mean F1 %.2f; pooled %s\n", best_epoch, 100 * best_mean,
                describe(pooled, present).c_str());
    std::printf("token confusion over the folds (row gold, column predicted):\n%6s", "");
    const char* names_of[] = {"PER", "ORG", "LOC", "MISC", "O"};
    for (const char* n : names_of) std::printf(" %8s", n);
    std::printf("\n");
    for (int g = 0; g <= ner::kEntityTypes; ++g) {
      std::printf("%6s", names_of[g]);
      for (int p = 0; p <= ner::kEntityTypes; ++p)
        std::printf(" %8llu", static_cast<unsigned long long>(c[g][p]));
      std::printf("\n");
    }
    return 0;
  }

  std::vector<std::size_t> all(train_sentences.size()), dev_all(dev_sentences.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  for (std::size_t i = 0; i < dev_all.size(); ++i) dev_all[i] = i;
  std::vector<float> best_weights;
  ner::Transitions best_t{};
  double best_f1 = -1;
  int best_epoch = 0;
  const int epochs = fixed_epochs > 0 ? fixed_epochs : max_epochs;
  train_perceptron(train_sentences, all, keys.size(), epochs,
                   [&](int epoch, const std::vector<float>& w, const ner::Transitions& t) {
                     if (!dev.empty() && (fixed_epochs == 0 || epoch == fixed_epochs)) {
                       const ner::ConllScore score = evaluate_subset(dev, dev_sentences, dev_all, 0,
                                                                     dev.size(), w, t, present);
                       std::fprintf(stderr, "epoch %2d: dev %s; %.1f s\n", epoch,
                                    describe(score, present).c_str(), seconds());
                       if (fixed_epochs == 0) {
                         if (score.f1() > best_f1) {
                           best_f1 = score.f1();
                           best_epoch = epoch;
                           best_weights = w;
                           best_t = t;
                         } else if (epoch - best_epoch >= patience) {
                           return false;
                         }
                         return true;
                       }
                     }
                     if (epoch == fixed_epochs) {
                       best_weights = w;
                       best_t = t;
                       best_epoch = epoch;
                     }
                     return true;
                   });
  std::fprintf(stderr, "train_ner: shipping epoch %d\n", best_epoch);
  write_model(keys, best_weights, best_t, out_path, seconds());
  return 0;
}
