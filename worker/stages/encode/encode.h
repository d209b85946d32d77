// encode: the Article -> one enriched JSON record (schemas/enriched_article.schema.json).
#pragma once

#include <string>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Always the last stage. Member order is fixed and numbers are formatted
// locale-free, so the same input and config give byte-identical output. No
// wall-clock time goes into the value.
class EncodeStage final : public core::Stage {
 public:
  explicit EncodeStage(std::string pipeline_version) : version_(std::move(pipeline_version)) {}
  std::string_view name() const override { return "encode"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::string version_;
};

}  // namespace wirefeed::stages
