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

// Parses a CoNLL file: the word first and the NE tag last on each line,
// separated by spaces or tabs, so CoNLL-2003 (4 columns, IOB1), CoNLL-2002
// (3 columns, IOB2) and KIND (2 columns, tab, BIO) all read; blank lines end
// sentences and -DOCSTART- lines documents. A file with no -DOCSTART- at all is
// cut into documents of `sentences_per_document` consecutive sentences.
std::vector<ConllDocument> read_conll(std::string_view file,
                                      std::size_t sentences_per_document = 20);

// Which entity types the gold data uses (KIND has no MISC; scoring skips the
// types a file does not annotate).
std::array<bool, kEntityTypes> types_present(const std::vector<ConllDocument>& docs);

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
