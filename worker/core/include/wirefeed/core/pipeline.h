// The runner: applies stages in order, times each one and counts its errors.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::core {

// Receives per-stage timings and outcomes. Implementations must be thread-safe:
// every pipeline thread calls them. `stage_index` indexes Pipeline::stage_names().
class PipelineObserver {
 public:
  virtual ~PipelineObserver() = default;
  virtual void on_stage(std::size_t stage_index, double seconds, const Status& status) = 0;
};

// Where a record failed; `stage` is empty when it did not.
struct RunResult {
  Status status;
  std::string_view stage;
  bool ok() const { return !status.is_failure(); }
};

// Immutable after construction; run() may be called from many threads at once, each
// with its own ThreadState.
class Pipeline {
 public:
  // Per-thread scratch for every stage. Create one per pipeline thread.
  class ThreadState {
   public:
    explicit ThreadState(const Pipeline& pipeline);
    Scratch& scratch(std::size_t i) { return *scratches_[i]; }

   private:
    std::vector<std::unique_ptr<Scratch>> scratches_;
  };

  // `observer` may be null (no timing at all); it must outlive the pipeline.
  explicit Pipeline(std::vector<std::unique_ptr<Stage>> stages,
                    PipelineObserver* observer = nullptr);

  // Runs every stage on `article` until one fails. Records run and skipped
  // stages in the article. Never throws for per-record problems: an exception
  // escaping a stage is a bug, reported as internal_error for this record only.
  RunResult run(Article& article, ThreadState& state) const;

  const std::vector<std::string_view>& stage_names() const { return names_; }
  std::size_t size() const { return stages_.size(); }
  const Stage& stage(std::size_t i) const { return *stages_[i]; }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<std::string_view> names_;
  PipelineObserver* observer_;
};

}  // namespace wirefeed::core
