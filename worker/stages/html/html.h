// html: the article inside a web page, and the page's metadata.
#pragma once

#include <string_view>

#include "wirefeed/core/stage.h"
#include "wirefeed/stages/html_extraction.h"  // HtmlExtraction, extract_html()

namespace wirefeed::stages {

// When the record has `html`: fills `body` from the extracted main text (unless
// the input gave a body), and title, authors, published_at, language and url
// from the page's metadata where the input left them empty. Adds `html`
// {body_source, body_chars, title, authors, published, language,
// canonical_url, description, site_name, image}. Skips records without html.
class HtmlStage final : public core::Stage {
 public:
  std::string_view name() const override { return "html"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
