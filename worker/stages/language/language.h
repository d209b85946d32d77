// language: which language the article is written in (CLD2).
#pragma once

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Adds `language_detection` {code, confidence, reliable, text_bytes, languages}
// from CLD2 (Debian's libcld2, 83 languages) over the title and
// the clean text:
//   code        ISO 639-1 (or CLD2's code where there is none), "und" if unknown;
//   confidence  the share of the scored text in that language, 0..1;
//   reliable    CLD2's reliability call; false for text under kMinBytes;
//   languages   up to three {code, percent} for mixed-language text.
// When the input has no `language`, a reliable detection fills it in. Later
// stages read core::content_language(). Skips when there is no text.
class LanguageStage final : public core::Stage {
 public:
  // Below this many bytes of letters CLD2's guess is noise; it is reported as
  // unreliable whatever CLD2 says.
  static constexpr int kMinBytes = 24;
  // CLD2 reads the title and the first kFirstBytes of the text (about 80
  // words): on 2,552 MEANTIME, Wikinews and BBC articles in four languages that
  // decides as well as 1,024 bytes did (one miss either way) at half the cost.
  // Only when that call is unreliable or split (the winner under
  // kSettledPercent of the scored text) does it read up to kMaxBytes.
  static constexpr std::size_t kFirstBytes = 512;
  static constexpr int kSettledPercent = 90;
  static constexpr std::size_t kMaxBytes = 1024;
  std::string_view name() const override { return "language"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

// True unless the article's content language is known and is not English: the
// gate of the English-only stages.
bool english_or_unknown(const core::Article& article);

// The skip reason the English-only stages give.
std::string not_english_reason(const core::Article& article);

}  // namespace wirefeed::stages
