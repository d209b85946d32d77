#include "segment/segment.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "wirefeed/core/utf8.h"

namespace wirefeed::stages {

using core::Sentence;
using core::Token;
using core::TokenKind;

namespace {

char32_t decode_at(std::string_view s, std::size_t i, std::size_t& len) {
  return core::utf8::decode(s, i, len);
}

// Start of the code point that ends at byte `end` (exclusive).
std::size_t prev_start(std::string_view s, std::size_t end) {
  std::size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

bool is_opening(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == '{' || cp == 0x201C ||
         cp == 0x2018 || cp == 0xAB || cp == 0xBF || cp == 0xA1 || cp == 0x201E;
}

bool is_closing(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x201D ||
         cp == 0x2019 || cp == 0xBB;
}

bool is_trailing_punct(char32_t cp) {
  return is_closing(cp) || cp == ',' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
         cp == 0x2026 || cp == 0x2014 || cp == 0x2013;
}

bool is_dash(char32_t cp) { return cp == 0x2014 || cp == 0x2013; }

bool is_currency(char32_t cp) {
  return cp == '$' || cp == 0xA3 || cp == 0x20AC || cp == 0xA5 || cp == 0x20B9 || cp == 0x20BD;
}

bool is_terminator(std::string_view tok) {
  return tok == "." || tok == "!" || tok == "?" || tok == "\xE2\x80\xA6" || tok == "?!" ||
         tok == "!?";
}

bool is_ascii_digit(char32_t cp) { return cp >= '0' && cp <= '9'; }

// Abbreviations that keep their period and do not end a sentence.
constexpr std::array<std::string_view, 52> kAbbreviations = {
    "Adm", "Apr",  "Aug", "Capt", "Cmdr", "Co",  "Col", "Corp",  "Dec", "Dr",  "Feb",
    "Fig", "Fri",  "Ft",  "Gen",  "Gov",  "Hon", "Inc", "Jan",   "Jr",  "Jul", "Jun",
    "Lt",  "Ltd",  "Maj", "Mar",  "Mon",  "Mr",  "Mrs", "Ms",    "Mt",  "No",  "Nov",
    "Oct", "Prof", "Rep", "Rev",  "Sat",  "Sen", "Sep", "Sept",  "Sgt", "Sr",  "St",
    "Sun", "Thu",  "Tue", "Wed",  "etc",  "no",  "vs",  "approx"};

bool is_abbreviation(std::string_view word, const Abbreviations* language) {
  if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z') return true;  // an initial: J.
  if (word.find('.') != std::string_view::npos) return true;              // U.S, a.m
  if (std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end()) {
    return true;
  }
  return language != nullptr && language->contains(word);
}

TokenKind kind_of(std::string_view text, std::size_t begin, std::size_t end) {
  bool letter = false, digit = false;
  for (std::size_t i = begin; i < end;) {
    std::size_t len;
    char32_t cp = decode_at(text, i, len);
    if (is_ascii_digit(cp)) {
      digit = true;
    } else if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
               (cp >= 0xC0 && !is_opening(cp) && !is_trailing_punct(cp) && !is_currency(cp) &&
                cp != 0x2026 && cp != 0x2022)) {
      letter = true;
    }
    i += len;
  }
  if (letter) return TokenKind::kWord;
  if (digit) return TokenKind::kNumber;
  if (end - begin == 1 &&
      std::string_view("$%&+=<>#@*/\\^|~").find(text[begin]) != std::string_view::npos) {
    return TokenKind::kSymbol;
  }
  std::size_t len;
  if (is_currency(decode_at(text, begin, len))) return TokenKind::kSymbol;
  return TokenKind::kPunct;
}

void push(std::vector<Token>& tokens, std::string_view text, std::size_t b, std::size_t e) {
  if (e > b)
    tokens.push_back(
        {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), kind_of(text, b, e)});
}

// Splits one whitespace-free chunk [b, e) into tokens.
void tokenize_chunk(std::string_view text, std::size_t b, std::size_t e, std::vector<Token>& tokens,
                    const Abbreviations* language) {
  // Fast path, most chunks: ASCII that starts and ends alphanumeric and is not a
  // possessive is exactly one token.
  auto alnum = [](unsigned char c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  };
  if (alnum(static_cast<unsigned char>(text[b])) &&
      alnum(static_cast<unsigned char>(text[e - 1])) &&
      !(e - b > 3 && text[e - 2] == '\'' && (text[e - 1] | 0x20) == 's')) {
    bool ascii = true, letter = false;
    for (std::size_t k = b; k < e; ++k) {
      unsigned char c = static_cast<unsigned char>(text[k]);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      letter |= (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
    if (ascii) {
      tokens.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e),
                        letter ? TokenKind::kWord : TokenKind::kNumber});
      return;
    }
  }
  // Leading punctuation and currency symbols.
  while (b < e) {
    std::size_t len;
    char32_t cp = decode_at(text, b, len);
    if (!(is_opening(cp) || is_currency(cp) || is_dash(cp))) break;
    push(tokens, text, b, b + len);
    b += len;
  }
  // Trailing punctuation, collected right to left.
  std::array<std::pair<std::size_t, std::size_t>, 16> trailing;
  std::size_t n_trailing = 0;
  while (e > b && n_trailing < trailing.size()) {
    std::size_t s = prev_start(text, e);
    std::size_t len;
    char32_t cp = decode_at(text, s, len);
    if (cp == '.') {
      std::string_view core = text.substr(b, s - b);
      // "U.S." and "Dec." keep the period; "..." is one token.
      if (core.empty() || core.back() == '.') {
        std::size_t d = s;
        while (d > b && text[d - 1] == '.') --d;
        trailing[n_trailing++] = {d, e};
        e = d;
        continue;
      }
      // A number is no abbreviation: "rose 9.7%." and "to 16,764.09." end
      // their sentence.
      const bool number_end =
          !core.empty() &&
          (is_ascii_digit(static_cast<unsigned char>(core.back())) || core.back() == '%');
      if (!number_end && is_abbreviation(core, language)) break;
    } else if (cp == '%') {
      // "3%" -> "3" "%"
    } else if (!is_trailing_punct(cp)) {
      break;
    }
    trailing[n_trailing++] = {s, e};
    e = s;
  }
  // Internal dashes split words: "defense—a".
  std::size_t start = b;
  for (std::size_t i = b; i < e;) {
    std::size_t len;
    char32_t cp = decode_at(text, i, len);
    if (is_dash(cp)) {
      push(tokens, text, start, i);
      push(tokens, text, i, i + len);
      start = i + len;
    }
    i += len;
  }
  // Possessive suffix: "Russia’s" -> "Russia" "’s".
  if (e - start > 3) {
    std::size_t s_pos = e - 1;
    if (text[s_pos] == 's' || text[s_pos] == 'S') {
      if (text[s_pos - 1] == '\'') {
        push(tokens, text, start, s_pos - 1);
        start = s_pos - 1;
      } else if (s_pos >= 3 && text.substr(s_pos - 3, 3) == "\xE2\x80\x99") {
        push(tokens, text, start, s_pos - 3);
        start = s_pos - 3;
      }
    }
  }
  push(tokens, text, start, e);
  while (n_trailing > 0) {
    auto [tb, te] = trailing[--n_trailing];
    push(tokens, text, tb, te);
  }
}

bool starts_sentence(std::string_view text, const Token& t) {
  std::size_t len;
  char32_t cp = decode_at(text, t.begin, len);
  if ((cp >= 'A' && cp <= 'Z') || is_ascii_digit(cp) || is_opening(cp) || is_currency(cp)) {
    return true;
  }
  // Non-ASCII capitals (É, Ü, Д...): a lowercase mapping that differs is enough here.
  return cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7 && cp < 0xDF;
}

}  // namespace

Abbreviations::Abbreviations(std::string_view file) {
  lexical::for_each_tsv_line(file, [&](const auto& fields) {
    if (!fields[0].empty()) words_.push_back(fields[0]);
  });
  std::sort(words_.begin(), words_.end());
}

bool Abbreviations::contains(std::string_view word) const {
  return std::binary_search(words_.begin(), words_.end(), word);
}

void segment_text(std::string_view text, std::vector<Token>& tokens,
                  std::vector<Sentence>& sentences, std::uint32_t& paragraphs,
                  const Abbreviations* language) {
  tokens.clear();
  sentences.clear();
  paragraphs = text.empty() ? 0 : 1;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\n') {
      if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') ++paragraphs;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
    tokenize_chunk(text, i, j, tokens, language);
    i = j;
  }

  std::size_t first = 0;
  auto close_sentence = [&](std::size_t last) {  // tokens [first, last]
    sentences.push_back({tokens[first].begin, tokens[last].end, static_cast<std::uint32_t>(first),
                         static_cast<std::uint32_t>(last - first + 1)});
    first = last + 1;
  };
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    bool last_token = t + 1 == tokens.size();
    if (last_token) {
      close_sentence(t);
      break;
    }
    const Token& next = tokens[t + 1];
    std::string_view gap = text.substr(tokens[t].end, next.begin - tokens[t].end);
    if (gap.find('\n') != std::string_view::npos) {
      close_sentence(t);
      continue;
    }
    std::string_view tok = text.substr(tokens[t].begin, tokens[t].end - tokens[t].begin);
    if (!is_terminator(tok) && !(tok.size() > 3 && tok.ends_with("..."))) continue;
    // Absorb closing quotes and brackets that follow the terminator directly.
    std::size_t end = t;
    while (end + 1 < tokens.size() && tokens[end + 1].begin == tokens[end].end) {
      std::size_t len;
      if (!is_closing(decode_at(text, tokens[end + 1].begin, len))) break;
      ++end;
    }
    if (end + 1 >= tokens.size()) {
      close_sentence(end);
      break;
    }
    if (starts_sentence(text, tokens[end + 1])) {
      close_sentence(end);
      t = end;
    }
  }
}

void fold_case_keeping_offsets(std::string_view text, std::string& out) {
  out.assign(text);
  char* p = out.data();
  const std::size_t n = out.size();
  // ASCII first, eight bytes at a time: a byte's high bit in `upper` is set
  // when the byte is 'A'..'Z' (computed on the low seven bits, and never for
  // bytes >= 0x80), and shifted down to 0x20 it lower-cases the byte.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, p + i, 8);
    const std::uint64_t low7 = x & (0x7F * kOnes);
    const std::uint64_t ge_a = low7 + (0x80 - 'A') * kOnes;
    const std::uint64_t gt_z = low7 + (0x80 - 'Z' - 1) * kOnes;
    const std::uint64_t upper = (ge_a ^ gt_z) & ~x & (0x80 * kOnes);
    x |= upper >> 2;
    std::memcpy(p + i, &x, 8);
  }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 'A' && c <= 'Z') p[i] = static_cast<char>(c | 0x20);
  }
  // Then the Latin-1 capitals: U+00C0..U+00DE are C3 80..C3 9E, their lower-case
  // forms C3 A0..C3 BE (U+00D7, the multiplication sign, has none).
  for (char* at = static_cast<char*>(std::memchr(p, '\xC3', n)); at != nullptr;) {
    const std::size_t i = static_cast<std::size_t>(at - p);
    if (i + 1 >= n) break;
    const auto d = static_cast<unsigned char>(p[i + 1]);
    if (d >= 0x80 && d <= 0x9E && d != 0x97) p[i + 1] = static_cast<char>(d + 0x20);
    at = static_cast<char*>(std::memchr(p + i + 2, '\xC3', n - i - 2));  // i + 2 <= n
  }
}

SegmentStage::SegmentStage()
    : abbreviations_("abbreviations.txt",
                     [](std::string_view, std::string_view file) { return Abbreviations(file); }) {}

core::Status SegmentStage::process(core::Article& article, core::Scratch&) const {
  segment_text(article.text, article.tokens, article.sentences, article.paragraphs,
               abbreviations_.find(core::content_language(article)));
  fold_case_keeping_offsets(article.text, article.lower_text);
  article.segmented = true;
  return {};
}

}  // namespace wirefeed::stages
