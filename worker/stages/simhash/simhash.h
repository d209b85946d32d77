// simhash: a locality-sensitive 64-bit fingerprint for near-duplicate detection.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "wirefeed/core/article.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Charikar's simhash over word 3-shingles of the clean text: each shingle's
// 64-bit hash votes +1/-1 per bit, and the sign of each bit's tally is the
// fingerprint's bit. Words are case-folded (ASCII) and punctuation ignored, so
// re-wrapped, re-punctuated or lightly edited copies land a few bits apart,
// while unrelated texts differ in about 32 of 64 bits. Compare with
// popcount(a ^ b); a distance of 3 or less is a near-duplicate at this length.
std::uint64_t simhash_of(std::string_view text, const std::vector<core::Token>& tokens,
                         std::uint32_t* shingles = nullptr);

// Adds `simhash` {"simhash64": 16 hex digits, "shingles": n}, next to the exact
// hash of the fingerprint stage. Needs the segment stage; skips without it or
// when the text has no words.
class SimhashStage final : public core::Stage {
 public:
  static constexpr std::size_t kShingle = 3;
  std::string_view name() const override { return "simhash"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
