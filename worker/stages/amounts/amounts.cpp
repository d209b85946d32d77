#include "amounts/amounts.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "common/lexical.h"
#include "language/language.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using core::TokenKind;
using lexical::token_text;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view currency_symbol(std::string_view s) {
  // Every symbol and code below is 1-3 bytes and starts with '$', an upper-case
  // letter or the lead byte of €, ₹, £ or ¥: most words leave here.
  if (s.empty() || s.size() > 3) return {};
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c != '$' && !(c >= 'A' && c <= 'Z') && c != 0xE2 && c != 0xC2) return {};
  if (s == "$" || s == "US$" || s == "USD") return "USD";
  if (s == "\xE2\x82\xAC" || s == "EUR") return "EUR";  // €
  if (s == "\xC2\xA3" || s == "GBP") return "GBP";      // £
  if (s == "\xC2\xA5" || s == "JPY") return "JPY";      // ¥
  if (s == "A$" || s == "AU$" || s == "AUD") return "AUD";
  if (s == "NZ$" || s == "NZD") return "NZD";
  if (s == "S$" || s == "SGD") return "SGD";
  if (s == "R$" || s == "BRL") return "BRL";
  if (s == "C$" || s == "CAD") return "CAD";
  if (s == "HK$" || s == "HKD") return "HKD";
  if (s == "\xE2\x82\xB9" || s == "INR") return "INR";  // ₹
  if (s == "CHF") return "CHF";
  return {};
}

std::string_view currency_word(std::string_view lower) {
  if (lower == "dollars" || lower == "dollar") return "USD";
  if (lower == "euros" || lower == "euro") return "EUR";
  if (lower == "pounds" || lower == "sterling") return "GBP";
  if (lower == "yen") return "JPY";
  if (lower == "yuan" || lower == "renminbi") return "CNY";
  if (lower == "rupees") return "INR";
  if (lower == "francs") return "CHF";
  return {};
}

// Exactly three digits at w[i], then the end or a non-digit: a thousands group.
bool three_digit_group(std::string_view w, std::size_t i) {
  return i + 3 <= w.size() && is_digit(w[i]) && is_digit(w[i + 1]) && is_digit(w[i + 2]) &&
         (i + 3 == w.size() || !is_digit(w[i + 3]));
}

// "100,000" "2.5" "US$3m" "1.2bn" "3k": value, currency prefix, scale suffix.
struct Numeric {
  double value = 0;
  std::string_view currency;
  double scale = 1;  // the suffix's factor ("3m": 1e6)
};

std::optional<Numeric> parse_numeric(std::string_view w) {
  Numeric n;
  std::size_t i = 0;
  while (i < w.size() && !is_digit(w[i])) ++i;
  if (i == w.size()) return std::nullopt;  // no digit: a word
  if (i > 0) {
    n.currency = currency_symbol(w.substr(0, i));
    if (n.currency.empty()) return std::nullopt;
  }
  std::size_t start = i;
  std::string digits;
  bool dot = false;
  for (; i < w.size(); ++i) {
    char c = w[i];
    if (is_digit(c)) {
      digits += c;
    } else if (c == ',' && !dot && three_digit_group(w, i + 1)) {
      continue;  // a thousands separator
    } else if (c == ',' && !dot && i > start && i + 1 < w.size() && is_digit(w[i + 1])) {
      // "8,26%": no group of three follows, so it is a decimal comma (a
      // translated or continental figure), not the thousands of "826".
      digits += '.';
      dot = true;
    } else if (c == '.' && !dot && i + 1 < w.size() && is_digit(w[i + 1])) {
      digits += '.';
      dot = true;
    } else {
      break;
    }
  }
  if (i == start || digits.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc()) return std::nullopt;
  std::string_view suffix = w.substr(i);
  // "1.2bn." at a sentence end: the segmenter keeps the period on tokens with an
  // inner period.
  if (!suffix.empty() && suffix.back() == '.') suffix.remove_suffix(1);
  if (!suffix.empty()) {
    std::string buf;
    double scale = lexical::scale_word(lexical::lower(suffix, buf));
    if (suffix == "k" || suffix == "K") scale = 1e3;
    if (scale == 0) return std::nullopt;  // "2nd", "10am", "747-8"
    v *= scale;
    n.scale = scale;
  }
  n.value = v;
  return n;
}

// "12-20" -> (12, 20): a range of two plain numbers, the low end first. Not
// "747-8" or "52-35" (the second is smaller: a model or a score) and not
// "2008-2009" (years).
template <class Parse>
std::optional<std::pair<double, double>> split_range(std::string_view w, Parse parse) {
  const std::size_t dash = w.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  auto low_end = parse(w.substr(0, dash));
  auto high_end = parse(w.substr(dash + 1));
  if (!low_end || !high_end || !low_end->currency.empty() || !high_end->currency.empty() ||
      low_end->scale != 1 || high_end->scale != 1 || !(low_end->value < high_end->value)) {
    return std::nullopt;
  }
  const auto year = [](double v) { return v >= 1900 && v <= 2100 && v == std::floor(v); };
  if (year(low_end->value) && year(high_end->value)) return std::nullopt;
  return std::make_pair(low_end->value, high_end->value);
}

struct Finder {
  std::string_view text;
  const std::vector<core::Token>& tokens;
  lexical::LowerTokens lower;
  std::vector<Amount> out;

  std::string_view word(std::size_t i) const {
    return i < tokens.size() ? token_text(text, tokens[i]) : std::string_view();
  }
  std::string_view low(std::size_t i) const {
    return i < tokens.size() ? lower[i] : std::string_view();
  }
  bool is_word(std::size_t i) const {
    return i < tokens.size() && tokens[i].kind == TokenKind::kWord;
  }

  // A number spelled out: "two", "two dozen", "twenty-five", "a dozen",
  // "three hundred". Returns tokens used (0 if none).
  std::size_t number_words(std::size_t i, double& value) const {
    std::size_t j = i;
    double total = 0, current = 0;
    bool any = false;
    if (low(j) == "a" && (low(j + 1) == "dozen" || low(j + 1) == "hundred")) {
      current = 1;
      ++j;
    }
    while (j < tokens.size()) {
      std::string_view l = low(j);
      double v = 0;
      if (auto hyphen = l.find('-'); hyphen != std::string_view::npos) {
        auto tens = lexical::number_word(l.substr(0, hyphen));
        auto ones = lexical::number_word(l.substr(hyphen + 1));
        if (!tens || !ones || *tens < 20 || *ones >= 10) break;
        v = *tens + *ones;
      } else if (auto w = lexical::number_word(l)) {
        v = *w;
      } else {
        break;
      }
      if (v == 100 || v == 12) {
        current = (current == 0 ? 1 : current) * v;
      } else if (v >= 1000) {
        total += (current == 0 ? 1 : current) * v;
        current = 0;
      } else {
        current += v;
      }
      any = true;
      ++j;
    }
    if (!any) return 0;
    value = total + current;
    return j - i;
  }

  // The noun phrase after `i`: up to three content words, ending at the first
  // plural one ("Russian troops"), a stop word, punctuation or a number.
  void object_after(std::size_t i, Amount& a) const {
    std::size_t j = i, taken = 0;
    // A verb right after the number is no object: "the two discussed ...".
    if (is_word(j) && (low(j).ends_with("ed") || low(j).ends_with("ing"))) return;
    while (j < tokens.size() && taken < 3 && is_word(j) && !lexical::is_stopword(low(j)) &&
           lexical::number_word(low(j)) == std::nullopt && !lexical::month_of(word(j))) {
      std::string_view l = low(j);
      // Never across a line break (a paragraph or a heading).
      std::uint32_t gap_from = j == i ? (i > 0 ? tokens[i - 1].end : 0) : tokens[j - 1].end;
      if (text.substr(gap_from, tokens[j].begin - gap_from).find('\n') != std::string_view::npos) {
        break;
      }
      // Verbs that commonly follow a count end the phrase.
      if (taken > 0 && (l.ends_with("ed") || l.ends_with("ing"))) break;
      ++taken;
      ++j;
      bool plural = l.size() > 3 && l.back() == 's' && !l.ends_with("ss") && !l.ends_with("us");
      if (plural) break;
    }
    if (taken == 0) return;
    a.object_begin = tokens[i].begin;
    a.object_end = tokens[j - 1].end;
  }

  // After money or a vague quantity: "in defense aid", "of people", "for X".
  void object_after_preposition(std::size_t i, Amount& a) const {
    std::string_view l = low(i);
    if (l == "in" || l == "of" || l == "for" || l == "worth") {
      std::size_t j = i + 1;
      if (low(j) == "the" || low(j) == "a" || low(j) == "an") ++j;
      object_after(j, a);
    } else {
      object_after(i, a);
    }
  }

  bool approximate_before(std::size_t i) const {
    if (i == 0) return false;
    std::string_view l = low(i - 1);
    if (l == "about" || l == "around" || l == "roughly" || l == "nearly" || l == "almost" ||
        l == "approximately" || l == "estimated" || l == "some" || l == "over") {
      return true;
    }
    return i >= 2 && (low(i - 1) == "than") &&
           (low(i - 2) == "more" || low(i - 2) == "less" || low(i - 2) == "fewer");
  }

  std::size_t at(std::size_t i) {
    Amount a;
    std::size_t first = i, j = i;
    std::string_view currency;
    // Currency symbol token before the number: "$ 2.5", "US $".
    if (tokens[j].kind == TokenKind::kSymbol) {
      currency = currency_symbol(word(j));
      if (currency.empty()) return 0;
      ++j;
    }
    double value = 0;
    bool have = false, vague = false;
    // A range "$12-20 million", "60-80 percent": both ends are amounts. Only
    // with money or a scale or percent after it: "747-8", "52-35" (a score) and
    // "2008-09" are not ranges.
    std::optional<double> range_low;
    if (j < tokens.size() && tokens[j].kind == TokenKind::kNumber) {
      if (auto r = split_range(word(j), [](std::string_view w) { return parse_numeric(w); })) {
        std::string_view after = low(j + 1);
        if (!currency.empty() || lexical::scale_word(after) > 0 || word(j + 1) == "%" ||
            after == "percent" || after == "pct" || (after == "per" && low(j + 2) == "cent") ||
            !currency_word(after).empty()) {
          range_low = r->first;
          value = r->second;
          have = true;
          ++j;
        }
      }
    }
    if (have) {
      // the range above
    } else if (j < tokens.size()) {
      if (auto n = parse_numeric(word(j))) {
        if (!n->currency.empty()) currency = n->currency;
        value = n->value;
        a.scale = n->scale;
        have = true;
        ++j;
        // Not amounts: days after months, years, times, model numbers.
        if (tokens[j - 1].kind == TokenKind::kNumber && first == j - 1 && currency.empty()) {
          std::string_view raw = word(j - 1);
          if (i > 0 && lexical::month_of(word(i - 1))) return 1;
          if (lexical::month_of(word(j))) return 1;
          if (raw.find(':') != std::string_view::npos) return 1;
          // "flight 574", "version 10.4": a number that names, not counts.
          if (i > 0 && (low(i - 1) == "flight" || low(i - 1) == "version" ||
                        low(i - 1) == "number" || low(i - 1) == "no.")) {
            return 1;
          }
          bool year_like = raw.size() == 4 && value >= 1900 && value <= 2100;
          if (year_like) {
            std::string_view next = low(j);
            bool counted = is_word(j) && next.size() > 3 && next.back() == 's' &&
                           !lexical::is_stopword(next) && lexical::scale_word(next) == 0;
            if (!counted) return 1;
          }
          // "Boeing 747", "Article 5": after a capitalized word mid-sentence.
          if (i > 0 && is_word(i - 1) && !word(i - 1).empty() && word(i - 1)[0] >= 'A' &&
              word(i - 1)[0] <= 'Z' && !(is_word(j) && !lexical::is_stopword(low(j)))) {
            return 1;
          }
        }
      } else if (currency.empty() && is_word(j)) {
        std::size_t used = number_words(j, value);
        if (used > 0) {
          // "one" alone is a pronoun more often than a count.
          if (value == 1 && used == 1) return 0;
          have = true;
          j += used;
        } else if (double scale = lexical::scale_word(low(j));
                   scale > 0 && low(j).ends_with('s') &&
                   (low(j) == "thousands" || low(j) == "millions" || low(j) == "billions")) {
          value = scale;
          vague = have = true;
          ++j;
        } else if (low(j) == "hundreds" || low(j) == "dozens") {
          value = low(j) == "hundreds" ? 100 : 24;
          vague = have = true;
          ++j;
        }
      }
    }
    if (!have) return 0;
    // Scale words: "2.5 billion", "tens of thousands" is left as vague.
    if (double scale = lexical::scale_word(low(j)); scale > 0 && !vague) {
      value *= scale;
      a.scale *= scale;
      ++j;
    }
    a.approximate = vague || approximate_before(first);
    a.value = value;
    // Units after the number.
    std::string_view l = low(j);
    if (!currency.empty()) {
      a.kind = AmountKind::kMoney;
      a.unit = currency;
    } else if (word(j) == "%" || l == "percent" || l == "pct") {
      a.kind = AmountKind::kPercent;
      a.unit = "percent";
      ++j;
    } else if (l == "per" && low(j + 1) == "cent") {
      a.kind = AmountKind::kPercent;
      a.unit = "percent";
      j += 2;
    } else if (l == "percentage" && (low(j + 1) == "points" || low(j + 1) == "point")) {
      a.kind = AmountKind::kPercent;
      a.unit = "percentage_points";
      j += 2;
    } else if (auto c = currency_word(l); !c.empty()) {
      a.kind = AmountKind::kMoney;
      a.unit = c;
      ++j;
    } else if (auto of = vague && l == "of" ? currency_word(low(j + 1)) : std::string_view();
               !of.empty()) {
      // "millions of dollars", "billions of euros".
      a.kind = AmountKind::kMoney;
      a.unit = of;
      j += 2;
    }
    a.begin = tokens[first].begin;
    a.end = tokens[j - 1].end;
    // "€1.2bn." ends its sentence: the period is not part of it, and nothing
    // after it is its object.
    if (word(j - 1).size() > 1 && word(j - 1).back() == '.') {
      --a.end;
      push(a, range_low);
      return j - i;
    }
    if (a.kind == AmountKind::kPercent) {
      if (low(j) == "of") object_after(j + 1, a);
    } else if (a.kind == AmountKind::kMoney || vague) {
      object_after_preposition(j, a);
    } else {
      object_after(j, a);
    }
    // A spelled-out number that counts nothing is a pronoun or an idiom ("the
    // two met", "two of them"), not an amount; a scaled one ("four billion")
    // is a sum whose unit the context gives.
    bool spelled = tokens[first].kind == TokenKind::kWord && currency.empty() && !vague &&
                   !parse_numeric(word(first));
    if (spelled && a.kind == AmountKind::kCount && a.object_end == a.object_begin && value < 1000)
      return j - i;
    // "the four billion it received" counts (money), with a scale word.
    if (spelled && first > 0 && value < 1000 &&
        (low(first - 1) == "the" || low(first - 1) == "these" || low(first - 1) == "those")) {
      // "the two met": a pronoun unless a plural noun follows ("the two countries").
      std::string_view object = text.substr(a.object_begin, a.object_end - a.object_begin);
      bool plural = object.ends_with('s') || object.ends_with("people") ||
                    object.ends_with("men") || object.ends_with("children") ||
                    object.ends_with("police");
      if (!plural) return j - i;
    }
    push(a, range_low);
    return j - i;
  }

  // Adds `a`, after the low end of its range if it has one.
  void push(const Amount& a, std::optional<double> range_low) {
    if (range_low) {
      Amount low_end = a;
      low_end.value = *range_low * a.scale;
      out.push_back(low_end);
    }
    out.push_back(a);
  }
};

// A number in a language's notation: "2.500" / "1,5" with a decimal comma,
// "2,500" / "1.5" with a dot; an optional currency prefix ("$23", "US$3").
std::optional<Numeric> parse_language_numeric(std::string_view w, bool decimal_comma) {
  Numeric n;
  std::size_t i = 0;
  while (i < w.size() && !is_digit(w[i])) ++i;
  if (i == w.size()) return std::nullopt;  // no digit: a word
  if (i > 0) {
    n.currency = currency_symbol(w.substr(0, i));
    if (n.currency.empty()) return std::nullopt;
  }
  const char decimal = decimal_comma ? ',' : '.';
  const char thousands = decimal_comma ? '.' : ',';
  std::string digits;
  bool have_decimal = false;
  std::size_t start = i;
  for (; i < w.size(); ++i) {
    char c = w[i];
    if (is_digit(c)) {
      digits += c;
    } else if (c == thousands && !have_decimal && i + 3 < w.size() + 1 && is_digit(w[i + 1]) &&
               i + 3 < w.size() && is_digit(w[i + 2]) && is_digit(w[i + 3]) &&
               (i + 4 == w.size() || !is_digit(w[i + 4]))) {
      continue;  // a thousands separator: exactly three digits follow
    } else if ((c == decimal || c == thousands) && !have_decimal && i + 1 < w.size() &&
               is_digit(w[i + 1])) {
      // The decimal mark, or the other mark used as one ("1.5" in a Spanish text).
      digits += '.';
      have_decimal = true;
    } else {
      break;
    }
  }
  if (i == start || digits.empty()) return std::nullopt;
  std::string_view suffix = w.substr(i);
  if (!suffix.empty() && suffix.back() == '.') suffix.remove_suffix(1);  // "8.017." ends a sentence
  if (!suffix.empty()) return std::nullopt;                              // "747-8", "10am", "2º"
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n.value);
  if (ec != std::errc()) return std::nullopt;
  return n;
}

// "12.00", "9.30", "16,15": hours (0-24) and two digits of minutes (00-59).
bool clock_like(std::string_view w) {
  const std::size_t mark = w.find_first_of(".,");
  if (mark == std::string_view::npos || mark == 0 || mark > 2 || w.size() != mark + 3) return false;
  for (std::size_t k = 0; k < w.size(); ++k)
    if (k != mark && !is_digit(w[k])) return false;
  const int hours = mark == 1 ? w[0] - '0' : (w[0] - '0') * 10 + (w[1] - '0');
  return hours <= 24 && w[mark + 1] <= '5';
}

// The finder for a language with AmountWords.
struct LanguageFinder {
  std::string_view text;
  const std::vector<core::Token>& tokens;
  const AmountWords& words;
  const DateWords* dates;
  lexical::LowerTokens lower;
  std::vector<Amount> out;
  std::string pair_buf;
  // Per token: its lower-cased text with the hash every list's filter asks.
  std::vector<lexical::WordFilter::Key> keys;

  std::string_view word(std::size_t i) const {
    return i < tokens.size() ? token_text(text, tokens[i]) : std::string_view();
  }
  std::string_view low(std::size_t i) const {
    return i < tokens.size() ? lower[i] : std::string_view();
  }
  bool is_word(std::size_t i) const {
    return i < tokens.size() && tokens[i].kind == TokenKind::kWord;
  }
  template <class V>
  static const V* lookup(const lexical::WordMap<V>& map, std::string_view key) {
    return map.lookup(key);
  }
  template <class V>
  static const V* lookup(const lexical::WordMap<V>& map, const lexical::WordFilter::Key& key) {
    return map.lookup(key);
  }
  // The key of low(i).
  const lexical::WordFilter::Key& key(std::size_t i) const {
    return i < tokens.size() ? keys[i] : lexical::WordFilter::empty_key();
  }
  // The key of elided(low(i)).
  lexical::WordFilter::Key elided_key(std::size_t i) const {
    const std::string_view rest = elided(low(i));
    return rest.size() == low(i).size() ? key(i) : lexical::WordFilter::key(rest);
  }
  // The value of the two-word phrase at i ("por ciento") in `map`, or null.
  template <class V>
  const V* pair(const lexical::WordMap<V>& map, std::size_t i) {
    return map.lookup(low(i), low(i + 1), pair_buf);
  }
  // A phrase of `set` at i: returns the tokens it takes (0, 1 or 2).
  template <class Map>
  std::size_t phrase(const Map& set, std::size_t i) {
    if (i + 1 < tokens.size() && pair(set, i)) return 2;
    if (i < tokens.size() && lookup(set, key(i))) return 1;
    return 0;
  }
  bool is_month(std::size_t i) const { return dates && dates->months.lookup(key(i)) != nullptr; }
  std::string_view currency_at(std::size_t i) const {
    if (i >= tokens.size()) return {};
    std::string_view c = currency_symbol(word(i));
    if (!c.empty()) return c;
    const std::string* code = lookup(words.currencies, key(i));
    return code ? std::string_view(*code) : std::string_view();
  }

  // The token at i without an elided article or preposition before a digit:
  // "dell'11,81" -> "11,81", "l'8%" -> "8" (Italian writes them as one word).
  std::string_view number_word(std::size_t i) const {
    std::string_view w = word(i);
    if (w.empty() || is_digit(w[0]) || !lexical::may_elide(w, 5)) return w;
    for (std::string_view mark : {std::string_view("'"), std::string_view("\xE2\x80\x99")}) {
      const std::size_t at = lexical::find_within(w, mark, 5);
      if (at != std::string_view::npos && at > 0 && at + mark.size() < w.size() &&
          is_digit(w[at + mark.size()])) {
        return w.substr(at + mark.size());
      }
    }
    return w;
  }

  // "l'otto" -> "otto": an elided article in front.
  static std::string_view elided(std::string_view l) {
    if (!lexical::may_elide(l, 4)) return l;
    std::size_t apostrophe = lexical::find_within(l, "'", 4);
    if (apostrophe != std::string_view::npos && apostrophe + 1 < l.size()) {
      return l.substr(apostrophe + 1);
    }
    return l;
  }

  // A currency written before the number: a symbol or code ("$", "USD"), or a
  // symbol of the language's list ("AU$").
  std::string_view prefix_currency(std::size_t i) const {
    std::string_view c = currency_symbol(word(i));
    const std::string_view w = word(i);
    if (c.empty() && std::find(w.begin(), w.end(), '$') != w.end()) c = currency_at(i);
    return c;
  }

  // The content words after `i` up to a stop word, punctuation or a number (at most three).
  void object_after(std::size_t i, Amount& a) const {
    std::size_t j = i;
    while (j < tokens.size() && j - i < 3 && is_word(j) && !lookup(words.stop, key(j)) &&
           !lookup(words.ranges, key(j)) && !lookup(words.numbers, key(j)) && !is_month(j)) {
      std::uint32_t gap_from = tokens[j == i ? (i > 0 ? i - 1 : 0) : j - 1].end;
      if (j > 0 && gap_from <= tokens[j].begin &&
          text.substr(gap_from, tokens[j].begin - gap_from).find('\n') != std::string_view::npos)
        break;
      ++j;
    }
    if (j == i) return;
    a.object_begin = tokens[i].begin;
    a.object_end = tokens[j - 1].end;
  }

  std::size_t at(std::size_t i) {
    Amount a;
    std::size_t first = i, j = i;
    std::string_view currency;
    // A currency before the number: "$ 2,5", "USD $23", "US$ 3".
    if (std::string_view c = prefix_currency(j); !c.empty() && j + 1 < tokens.size()) {
      currency = c;
      ++j;
      if (!currency_symbol(word(j)).empty() && parse_language_numeric(word(j + 1), true)) ++j;
    }
    double value = 0;
    bool have = false, vague = false, spelled = false;
    // A range "200-300", "12-20 millones": both ends are amounts, with what follows.
    std::optional<double> range_low;
    if (tokens[j].kind == TokenKind::kNumber) {
      const bool comma = words.decimal_comma;
      if (auto r = split_range(number_word(j), [comma](std::string_view w) {
            return parse_language_numeric(w, comma);
          })) {
        range_low = r->first;
        value = r->second;
        have = true;
        ++j;
      }
    }
    if (have) {
      // the range above
    } else if (auto n = parse_language_numeric(number_word(j), words.decimal_comma)) {
      if (!n->currency.empty()) currency = n->currency;
      value = n->value;
      have = true;
      ++j;
      if (currency.empty() && first == j - 1) {
        std::string_view raw = number_word(j - 1);
        // Not amounts: days of months, years, times, model numbers.
        std::size_t next = lookup(words.links, key(j)) ? j + 1 : j;
        if (is_month(next) || (i > 0 && is_month(i - 1))) return 1;
        if (raw.find(':') != std::string_view::npos) return 1;
        // "vlucht 574", "versión 10.4": a number that names, not counts.
        if (i > 0 && lookup(words.labels, key(i - 1))) return 1;
        // "om 12.00 uur", "a las 16.15 horas", "alle 12.00": a time of day.
        const bool time_before = i > 0 && lookup(words.time_before, key(i - 1));
        const bool time_after = lookup(words.time_after, key(j)) != nullptr;
        if ((time_before && time_after) || ((time_before || time_after) && clock_like(raw))) {
          return 1;
        }
        bool year_like = raw.size() == 4 && value >= 1900 && value <= 2100;
        bool unit_follows = phrase(words.scales, j) || phrase(words.percent, j) ||
                            phrase(words.points, j) || !currency_at(next).empty();
        if (year_like && !unit_follows) return 1;
        if (i > 0 && is_word(i - 1) && !word(i - 1).empty() && word(i - 1)[0] >= 'A' &&
            word(i - 1)[0] <= 'Z' && !unit_follows &&
            !(is_word(j) && !lookup(words.stop, key(j)))) {
          return 1;  // "Boeing 747"
        }
      }
    } else if (currency.empty() && is_word(j)) {
      if (const double* v = lookup(words.numbers, elided_key(j))) {
        value = *v;
        have = spelled = true;
        ++j;
      } else if (lookup(words.scales, key(j)) && phrase(words.scales, j + 1)) {
        value = 1;  // "mil millones": the scales below multiply it
        have = true;
      } else if (const double* v = lookup(words.vague, key(j))) {
        value = *v;
        have = vague = true;
        ++j;
        // "miles de millones", "migliaia di miliardi": one vague quantity.
        if (lookup(words.links, key(j))) {
          const double* next = lookup(words.vague, key(j + 1));
          if (next == nullptr) next = lookup(words.scales, key(j + 1));
          if (next != nullptr) {
            value *= *next;
            j += 2;
          }
        }
      }
    }
    if (!have) return 0;
    // Scale words, possibly two: "1,5 millones", "mil millones", "23 miliardi".
    double scale = 1;
    if (!vague) {
      for (int k = 0; k < 2; ++k) {
        std::size_t taken = phrase(words.scales, j);
        if (taken == 0) break;
        scale *= taken == 2 ? *pair(words.scales, j) : *lookup(words.scales, key(j));
        j += taken;
      }
    }
    value *= scale;
    a.scale = scale;
    a.approximate = vague || (first > 0 && lookup(words.approx, key(first - 1)));
    a.value = value;
    // What follows: a currency (maybe after a link: "de dólares", "di dollari"),
    // percent words, or a counted object.
    std::size_t linked = lookup(words.links, key(j)) ? j + 1 : j;
    if (!currency.empty()) {
      a.kind = AmountKind::kMoney;
      a.unit = currency;
      if (std::string_view after = currency_at(j); !after.empty() && after == currency) ++j;
    } else if (std::size_t p = phrase(words.percent, j)) {
      a.kind = AmountKind::kPercent;
      a.unit = "percent";
      j += p;
    } else if (std::size_t p = phrase(words.points, j)) {
      a.kind = AmountKind::kPercent;
      a.unit = "percentage_points";
      j += p;
    } else if (std::string_view c = currency_at(linked); !c.empty()) {
      a.kind = AmountKind::kMoney;
      a.unit = c;
      j = linked + 1;
    }
    // "dell'11,81%" begins at its number.
    a.begin = tokens[first].begin +
              static_cast<std::uint32_t>(word(first).size() - number_word(first).size());
    a.end = tokens[j - 1].end;
    if (word(j - 1).size() > 1 && word(j - 1).back() == '.') {
      --a.end;
      if (range_low) {
        Amount low_end = a;
        low_end.value = *range_low * a.scale;
        out.push_back(low_end);
      }
      out.push_back(a);
      return j - i;
    }
    if (a.kind == AmountKind::kCount) {
      object_after(lookup(words.links, key(j)) ? j + 1 : j, a);
    } else if (a.kind == AmountKind::kMoney && lookup(words.links, key(j))) {
      // Money counts what follows a link only: "2 millones de euros de ayudas".
      std::size_t k = j + 1;
      if (lookup(words.stop, key(k))) ++k;
      object_after(k, a);
    }
    // A spelled number or a vague word that counts nothing is no amount.
    if ((spelled || vague) && a.kind == AmountKind::kCount && a.object_end == a.object_begin) {
      return j - i;
    }
    if (range_low) {
      Amount low_end = a;
      low_end.value = *range_low * a.scale;
      out.push_back(low_end);
    }
    out.push_back(a);
    return j - i;
  }
};

// The two ends of a range written with a word between them share what only
// one of them says: "20 to 25 percent", "dal 20 al 25 per cento" (the first
// takes the second's unit), "$12 to 20 million", "$12 tot 20 miljoen" (the
// second takes the first's currency and the first the second's scale).
// The two ends of a range written with a word between them share what only
// one of them says: "20 to 25 percent", "dal 20 al 25 per cento" (the first
// takes the second's unit), "$12 to 20 million", "$12 tot 20 miljoen" (the
// second takes the first's currency and the first the second's scale). The
// first end must be a bare number below the second's: "rose 32,000 to 1.41
// million" is a change, not a range.
template <class IsRangeWord>
void join_ranges(std::string_view text, std::vector<Amount>& out, IsRangeWord is_range_word) {
  for (std::size_t k = 0; k + 1 < out.size(); ++k) {
    Amount& first = out[k];
    Amount& second = out[k + 1];
    if (first.object_end != first.object_begin || second.begin <= first.end || first.scale != 1 ||
        !(first.value < second.value / second.scale)) {
      continue;
    }
    std::string_view between = text.substr(first.end, second.begin - first.end);
    while (!between.empty() && between.front() == ' ') between.remove_prefix(1);
    while (!between.empty() && between.back() == ' ') between.remove_suffix(1);
    if (between.empty() || !is_range_word(text.substr(0, first.begin), between)) continue;
    const bool first_plain = first.kind == AmountKind::kCount && first.unit.empty();
    const bool second_plain = second.kind == AmountKind::kCount && second.unit.empty();
    if (first_plain && !second_plain) {
      first.kind = second.kind;
      first.unit = second.unit;
    } else if (first.kind == AmountKind::kMoney && second_plain && second.scale > 1 &&
               second.object_end == second.object_begin) {
      second.kind = AmountKind::kMoney;
      second.unit = first.unit;
    } else if (!(first_plain && second_plain && second.scale > 1)) {
      continue;  // "12 to 20 million": both in millions
    }
    first.value *= second.scale;
    first.scale = second.scale;
  }
}

// "20 to 25 percent", "20-25", "between 20 and 25 million".
bool is_english_range_word(std::string_view before, std::string_view between) {
  if (between == "and") {
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    return before.ends_with(" between") || before.ends_with("Between") || before == "between";
  }
  return between == "to" || between == "or" || between == "-" ||
         between == "\xE2\x80\x93";  // en dash
}

}  // namespace

AmountWords::AmountWords(std::string_view file) {
  lexical::for_each_tsv_line(file, [&](const std::vector<std::string_view>& f) {
    const auto fail = [&] {
      throw std::runtime_error("amounts.tsv: bad line starting '" + std::string(f[0]) + "'");
    };
    if (f.size() < 2 || f[1].empty()) fail();
    if (f[0] == "decimal") {
      if (f[1] != "comma" && f[1] != "dot") fail();
      decimal_comma = f[1] == "comma";
      return;
    }
    std::string key(f[1]);
    const auto number = [&] {
      if (f.size() < 3) fail();
      std::string v(f[2]);
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (end != v.c_str() + v.size() || !(d > 0)) fail();
      return d;
    };
    if (f[0] == "scale") {
      scales.emplace(key, number());
    } else if (f[0] == "vague") {
      vague.emplace(key, number());
    } else if (f[0] == "number") {
      numbers.emplace(key, number());
    } else if (f[0] == "currency") {
      if (f.size() < 3 || f[2].size() != 3) fail();
      currencies.emplace(key, std::string(f[2]));
    } else if (f[0] == "percent") {
      percent.emplace(key, true);
    } else if (f[0] == "points") {
      points.emplace(key, true);
    } else if (f[0] == "link") {
      links.emplace(key, true);
    } else if (f[0] == "approx") {
      approx.emplace(key, true);
    } else if (f[0] == "stop") {
      stop.emplace(key, true);
    } else if (f[0] == "range") {
      ranges.emplace(key, true);
    } else if (f[0] == "label") {
      labels.emplace(key, true);
    } else if (f[0] == "time_before") {
      time_before.emplace(key, true);
    } else if (f[0] == "time_after") {
      time_after.emplace(key, true);
    } else {
      fail();
    }
  });
}

std::vector<Amount> find_amounts(std::string_view text, const std::vector<core::Token>& tokens,
                                 const AmountWords& words, const DateWords* months,
                                 std::string_view lower) {
  LanguageFinder f{text, tokens, words, months, lexical::LowerTokens::of(text, tokens, lower),
                   {},   {},     {}};
  f.keys.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i)
    f.keys.push_back(lexical::WordFilter::key(f.lower[i]));
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t used = f.at(i);
    i += used ? used : 1;
  }
  std::string buf;
  join_ranges(text, f.out, [&](std::string_view, std::string_view between) {
    return words.ranges.contains(lexical::lower(between, buf));
  });
  return std::move(f.out);
}

std::vector<Amount> find_amounts(std::string_view text, const std::vector<core::Token>& tokens,
                                 std::string_view lower) {
  Finder f{text, tokens, lexical::LowerTokens::of(text, tokens, lower), {}};
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t used = f.at(i);
    i += used ? used : 1;
  }
  join_ranges(text, f.out, is_english_range_word);
  return std::move(f.out);
}

AmountsStage::AmountsStage(std::size_t max_items)
    : max_items_(max_items),
      words_("amounts.tsv",
             [](std::string_view, std::string_view file) { return AmountWords(file); }),
      dates_("dates.tsv", [](std::string_view, std::string_view file) { return DateWords(file); }) {
}

core::Status AmountsStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  std::vector<Amount> amounts;
  if (english_or_unknown(article)) {
    amounts = find_amounts(article.text, article.tokens, article.lower_text);
  } else {
    const std::string_view language = core::content_language(article);
    const AmountWords* words = words_.find(language);
    if (words == nullptr) return core::Status::skipped(not_english_reason(article));
    amounts = find_amounts(article.text, article.tokens, *words, dates_.find(language),
                           article.lower_text);
  }
  if (amounts.size() > max_items_) {
    article.note_truncated("amounts", amounts.size() - max_items_);
    amounts.resize(max_items_);
  }
  static constexpr std::array<std::string_view, 3> kKinds = {"count", "money", "percent"};
  std::string_view text = article.text;
  core::json::Writer w(article.add_enrichment("amounts").json);
  w.begin_array();
  for (const Amount& a : amounts) {
    w.begin_object()
        .span(text, a.begin, a.end)
        .key("kind")
        .string_unescaped(kKinds[static_cast<int>(a.kind)])
        .key("value")
        .number_whole_as_int(a.value)  // 100000, not 1e+05
        .member_or_null("unit", a.unit)
        .member("approximate", a.approximate)
        .span(text, a.object_begin, a.object_end, "object", "object_")
        .end_object();
  }
  w.end_array();
  return {};
}

}  // namespace wirefeed::stages
