#include "entities/conll.h"

#include <algorithm>

#include "segment/segment.h"

namespace wirefeed::stages::ner {

namespace {

int type_from_tag(std::string_view tag) {
  const std::string_view t = tag.substr(2);
  if (t == "PER") return 0;
  if (t == "ORG") return 1;
  if (t == "LOC") return 2;
  return 3;
}

// conlleval's chunking: B-X starts a chunk, and so does I-X after anything but X.
template <typename TypeOf>
std::vector<ConllChunk> chunks(std::size_t n, TypeOf type_and_begin) {
  std::vector<ConllChunk> out;
  int open = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [type, begin] = type_and_begin(i);
    if (type < 0) {
      open = -1;
      continue;
    }
    if (begin || type != open) {
      out.push_back({static_cast<std::uint32_t>(i), 1, static_cast<EntityType>(type)});
      open = type;
    } else {
      ++out.back().count;
    }
  }
  return out;
}

void finish(ConllDocument& doc, const std::vector<std::string>& tags,
            const std::vector<bool>& sentence_end) {
  if (doc.conll_words.empty()) return;
  for (std::size_t i = 0; i < doc.conll_words.size(); ++i) {
    doc.conll_begin.push_back(static_cast<std::uint32_t>(doc.text.size()));
    doc.text += doc.conll_words[i];
    doc.text += sentence_end[i] ? '\n' : ' ';
  }
  doc.conll_chunks = chunks(tags.size(), [&](std::size_t i) -> std::pair<int, bool> {
    if (tags[i] == "O" || tags[i].size() < 3) return {-1, false};
    return {type_from_tag(tags[i]), tags[i][0] == 'B'};
  });
  std::uint32_t paragraphs = 0;
  segment_text(doc.text, doc.tokens, doc.sentences, paragraphs);
  // Project: each of our tokens takes the label of the file token it lies in;
  // only the first piece of the chunk's first token is B.
  std::vector<std::uint8_t> conll_label(doc.conll_words.size(), kOutside);
  for (const ConllChunk& c : doc.conll_chunks)
    for (std::uint32_t k = 0; k < c.count; ++k)
      conll_label[c.first + k] =
          static_cast<std::uint8_t>(k == 0 ? begin_label(c.type) : inside_label(c.type));
  doc.gold.assign(doc.tokens.size(), kOutside);
  std::size_t j = 0;
  for (std::size_t i = 0; i < doc.tokens.size(); ++i) {
    while (j + 1 < doc.conll_begin.size() && doc.conll_begin[j + 1] <= doc.tokens[i].begin) ++j;
    std::uint8_t y = conll_label[j];
    if (y != kOutside && !is_inside(y) && doc.tokens[i].begin != doc.conll_begin[j])
      y = static_cast<std::uint8_t>(inside_label(label_type(y)));
    doc.gold[i] = y;
  }
}

}  // namespace

std::vector<ConllDocument> read_conll(std::string_view file, std::size_t sentences_per_document) {
  std::vector<ConllDocument> docs;
  ConllDocument doc;
  std::vector<std::string> tags;
  std::vector<bool> sentence_end;
  // Files without -DOCSTART- (CoNLL-2002 Spanish, KIND) have no document
  // boundaries: consecutive blocks of sentences stand in for documents, so
  // document context stays local and folds can be cut between blocks.
  const bool has_documents = file.find("-DOCSTART-") != std::string_view::npos;
  std::size_t sentences = 0;
  auto end_document = [&] {
    finish(doc, tags, sentence_end);
    if (!doc.conll_words.empty()) docs.push_back(std::move(doc));
    doc = ConllDocument{};
    tags.clear();
    sentence_end.clear();
    sentences = 0;
  };
  constexpr std::string_view kBlank = " \t";
  while (!file.empty()) {
    const std::size_t nl = file.find('\n');
    std::string_view line = file.substr(0, nl);
    file = nl == std::string_view::npos ? std::string_view{} : file.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("-DOCSTART-")) {
      end_document();
      continue;
    }
    if (line.find_first_not_of(kBlank) == std::string_view::npos) {
      if (!sentence_end.empty() && !sentence_end.back()) {
        sentence_end.back() = true;
        if (!has_documents && ++sentences == sentences_per_document) end_document();
      }
      continue;
    }
    // Word first, NE tag last, whatever lies between (POS, chunk) and
    // whichever separator (spaces in CoNLL, a tab in KIND).
    const std::size_t word_end = line.find_first_of(kBlank);
    const std::size_t last_blank = line.find_last_of(kBlank);
    doc.conll_words.emplace_back(line.substr(0, word_end));
    tags.emplace_back(last_blank == std::string_view::npos ? "O" : line.substr(last_blank + 1));
    sentence_end.push_back(false);
  }
  end_document();
  return docs;
}

std::array<bool, kEntityTypes> types_present(const std::vector<ConllDocument>& docs) {
  std::array<bool, kEntityTypes> present{};
  for (const ConllDocument& doc : docs)
    for (const ConllChunk& c : doc.conll_chunks) present[static_cast<int>(c.type)] = true;
  return present;
}

void ConllScore::add(const ConllDocument& doc, const std::vector<std::uint8_t>& predicted) {
  tokens += doc.conll_words.size();
  // Each file token takes the label of our token that starts where it starts.
  std::vector<std::uint8_t> label(doc.conll_words.size(), kOutside);
  std::size_t i = 0;
  for (std::size_t j = 0; j < doc.conll_begin.size(); ++j) {
    while (i < doc.tokens.size() && doc.tokens[i].begin < doc.conll_begin[j]) ++i;
    if (i < doc.tokens.size() && doc.tokens[i].begin == doc.conll_begin[j]) label[j] = predicted[i];
  }
  const std::vector<ConllChunk> guess = chunks(label.size(), [&](std::size_t k) {
    const int y = label[k];
    return std::pair<int, bool>{y == kOutside ? -1 : static_cast<int>(label_type(y)),
                                y != kOutside && !is_inside(y)};
  });
  // Both lists are sorted by position: count exact matches in one merge.
  std::size_t g = 0;
  std::vector<bool> matched(guess.size(), false);
  for (const ConllChunk& want : doc.conll_chunks) {
    while (g < guess.size() && guess[g].first < want.first) ++g;
    if (g < guess.size() && guess[g] == want) {
      ++true_positives[static_cast<int>(want.type)];
      matched[g] = true;
    } else {
      ++false_negatives[static_cast<int>(want.type)];
    }
  }
  for (std::size_t k = 0; k < guess.size(); ++k)
    if (!matched[k]) ++false_positives[static_cast<int>(guess[k].type)];
}

namespace {
std::uint64_t sum(const std::array<std::uint64_t, kEntityTypes>& a, int type) {
  if (type >= 0) return a[type];
  std::uint64_t s = 0;
  for (auto v : a) s += v;
  return s;
}
}  // namespace

double ConllScore::precision(int type) const {
  const double tp = sum(true_positives, type), fp = sum(false_positives, type);
  return tp + fp == 0 ? 0 : tp / (tp + fp);
}
double ConllScore::recall(int type) const {
  const double tp = sum(true_positives, type), fn = sum(false_negatives, type);
  return tp + fn == 0 ? 0 : tp / (tp + fn);
}
double ConllScore::f1(int type) const {
  const double p = precision(type), r = recall(type);
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

}  // namespace wirefeed::stages::ner
