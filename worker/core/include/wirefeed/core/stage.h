// The Stage interface (DESIGN.md section 3).
#pragma once

#include <memory>
#include <string_view>

#include "wirefeed/core/article.h"
#include "wirefeed/core/status.h"

namespace wirefeed::core {

// Per-thread, per-stage mutable state (parsers, reusable buffers). Each pipeline
// thread owns one Scratch per stage, created by Stage::new_scratch().
class Scratch {
 public:
  virtual ~Scratch() = default;
};

// A pipeline step. Stages are immutable after construction and shared read-only by
// every pipeline thread, so process() must be thread-safe; mutable state belongs in
// the Scratch the runner hands in (always the one this stage's new_scratch() made).
//
// process() returns:
//   - ok: the stage ran;
//   - Status::skipped(reason): the stage does not apply (recorded in `pipeline`);
//   - any other code: the record fails and goes to the DLQ with that code.
// It never throws for a per-record problem.
class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual std::unique_ptr<Scratch> new_scratch() const { return std::make_unique<Scratch>(); }
  virtual Status process(Article& article, Scratch& scratch) const = 0;
};

}  // namespace wirefeed::core
