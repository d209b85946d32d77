#include "language/language.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "wirefeed/core/json_writer.h"

// Declared in CLD2's internal lang_script.h, which does not compile on its own
// (it needs the generated tables' headers in a particular order).
namespace CLD2 {
const char* LanguageCode(Language lang);
}

namespace wirefeed::stages {

namespace {

// Cuts at a UTF-8 boundary at or before `limit`.
std::size_t utf8_cut(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s.size();
  while (limit > 0 && (static_cast<unsigned char>(s[limit]) & 0xC0) == 0x80) --limit;
  return limit;
}

std::string_view code_of(CLD2::Language lang) {
  if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) return "und";
  return CLD2::LanguageCode(lang);
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

}  // namespace

bool english_or_unknown(const core::Article& article) {
  std::string_view lang = core::content_language(article);
  return lang.empty() || ascii_iequals(lang, "en");
}

std::string not_english_reason(const core::Article& article) {
  return "English only; the article's language is " + std::string(core::content_language(article));
}

core::Status LanguageStage::process(core::Article& article, core::Scratch&) const {
  if (article.text.empty() && article.title.empty()) return core::Status::skipped("no text");
  // Title first: short articles get the most signal out of it.
  std::string sample;
  std::string_view text = article.text;
  CLD2::Language languages[3];
  int percents[3];
  double scores[3];
  int text_bytes = 0;
  bool reliable = false;
  CLD2::Language best = CLD2::UNKNOWN_LANGUAGE;
  for (std::size_t limit : {kFirstBytes, kMaxBytes}) {
    const std::size_t cut = utf8_cut(text, limit);
    sample.reserve(cut + article.title.size() + 1);
    sample.assign(article.title);
    sample += '\n';
    sample.append(text.substr(0, cut));
    int valid_prefix = 0;
    CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    best = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, &hints,
        CLD2::kCLDFlagBestEffort, languages, percents, scores, nullptr, &text_bytes, &reliable,
        &valid_prefix);
    const bool settled = reliable && percents[0] >= kSettledPercent;
    if (settled || cut == text.size()) break;
  }
  // Too little text: CLD2 still guesses ("Hi." comes out Catalan); say unknown.
  const bool too_short = text_bytes < kMinBytes;
  std::string_view code = too_short ? std::string_view("und") : code_of(best);
  if (too_short) reliable = false;
  article.detected_language.assign(code);
  article.language_reliable = reliable && code != "und";
  if (article.language.empty() && article.language_reliable) article.language.assign(code);

  // Confidence: the winner's share of the scored text (CLD2's percent).
  int total = 0;
  for (int p : percents) total += std::max(p, 0);
  double confidence = code == "und" || total == 0 ? 0.0 : percents[0] / 100.0;

  core::json::Writer w(article.add_enrichment("language_detection").json);
  w.begin_object()
      .member("code", std::string_view(code))
      .member("confidence", std::round(confidence * 100) / 100)
      .member("reliable", article.language_reliable)
      .member("text_bytes", static_cast<std::uint64_t>(std::max(text_bytes, 0)));
  w.key("languages").begin_array();
  for (int i = 0; i < 3; ++i) {
    std::string_view c = code_of(languages[i]);
    if (too_short || c == "und" || percents[i] <= 0) continue;
    w.begin_object().member("code", c).member("percent", percents[i]).end_object();
  }
  w.end_array().end_object();
  return {};
}

}  // namespace wirefeed::stages
