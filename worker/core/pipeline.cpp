#include "wirefeed/core/pipeline.h"

#include <chrono>
#include <exception>

namespace wirefeed::core {

Pipeline::ThreadState::ThreadState(const Pipeline& pipeline) {
  scratches_.reserve(pipeline.size());
  for (std::size_t i = 0; i < pipeline.size(); ++i) {
    auto scratch = pipeline.stage(i).new_scratch();
    scratches_.push_back(scratch ? std::move(scratch) : std::make_unique<Scratch>());
  }
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Stage>> stages, PipelineObserver* observer)
    : stages_(std::move(stages)), observer_(observer) {
  names_.reserve(stages_.size());
  for (const auto& stage : stages_) names_.push_back(stage->name());
}

RunResult Pipeline::run(Article& article, ThreadState& state) const {
  using Clock = std::chrono::steady_clock;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const Stage& stage = *stages_[i];
    Status status;
    Clock::time_point start;
    if (observer_) start = Clock::now();
    try {
      status = stage.process(article, state.scratch(i));
    } catch (const std::exception& e) {
      status = Status(Code::kInternal, std::string("stage threw: ") + e.what());
    } catch (...) {
      status = Status(Code::kInternal, "stage threw a non-standard exception");
    }
    if (observer_) {
      observer_->on_stage(i, std::chrono::duration<double>(Clock::now() - start).count(), status);
    }
    if (status.is_failure()) return {std::move(status), names_[i]};
    if (status.is_skipped()) {
      article.stages_skipped.push_back({names_[i], status.message()});
    } else {
      article.stages_run.push_back(names_[i]);
    }
  }
  return {};
}

}  // namespace wirefeed::core
