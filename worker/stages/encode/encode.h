// encode: the Article -> one enriched JSON record (schemas/enriched_article.schema.json).
#pragma once

#include <string>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Always the last stage. Member order is fixed and numbers are formatted
// locale-free, so the same input and config give byte-identical output. No
// wall-clock time goes into the value.
//
// A record larger than `max_output_bytes` (limits.max_output_bytes) fails with
// Code::kOutputTooLarge, so its input goes to the DLQ with that reason instead of
// meeting the producer's message.max.bytes; whether a record fails depends only
// on the input and the config.
class EncodeStage final : public core::Stage {
 public:
  explicit EncodeStage(std::string pipeline_version,
                       std::size_t max_output_bytes = static_cast<std::size_t>(-1))
      : version_(std::move(pipeline_version)), max_output_bytes_(max_output_bytes) {}
  std::string_view name() const override { return "encode"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  core::Status too_large(std::size_t bytes, bool at_least) const;
  std::string version_;
  std::size_t max_output_bytes_;
};

}  // namespace wirefeed::stages
