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

ner::ConllScore evaluate(const std::vector<ner::ConllDocument>& docs,
                         const std::vector<Sentence>& sentences, const std::vector<float>& w,
                         const ner::Transitions& t) {
  std::vector<std::vector<std::uint8_t>> predicted(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) predicted[d].assign(docs[d].tokens.size(), 0);
  std::vector<float> e, work;
  std::vector<std::uint8_t> labels, back;
  for (const Sentence& s : sentences) {
    emissions(s, w, e);
    ner::viterbi(e.data(), s.gold.size(), t, labels, work, back);
    std::copy(labels.begin(), labels.end(), predicted[s.doc].begin() + s.first_token);
  }
  ner::ConllScore score;
  for (std::size_t d = 0; d < docs.size(); ++d) score.add(docs[d], predicted[d]);
  return score;
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

}  // namespace

int main(int argc, char** argv) {
  std::string train_path, dev_path, gazetteer_path, clusters_path, out_path;
  int max_epochs = 30, patience = 4, folds = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--train")
      train_path = v;
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
    else {
      std::cerr << "train_ner: unknown option " << a << "\n";
      return 2;
    }
  }
  if (train_path.empty() || dev_path.empty() || gazetteer_path.empty() || out_path.empty()) {
    std::cerr << "usage: train_ner --train eng.train --dev eng.testa --gazetteer gazetteer.tsv "
                 "[--clusters clusters.tsv] --out model.bin [--epochs N] [--folds K]\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  const std::string train_text = read_file(train_path), dev_text = read_file(dev_path);
  const std::vector<ner::ConllDocument> train = ner::read_conll(train_text);
  const std::vector<ner::ConllDocument> dev = ner::read_conll(dev_text);
  const std::string gazetteer_tsv = read_file(gazetteer_path);
  ner::WordClusters clusters;
  if (!clusters_path.empty()) clusters.add_tsv(read_file(clusters_path));

  // Dev sees the full lists (as the worker does); training fold k sees the
  // non-CoNLL lists plus the CoNLL names of the other folds.
  ner::Gazetteer full;
  full.add_tsv(gazetteer_tsv);
  std::vector<ner::Gazetteer> fold_gazetteers(folds);
  for (int k = 0; k < folds; ++k) {
    // Same class order as the full gazetteer, so class ids (features) agree.
    for (const std::string& cls : full.classes()) fold_gazetteers[k].add(cls, "");
    fold_gazetteers[k].add_tsv(gazetteer_tsv, "conll-");
    for (std::size_t d = 0; d < train.size(); ++d)
      if (static_cast<int>(d % folds) != k) add_entities(train[d], fold_gazetteers[k]);
  }
  std::vector<const ner::Gazetteer*> train_gaz, dev_gaz(dev.size(), &full);
  for (std::size_t d = 0; d < train.size(); ++d) train_gaz.push_back(&fold_gazetteers[d % folds]);

  std::unordered_map<std::uint64_t, std::int32_t> ids;
  std::vector<std::uint64_t> keys;
  std::vector<Sentence> train_sentences, dev_sentences;
  featurize(train, train_gaz, clusters, ids, keys, true, train_sentences);
  featurize(dev, dev_gaz, clusters, ids, keys, false, dev_sentences);
  std::size_t train_tokens = 0;
  for (const auto& d : train) train_tokens += d.conll_words.size();
  std::fprintf(stderr,
               "train_ner: %zu train documents (%zu tokens), %zu dev documents, %zu features, "
               "%zu clustered words, %zu gazetteer names; %.1f s\n",
               train.size(), train_tokens, dev.size(), keys.size(), clusters.size(), full.names(),
               seconds());

  Weights weights;
  weights.resize(keys.size());
  std::vector<std::size_t> order(train_sentences.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(20031);
  std::vector<float> e, work, averaged, best_weights;
  ner::Transitions averaged_t{}, best_t{};
  std::vector<std::uint8_t> labels, back;
  double best_f1 = -1;
  int best_epoch = 0;
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    std::size_t mistakes = 0;
    for (std::size_t idx : order) {
      const Sentence& s = train_sentences[idx];
      emissions(s, weights.w, e);
      ner::viterbi(e.data(), s.gold.size(), weights.t, labels, work, back);
      if (labels != s.gold) {
        ++mistakes;
        for (std::size_t i = 0; i < s.gold.size(); ++i) {
          const int prev_gold = i == 0 ? -1 : s.gold[i - 1];
          const int prev_pred = i == 0 ? -1 : labels[i - 1];
          if (labels[i] != s.gold[i]) {
            for (std::uint32_t k = s.offsets[i]; k < s.offsets[i + 1]; ++k) {
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
    const ner::ConllScore score = evaluate(dev, dev_sentences, averaged, averaged_t);
    std::fprintf(stderr,
                 "epoch %2d: %zu sentences wrong; dev F1 %.2f (PER %.2f ORG %.2f LOC %.2f MISC "
                 "%.2f); %.1f s\n",
                 epoch, mistakes, 100 * score.f1(), 100 * score.f1(0), 100 * score.f1(1),
                 100 * score.f1(2), 100 * score.f1(3), seconds());
    if (score.f1() > best_f1) {
      best_f1 = score.f1();
      best_epoch = epoch;
      best_weights = averaged;
      best_t = averaged_t;
    } else if (epoch - best_epoch >= patience) {
      break;
    }
  }

  // Keep features whose weights matter after int16 quantization.
  float max_abs = 0;
  for (float w : best_weights) max_abs = std::max(max_abs, std::fabs(w));
  const float threshold = max_abs / 32767.0f;
  std::vector<std::uint64_t> kept_keys;
  std::vector<float> kept_weights;
  for (std::size_t f = 0; f < keys.size(); ++f) {
    float m = 0;
    for (int y = 0; y < ner::kLabels; ++y)
      m = std::max(m, std::fabs(best_weights[f * ner::kLabels + y]));
    if (m < threshold) continue;
    kept_keys.push_back(keys[f]);
    kept_weights.insert(kept_weights.end(), best_weights.begin() + f * ner::kLabels,
                        best_weights.begin() + (f + 1) * ner::kLabels);
  }
  const ner::NerModel model(kept_keys, kept_weights, best_t, ner::kFeatureVersion);
  const std::string bytes = model.serialize();
  std::ofstream(out_path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::fprintf(
      stderr,
      "train_ner: best dev F1 %.2f at epoch %d; %zu of %zu features kept; %s is %.1f MB; %.1f s\n",
      100 * best_f1, best_epoch, kept_keys.size(), keys.size(), out_path.c_str(),
      static_cast<double>(bytes.size()) / 1e6, seconds());
  return 0;
}
