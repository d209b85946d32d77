// The one list of built-in stages, and the pipeline factory config uses.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/pipeline.h"

namespace wirefeed::stages {

struct StageOptions {
  std::size_t max_message_bytes = 8 * 1024 * 1024;
  std::size_t summary_sentences = 2;  // stages.summary.sentences
};

struct StageInfo {
  std::string_view name;
  std::string_view description;
};

// Stages config may enable, disable and order, in their default order. `decode`
// always runs first and `encode` last: they frame the record, so they are not in
// this list (config may name them only in those positions).
const std::vector<StageInfo>& configurable_stages();

// The default `pipeline.stages`: every configurable stage, in order.
std::vector<std::string> default_stage_names();

// Builds decode + `names` + encode. Throws std::invalid_argument naming the
// problem for an unknown or repeated stage, or decode/encode out of place.
std::unique_ptr<core::Pipeline> build_pipeline(const std::vector<std::string>& names,
                                               const StageOptions& options,
                                               core::PipelineObserver* observer = nullptr);

}  // namespace wirefeed::stages
