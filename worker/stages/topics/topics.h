// topics: the article's subjects from a linear text classifier (wirefeed/stages/topics/model.h).
#pragma once

#include <cstddef>
#include <string>

#include "wirefeed/core/stage.h"
#include "wirefeed/stages/topics/model.h"

namespace wirefeed::stages {

// Adds `topics`, a list of {code, label, score} sorted by score (highest
// first; ties in label order), at most `top_k` long, each with score >=
// `min_score` (4 decimals), and `topics_model` {name, version}. The model
// (stages.topics.model: a shipped name or a file path) loads once at start; a
// bad file throws topics::ModelError there. An article whose content language
// is known and is not one the model was trained for is skipped with the reason.
// Reads the title and the clean text; needs no segmentation. Thread-safe: the
// per-thread buffers live in the Scratch.
class TopicsStage final : public core::Stage {
 public:
  TopicsStage(const std::string& model, std::size_t top_k, double min_score);
  std::string_view name() const override { return "topics"; }
  std::unique_ptr<core::Scratch> new_scratch() const override;
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
  const topics::Model& model() const { return model_; }

 private:
  topics::Model model_;
  std::size_t top_k_;
  float min_score_;
};

}  // namespace wirefeed::stages
