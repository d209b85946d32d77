// normalize: raw body (or HTML) -> the clean text every later stage reads.
#pragma once

#include <string>
#include <string_view>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

// Decodes HTML character references; maps CR/CRLF and Unicode line separators to
// '\n'; drops control, zero-width and soft-hyphen characters; folds horizontal
// whitespace runs (including NBSP and the Unicode spaces) to one space; trims
// lines; keeps at most one blank line (a paragraph break, "\n\n"); applies Unicode
// NFC. With `single_line`, line breaks fold to spaces too (titles).
// `in` must be valid UTF-8; the result is valid UTF-8.
void normalize_text(std::string_view in, std::string& out, bool single_line = false);

// The text of an HTML fragment: tags removed, script/style/noscript/template
// content dropped, block-level tags become paragraph breaks. Character
// references are left for normalize_text. This is the fallback for records that
// carry only `html` while no HTML-extraction stage runs.
void html_to_text(std::string_view html, std::string& out);

class NormalizeStage final : public core::Stage {
 public:
  std::string_view name() const override { return "normalize"; }
  std::unique_ptr<core::Scratch> new_scratch() const override;
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
