// fingerprint: an exact content hash of the clean text.
#pragma once

#include <cstdint>
#include <string_view>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Adds `fingerprint` {"text_xxh3_64": 16 hex digits}: XXH3-64 of the normalized
// text. Equal values mean equal clean text, whatever the markup, spacing or
// Unicode composition of the input was.
class FingerprintStage final : public core::Stage {
 public:
  std::string_view name() const override { return "fingerprint"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

std::uint64_t text_hash(std::string_view text);

}  // namespace wirefeed::stages
