// CoNLL-2003 files as the NER code sees them: each document's tokens joined
// into text (tokens by spaces, sentences by line breaks), segmented like any
// article, with the gold labels projected onto our tokens; and conlleval's
// scoring (exact span and type) back on the file's own tokens.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "entities/model.h"
#include "wirefeed/core/article.h"

namespace wirefeed::stages::ner {

struct ConllChunk {
  std::uint32_t first = 0;  // CoNLL token index
  std::uint32_t count = 0;
  EntityType type = EntityType::kMisc;
  bool operator==(const ConllChunk&) const = default;
};

struct ConllDocument {
  std::string text;
  std::vector<core::Token> tokens;  // segment_text() of `text`
  std::vector<core::Sentence> sentences;
  std::vector<std::uint8_t> gold;  // BIO label per token in `tokens`
  // The file's tokens: where each starts in `text`, and its gold entities.
  std::vector<std::uint32_t> conll_begin;
  std::vector<ConllChunk> conll_chunks;
  std::vector<std::string> conll_words;
};

// Parses a CoNLL-2003 file (token POS chunk NE per line, IOB1 or IOB2 tags,
// blank lines between sentences, -DOCSTART- between documents).
std::vector<ConllDocument> read_conll(std::string_view file);

struct ConllScore {
  std::array<std::uint64_t, kEntityTypes> true_positives{};
  std::array<std::uint64_t, kEntityTypes> false_positives{};
  std::array<std::uint64_t, kEntityTypes> false_negatives{};
  std::uint64_t tokens = 0;

  // Compares predicted labels (one per document token) with the gold chunks.
  void add(const ConllDocument& doc, const std::vector<std::uint8_t>& predicted);
  // -1 for all types together.
  double precision(int type = -1) const;
  double recall(int type = -1) const;
  double f1(int type = -1) const;
};

}  // namespace wirefeed::stages::ner
