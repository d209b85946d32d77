// validate: the input contract checks decode cannot express as types.
#pragma once

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Fails a record (missing_body, invalid_field) when it cannot become an enriched
// article: no text at all, or an id unusable as a Kafka key.
class ValidateStage final : public core::Stage {
 public:
  static constexpr std::size_t kMaxIdBytes = 512;
  std::string_view name() const override { return "validate"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
