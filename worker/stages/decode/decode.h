// decode: the record value -> Article fields (simdjson On-Demand).
#pragma once

#include <cstddef>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Accepts a JSON object (schemas/raw_article.schema.json) or, when the first
// non-space byte is not '{', a plain-text article whose body is the payload. A
// plain-text payload may start with a `date YYYY-MM-DD` marker: it becomes
// published_at and is not part of the body. Unknown JSON fields are kept verbatim
// (after full validation) for the output's `extra`.
class DecodeStage final : public core::Stage {
 public:
  explicit DecodeStage(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}
  std::string_view name() const override { return "decode"; }
  std::unique_ptr<core::Scratch> new_scratch() const override;
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t max_message_bytes_;
};

}  // namespace wirefeed::stages
