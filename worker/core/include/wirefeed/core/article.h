// The record that flows through the pipeline.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::core {

// Where a record came from in Kafka; absent for offline `enrich`.
struct SourceRef {
  std::string_view topic;  // borrowed from the worker's config; outlives the record
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

enum class TokenKind : std::uint8_t { kWord, kNumber, kPunct, kSymbol };

// Byte offsets into Article::text, half-open [begin, end).
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
};

struct Sentence {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t first_token = 0;
  std::uint32_t token_count = 0;
};

// A JSON member a stage adds to the output record: `key` at the top level with
// `json` as its (already serialized) value. Stages own their output shape; the
// encoder only places the members, in pipeline order, so stages slot in without
// touching encode or the runner.
struct Enrichment {
  std::string key;
  std::string json;
};

// A per-article list a stage cut at its cap (stages.<stage>.max_items): `cut`
// items past the first N were left out. Encoded under pipeline.truncated.
struct Truncation {
  std::string_view list;  // the list's name ("amounts", "entities"): static storage
  std::uint64_t cut = 0;
};

struct SkippedStage {
  std::string_view stage;  // a stage name: static storage
  std::string reason;
};

// One article in flight. Not thread-safe: exactly one pipeline thread touches it at
// a time. Articles are reused between records (reset() keeps capacity) so the hot
// path does not allocate once buffers have grown to the working-set size.
struct Article {
  // --- Input (set by the caller before the pipeline runs).
  std::string_view raw;  // the record value; must outlive processing
  bool has_source = false;
  SourceRef source;

  // --- Decoded fields (decode stage). `has_*` tells absent from empty.
  bool plain_text = false;  // the payload was not JSON: a plain-text article
  std::string id;
  std::string url;
  std::string source_name;  // the input's `source` (publisher); see schemas/
  std::string title;
  std::string body;
  std::string html;
  std::string published_at;
  std::string language;
  std::vector<std::string> authors;
  bool has_body = false;
  bool has_html = false;
  bool has_authors = false;
  std::string extra_json;  // `{...}` of unknown input fields, verbatim; empty if none

  // --- Derived by stages.
  std::string text;  // the clean, normalized article text every later stage reads
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  // `text` with capitals folded to lower case where that keeps every byte offset
  // (ASCII A-Z, and the Latin-1 capitals U+00C0-U+00DE but for U+00D7, two bytes
  // in and out): one copy, made by segment, that every later stage indexes with
  // the same Token offsets instead of lower-casing the text again.
  std::string lower_text;
  std::uint32_t paragraphs = 0;
  bool segmented = false;
  // language stage: the detected ISO 639-1 code ("und" when unknown) and whether
  // CLD2 called the detection reliable. See content_language().
  std::string detected_language;
  bool language_reliable = false;
  // dates stage: the publication date it settled on, days since 1970-01-01, for
  // stages that resolve relative expressions; INT32_MIN when unknown.
  std::int32_t publication_day = INT32_MIN;
  std::vector<Enrichment> enrichments;
  std::size_t enrichment_count = 0;  // live entries; the vector keeps old capacity
  std::vector<std::string_view> stages_run;
  std::vector<SkippedStage> stages_skipped;
  std::vector<Truncation> truncations;  // see note_truncated()

  // --- Output (encode stage).
  std::string output;

  // Adds (or reuses the storage of) an enrichment slot and returns it for filling.
  Enrichment& add_enrichment(std::string_view key);

  // Records that a stage kept only the first items of `list` and left out
  // `cut` more (nothing is recorded when `cut` is 0). `list` must have static
  // storage. The record says so, so a consumer can tell a capped list from a
  // complete one; the output stays a pure function of input and config.
  void note_truncated(std::string_view list, std::uint64_t cut);

  // Clears every field but keeps allocated capacity.
  void reset();
};

// The language later stages should assume, lower-case: a reliable detection
// wins; otherwise the input's `language` (its primary subtag: "en-GB" -> "en");
// otherwise an unreliable detection; "" when nothing is known.
std::string_view content_language(const Article& article);

// The text id stages and the encoder fall back to when the input has no `id`:
// "url-<32 hex>" from the canonical URL when there is one, else "txt-<32 hex>" from
// the article's text with whitespace runs collapsed. Stable across runs and hosts.
std::string derive_article_id(const Article& article);

// Lower-cases scheme and host, drops the fragment, default ports, tracking
// parameters (utm_*, fbclid, gclid) and a trailing slash on the path.
std::string canonicalize_url(std::string_view url);

}  // namespace wirefeed::core
