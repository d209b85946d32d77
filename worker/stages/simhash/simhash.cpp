#include "simhash/simhash.h"

#include <xxhash.h>

#include <algorithm>
#include <array>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

// XXH3 of the ASCII-lower-cased word. Words fit a stack buffer; longer tokens
// (URLs, hashes) are hashed in place, case and all.
std::uint64_t word_hash(std::string_view word) {
  char buf[64];
  if (word.size() > sizeof buf) return XXH3_64bits(word.data(), word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
  }
  return XXH3_64bits(buf, word.size());
}

}  // namespace

std::uint64_t simhash_of(std::string_view text, const std::vector<core::Token>& tokens,
                         std::uint32_t* shingles) {
  std::array<std::int32_t, 64> tally{};
  std::array<std::uint64_t, SimhashStage::kShingle> window{};
  std::size_t words = 0;
  std::uint32_t count = 0;
  auto vote = [&](std::uint64_t h) {
    for (int bit = 0; bit < 64; ++bit) tally[bit] += ((h >> bit) & 1) ? 1 : -1;
    ++count;
  };
  for (const auto& token : tokens) {
    if (token.kind != core::TokenKind::kWord && token.kind != core::TokenKind::kNumber) continue;
    std::uint64_t h = word_hash(text.substr(token.begin, token.end - token.begin));
    // Slide the window; hash the ordered word hashes of each full window.
    for (std::size_t i = 0; i + 1 < window.size(); ++i) window[i] = window[i + 1];
    window.back() = h;
    if (++words >= window.size()) vote(XXH3_64bits(window.data(), sizeof window));
  }
  // Fewer words than a shingle: the words themselves.
  if (words > 0 && words < window.size()) {
    for (std::size_t i = window.size() - words; i < window.size(); ++i) vote(window[i]);
  }
  std::uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (tally[bit] > 0) out |= std::uint64_t{1} << bit;
  }
  if (shingles) *shingles = count;
  return out;
}

core::Status SimhashStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  std::uint32_t shingles = 0;
  std::uint64_t h = simhash_of(article.text, article.tokens, &shingles);
  if (shingles == 0) return core::Status::skipped("no words");
  static constexpr char kDigits[] = "0123456789abcdef";
  char hex[16];
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = kDigits[h & 0xF];
  core::json::Writer w(article.add_enrichment("simhash").json);
  w.begin_object()
      .key("simhash64")
      .string_unescaped(std::string_view(hex, 16))
      .member("shingles", shingles)
      .end_object();
  return {};
}

}  // namespace wirefeed::stages
