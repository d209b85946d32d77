#include "wirefeed/core/article.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack: no allocation per id
#include <xxhash.h>

#include <algorithm>
#include <cctype>

namespace wirefeed::core {

Enrichment& Article::add_enrichment(std::string_view key) {
  if (enrichment_count == enrichments.size()) enrichments.emplace_back();
  Enrichment& slot = enrichments[enrichment_count++];
  slot.key.assign(key);
  slot.json.clear();
  return slot;
}

void Article::note_truncated(std::string_view list, std::uint64_t cut) {
  if (cut == 0) return;
  for (Truncation& t : truncations) {
    if (t.list == list) {
      t.cut += cut;
      return;
    }
  }
  truncations.push_back({list, cut});
}

void Article::reset() {
  raw = {};
  has_source = false;
  source = {};
  plain_text = false;
  id.clear();
  url.clear();
  source_name.clear();
  title.clear();
  body.clear();
  html.clear();
  published_at.clear();
  language.clear();
  authors.clear();
  has_body = has_html = has_authors = false;
  extra_json.clear();
  text.clear();
  tokens.clear();
  sentences.clear();
  lower_text.clear();
  paragraphs = 0;
  segmented = false;
  detected_language.clear();
  language_reliable = false;
  publication_day = INT32_MIN;
  enrichment_count = 0;
  stages_run.clear();
  stages_skipped.clear();
  truncations.clear();
  output.clear();
}

std::string_view content_language(const Article& article) {
  if (article.language_reliable) return article.detected_language;
  if (!article.language.empty()) {
    std::string_view lang = article.language;
    return lang.substr(0, std::min(lang.find_first_of("-_"), lang.size()));
  }
  if (!article.detected_language.empty() && article.detected_language != "und") {
    return article.detected_language;
  }
  return {};
}

namespace {

std::string hex128(const XXH128_hash_t& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = kDigits[(h.high64 >> (4 * i)) & 0xF];
    out[31 - i] = kDigits[(h.low64 >> (4 * i)) & 0xF];
  }
  return out;
}

bool is_tracking_param(std::string_view name) {
  return name.starts_with("utm_") || name == "fbclid" || name == "gclid" || name == "mc_cid" ||
         name == "mc_eid";
}

}  // namespace

std::string canonicalize_url(std::string_view url) {
  // Trim surrounding whitespace first: feeds often carry it.
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front())))
    url.remove_prefix(1);
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.remove_suffix(1);
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);

  std::string out;
  out.reserve(url.size());
  std::size_t scheme_end = url.find("://");
  std::string_view rest = url;
  if (scheme_end != std::string_view::npos) {
    for (char c : url.substr(0, scheme_end)) out.push_back(static_cast<char>(std::tolower(c)));
    out += "://";
    rest = url.substr(scheme_end + 3);
    std::size_t host_end = rest.find_first_of("/?");
    std::string_view host = rest.substr(0, host_end);
    std::string lowered;
    for (char c : host) lowered.push_back(static_cast<char>(std::tolower(c)));
    std::string_view scheme(out.data(), scheme_end);
    if ((scheme == "http" && lowered.ends_with(":80")) ||
        (scheme == "https" && lowered.ends_with(":443"))) {
      lowered.resize(lowered.rfind(':'));
    }
    out += lowered;
    rest = host_end == std::string_view::npos ? std::string_view{} : rest.substr(host_end);
  }
  std::string_view path = rest.substr(0, rest.find('?'));
  std::string_view query = rest.find('?') == std::string_view::npos
                               ? std::string_view{}
                               : rest.substr(rest.find('?') + 1);
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  out += path;

  std::vector<std::string_view> kept;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    std::string_view name = param.substr(0, param.find('='));
    if (!param.empty() && !is_tracking_param(name)) kept.push_back(param);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += kept[i];
  }
  return out;
}

std::string derive_article_id(const Article& article) {
  if (!article.url.empty()) {
    std::string canonical = canonicalize_url(article.url);
    return "url-" + hex128(XXH3_128bits(canonical.data(), canonical.size()));
  }
  // Whitespace-collapsed text, hashed incrementally: no copy of the text.
  std::string_view text = article.text.empty() ? std::string_view(article.body) : article.text;
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  bool pending_space = false;
  bool any = false;
  std::size_t run_start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    bool space = i == text.size() || std::isspace(static_cast<unsigned char>(text[i]));
    if (space) {
      if (i > run_start) {
        if (pending_space && any) XXH3_128bits_update(&state, " ", 1);
        XXH3_128bits_update(&state, text.data() + run_start, i - run_start);
        any = true;
      }
      pending_space = true;
      run_start = i + 1;
    }
  }
  return "txt-" + hex128(XXH3_128bits_digest(&state));
}

}  // namespace wirefeed::core
