// stats: size and reading-time figures of the clean text.
#pragma once

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Adds `stats` {chars (code points), words, sentences, paragraphs,
// reading_time_seconds}. Needs the segment stage's output; skips without it.
class StatsStage final : public core::Stage {
 public:
  // Silent reading speed for non-fiction, 238 words per minute: M. Brysbaert,
  // "How many words do we read per minute?", J. Memory and Language 109 (2019).
  static constexpr unsigned kWordsPerMinute = 238;
  std::string_view name() const override { return "stats"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
