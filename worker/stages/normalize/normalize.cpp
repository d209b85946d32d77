#include "normalize/normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "wirefeed/core/json_writer.h"
#include "wirefeed/core/utf8.h"

namespace wirefeed::stages {

namespace {

struct NormalizeScratch final : core::Scratch {
  std::string tmp;
};

struct NamedEntity {
  std::string_view name;
  char32_t cp;
};

// The references news feeds actually carry; sorted by name for binary search.
constexpr std::array<NamedEntity, 44> kEntities = {{
    {"AElig", 0xC6},    {"Aacute", 0xC1},   {"Eacute", 0xC9},  {"aacute", 0xE1},  {"acute", 0xB4},
    {"amp", '&'},       {"apos", '\''},     {"bull", 0x2022},  {"ccedil", 0xE7},  {"cent", 0xA2},
    {"copy", 0xA9},     {"deg", 0xB0},      {"eacute", 0xE9},  {"egrave", 0xE8},  {"euro", 0x20AC},
    {"gt", '>'},        {"hellip", 0x2026}, {"iacute", 0xED},  {"laquo", 0xAB},   {"ldquo", 0x201C},
    {"lsaquo", 0x2039}, {"lsquo", 0x2018},  {"lt", '<'},       {"mdash", 0x2014}, {"middot", 0xB7},
    {"nbsp", 0xA0},     {"ndash", 0x2013},  {"ntilde", 0xF1},  {"oacute", 0xF3},  {"ouml", 0xF6},
    {"para", 0xB6},     {"pound", 0xA3},    {"quot", '"'},     {"raquo", 0xBB},   {"rdquo", 0x201D},
    {"reg", 0xAE},      {"rsaquo", 0x203A}, {"rsquo", 0x2019}, {"sect", 0xA7},    {"shy", 0xAD},
    {"times", 0xD7},    {"trade", 0x2122},  {"uuml", 0xFC},    {"yen", 0xA5},
}};
static_assert(std::is_sorted(kEntities.begin(), kEntities.end(),
                             [](const NamedEntity& a, const NamedEntity& b) {
                               return a.name < b.name;
                             }),
              "kEntities must stay sorted for binary search");

// Windows-1252 meanings of numeric references 0x80-0x9F, which HTML5 mandates
// (pages write &#151; for an em dash). 0 means "drop".
constexpr std::array<char32_t, 32> kCp1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Parses a character reference at s[i] == '&'. Returns its length (0: not one).
std::size_t parse_entity(std::string_view s, std::size_t i, char32_t& cp) {
  std::size_t semi = s.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12 || semi == i + 1) return 0;
  std::string_view body = s.substr(i + 1, semi - i - 1);
  if (body[0] == '#') {
    if (body.size() < 2) return 0;
    bool hex = body[1] == 'x' || body[1] == 'X';
    std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return 0;
    unsigned long value = 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return 0;
      }
      value = value * (hex ? 16 : 10) + d;
    }
    if (value >= 0x80 && value <= 0x9F) {
      value = kCp1252[value - 0x80];
    } else if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      value = 0xFFFD;
    }
    cp = static_cast<char32_t>(value);
    return semi - i + 1;
  }
  auto it = std::lower_bound(kEntities.begin(), kEntities.end(), body,
                             [](const NamedEntity& e, std::string_view n) { return e.name < n; });
  if (it == kEntities.end() || it->name != body) return 0;
  cp = it->cp;
  return semi - i + 1;
}

enum class CharClass { kVisible, kSpace, kNewline, kDrop };

CharClass classify(char32_t cp) {
  if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) return CharClass::kNewline;
  if (cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
      (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return CharClass::kSpace;
  }
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x200B || cp == 0xFEFF ||
      cp == 0xAD || cp == 0x2060) {
    return CharClass::kDrop;
  }
  return CharClass::kVisible;
}

// Code points that are NFC-stable whatever surrounds them (NFC_Quick_Check=Yes,
// canonical combining class 0, and never the second half of a composition):
// everything below the combining diacritics block, the general punctuation
// (minus U+2000/U+2001, folded to spaces before this check), currency symbols
// and CJK ideographs. Text made only of these skips the NFC pass: the common
// case for European and wire-service news.
bool nfc_stable(char32_t cp) {
  return cp < 0x300 || (cp >= 0x2010 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF);
}

}  // namespace

void normalize_text(std::string_view in, std::string& out, bool single_line) {
  out.clear();
  out.reserve(in.size());
  bool needs_nfc = false;
  bool pending_space = false;
  int pending_newlines = 0;
  auto flush_separator = [&] {
    if (!out.empty()) {
      if (pending_newlines >= 2) {
        out += "\n\n";
      } else if (pending_newlines == 1) {
        out += '\n';
      } else if (pending_space) {
        out += ' ';
      }
    }
    pending_space = false;
    pending_newlines = 0;
  };
  for (std::size_t i = 0; i < in.size();) {
    char32_t cp;
    std::size_t len;
    unsigned char c = static_cast<unsigned char>(in[i]);
    // Fast path: a run of visible ASCII other than '&' is copied as it is.
    if (c > 0x20 && c < 0x7F && c != '&') {
      std::size_t j = i + 1;
      while (j < in.size()) {
        unsigned char d = static_cast<unsigned char>(in[j]);
        if (d <= 0x20 || d >= 0x7F || d == '&') break;
        ++j;
      }
      flush_separator();
      out.append(in.data() + i, j - i);
      i = j;
      continue;
    }
    if (c == '&') {
      std::size_t entity_len = parse_entity(in, i, cp);
      if (entity_len) {
        len = entity_len;
      } else {
        cp = '&';
        len = 1;
      }
    } else if (c == '\r') {
      cp = '\n';
      len = (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
    } else {
      cp = core::utf8::decode(in, i, len);
    }
    i += len;
    switch (classify(cp)) {
      case CharClass::kDrop:
        continue;
      case CharClass::kSpace:
        pending_space = true;
        continue;
      case CharClass::kNewline:
        if (single_line) {
          pending_space = true;
        } else {
          ++pending_newlines;
        }
        continue;
      case CharClass::kVisible:
        break;
    }
    flush_separator();
    if (!nfc_stable(cp)) needs_nfc = true;
    core::utf8::append(out, cp);
  }
  if (!needs_nfc) return;
  utf8proc_uint8_t* composed = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(out.data()),
                   static_cast<utf8proc_ssize_t>(out.size()), &composed,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n >= 0) out.assign(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(n));
  std::free(composed);
}

void html_to_text(std::string_view html, std::string& out) {
  out.clear();
  out.reserve(html.size() / 2);
  auto lower_equals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      char c = a[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != b[k]) return false;
    }
    return true;
  };
  static constexpr std::string_view kSkipContent[] = {"script", "style", "noscript", "template"};
  static constexpr std::string_view kBlocks[] = {
      "p",  "div", "br", "li", "ul",    "ol",      "h1",      "h2",         "h3",     "h4",    "h5",
      "h6", "tr",  "td", "th", "table", "section", "article", "blockquote", "header", "footer"};
  std::size_t i = 0;
  while (i < html.size()) {
    std::size_t lt = html.find('<', i);
    out.append(html.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i));
    if (lt == std::string_view::npos) break;
    if (html.compare(lt, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", lt + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    std::size_t gt = html.find('>', lt);
    if (gt == std::string_view::npos) break;  // an unterminated tag: drop the rest
    std::string_view tag = html.substr(lt + 1, gt - lt - 1);
    bool closing = !tag.empty() && tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    std::size_t name_end = tag.find_first_of(" \t\n\r/");
    std::string_view name = tag.substr(0, name_end);
    i = gt + 1;
    if (!closing) {
      bool skipped = false;
      for (auto skip : kSkipContent) {
        if (lower_equals(name, skip)) {
          std::string close = "</" + std::string(skip);
          // Case-insensitive search for the closing tag.
          std::size_t k = i;
          std::size_t found = std::string_view::npos;
          while ((k = html.find("</", k)) != std::string_view::npos) {
            if (lower_equals(html.substr(k, close.size()), close)) {
              found = k;
              break;
            }
            k += 2;
          }
          std::size_t end = found == std::string_view::npos ? html.size() : html.find('>', found);
          i = end == std::string_view::npos ? html.size() : end + 1;
          skipped = true;
          break;
        }
      }
      if (skipped) continue;
    }
    for (auto block : kBlocks) {
      if (lower_equals(name, block)) {
        out += "\n\n";
        break;
      }
    }
  }
}

std::unique_ptr<core::Scratch> NormalizeStage::new_scratch() const {
  return std::make_unique<NormalizeScratch>();
}

core::Status NormalizeStage::process(core::Article& article, core::Scratch& base) const {
  auto& scratch = static_cast<NormalizeScratch&>(base);
  bool body_has_text = article.has_body && !article.body.empty();
  if (body_has_text) {
    normalize_text(article.body, article.text);
  } else {
    html_to_text(article.html, scratch.tmp);
    // Tag soup can cut a multi-byte sequence only if the input was invalid; the
    // decoder already guaranteed valid UTF-8 and tags are ASCII, so it cannot.
    normalize_text(scratch.tmp, article.text);
  }
  if (!article.title.empty()) {
    normalize_text(article.title, scratch.tmp, /*single_line=*/true);
    article.title.swap(scratch.tmp);
  }
  if (article.text.empty()) {
    return {core::Code::kMissingBody, "no text left after normalization"};
  }
  return {};
}

}  // namespace wirefeed::stages
