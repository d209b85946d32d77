// The html stage's extraction, on its own: what `wirefeed eval extract` scores.
// Public (wirefeed::stages) because the app calls it; the stage is html/html.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::stages {

struct HtmlExtraction {
  std::string body;         // main text: paragraphs separated by "\n\n", entities decoded
  std::string body_source;  // "json-ld" (the page's own articleBody) or "dom"
  std::string title, description, site_name, canonical_url, published, language, image;
  std::vector<std::string> authors;
};

// Parses `html` with gumbo (Debian's libgumbo, an HTML5-conformant parser) and
// extracts, like Readability and trafilatura do:
//   metadata: title (og:title, JSON-LD headline, <title>), authors (JSON-LD,
//     meta author, article:author, rel=author), publication date
//     (article:published_time, JSON-LD datePublished, meta date, <time
//     datetime>), language (<html lang>, og:locale), canonical URL
//     (link rel=canonical, og:url), description, site name, image;
//   body: the page's JSON-LD articleBody when it has a substantial one,
//     otherwise the DOM's main content: paragraphs are scored by length and
//     commas into their ancestors, containers are weighted by their class and
//     id (article, content, story vs comment, share, related, promo, nav, ...)
//     and by link density, and the best container's text blocks are kept,
//     without navigation, ads, share bars, comments, related-story lists,
//     scripts, forms and hidden elements.
HtmlExtraction extract_html(std::string_view html);

// Lower-cased ASCII letters and digits and every non-ASCII byte; every other run
// (punctuation, spaces) becomes one space. Titles, headings and names compare
// equal through it when only case and punctuation differ ("Alles Neue, mach der
// Mai" and "alles neue mach der mai"); eval extract scores titles with it too.
std::string fold_for_matching(std::string_view text);

}  // namespace wirefeed::stages
