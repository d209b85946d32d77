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

constexpr std::array<std::uint64_t, 256> spread_table() {
  std::array<std::uint64_t, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    for (int i = 0; i < 8; ++i) {
      if ((b >> i) & 1) t[b] |= std::uint64_t{1} << (8 * i);
    }
  }
  return t;
}
constexpr std::array<std::uint64_t, 256> kSpread = spread_table();

// Per bit of the shingle hashes, how many had it set: a shingle votes +1 for
// each set bit and -1 for each clear one, so a bit of the result is set when
// more than half the shingles had it. Counting set bits is done eight bits at a
// time: kSpread[b] puts bit i of the byte b into byte i of a word, so one add
// counts eight bits in eight byte-wide lanes. A lane holds at most 255 before
// it is flushed into the 32-bit totals.
class BitVotes {
 public:
  void add(std::uint64_t h) {
    for (int byte = 0; byte < 8; ++byte) lanes_[byte] += kSpread[(h >> (8 * byte)) & 0xFF];
    if (++pending_ == 255) flush();
  }
  std::uint64_t majority(std::uint32_t votes) {
    flush();
    std::uint64_t out = 0;
    for (int bit = 0; bit < 64; ++bit) {
      if (2 * ones_[bit] > votes) out |= std::uint64_t{1} << bit;
    }
    return out;
  }

 private:
  void flush() {
    for (int byte = 0; byte < 8; ++byte) {
      for (int i = 0; i < 8; ++i) ones_[8 * byte + i] += (lanes_[byte] >> (8 * i)) & 0xFF;
      lanes_[byte] = 0;
    }
    pending_ = 0;
  }

  std::array<std::uint64_t, 8> lanes_{};
  std::array<std::uint32_t, 64> ones_{};
  std::uint32_t pending_ = 0;
};

}  // namespace

std::uint64_t simhash_of(std::string_view text, const std::vector<core::Token>& tokens,
                         std::uint32_t* shingles) {
  BitVotes votes;
  std::array<std::uint64_t, SimhashStage::kShingle> window{};
  std::size_t words = 0;
  std::uint32_t count = 0;
  auto vote = [&](std::uint64_t h) {
    votes.add(h);
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
  if (shingles) *shingles = count;
  return votes.majority(count);
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
