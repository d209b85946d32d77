#include "common/lexical.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

#include "common/word_index.h"

namespace wirefeed::stages::lexical {

namespace {

// ASCII case folding, inline: what std::tolower does in the "C" locale the
// worker never leaves (nothing calls setlocale), without a call per byte.
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return fold(x) == fold(y); });
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view strip_period(std::string_view w) {
  return !w.empty() && w.back() == '.' ? w.substr(0, w.size() - 1) : w;
}

}  // namespace

std::string_view lower(std::string_view word, std::string& buf) {
  buf.assign(word);
  for (char& c : buf) {
    if (is_upper(c)) c = static_cast<char>(c | 0x20);
  }
  return buf;
}

LowerTokens::LowerTokens(std::string_view text, const std::vector<core::Token>& tokens)
    : owned_(text), tokens_(&tokens) {
  for (char& c : owned_) {
    if (is_upper(c)) c = static_cast<char>(c | 0x20);
  }
  view_ = owned_;
}

int month_of(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kMonths = {{
      {"january", "jan"},
      {"february", "feb"},
      {"march", "mar"},
      {"april", "apr"},
      {"may", "may"},
      {"june", "jun"},
      {"july", "jul"},
      {"august", "aug"},
      {"september", "sep"},
      {"october", "oct"},
      {"november", "nov"},
      {"december", "dec"},
  }};
  bool abbreviated = !word.empty() && word.back() == '.';
  std::string_view w = strip_period(word);
  if (w.empty() || !is_upper(w[0])) return 0;  // month names are capitalized in prose
  // Cheap rejections first: several stages ask this of every capitalized word.
  // Names and short forms are 3 ("May", "Jan") to 9 ("September") letters.
  if (w.size() < 3 || w.size() > 9) return 0;
  switch (w[0]) {
    case 'J':
    case 'F':
    case 'M':
    case 'A':
    case 'S':
    case 'O':
    case 'N':
    case 'D':
      break;
    default:
      return 0;
  }
  for (int i = 0; i < 12; ++i) {
    if (iequals(w, kMonths[i].first)) return i + 1;
    // Abbreviations need their period or are all-caps-free short forms: "Dec."
    // and "Dec" both count; "Mar" and "Jun" only with the period (names).
    if (iequals(w, kMonths[i].second) && (abbreviated || (i != 2 && i != 5 && i != 4))) {
      return i + 1;
    }
  }
  if (iequals(w, "sept")) return 9;
  return 0;
}

int weekday_of(std::string_view word) {
  static constexpr auto kDays = std::to_array<std::string_view>(
      {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
  static constexpr auto kShort =
      std::to_array<std::string_view>({"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
  std::string_view w = strip_period(word);
  if (w.empty() || !is_upper(w[0])) return -1;
  // Cheap rejections first, as in month_of(): 3 ("Mon.") to 9 ("Wednesday") letters.
  if (w.size() < 3 || w.size() > 9) return -1;
  switch (w[0]) {
    case 'M':
    case 'T':
    case 'W':
    case 'F':
    case 'S':
      break;
    default:
      return -1;
  }
  for (int i = 0; i < 7; ++i) {
    if (iequals(w, kDays[i])) return i;
    if (word.back() == '.' && iequals(w, kShort[i])) return i;
  }
  return -1;
}

std::optional<double> number_word(std::string_view w) {
  static constexpr std::array<std::pair<std::string_view, double>, 33> kWords = {{
      {"one", 1},       {"two", 2},        {"three", 3},       {"four", 4},       {"five", 5},
      {"six", 6},       {"seven", 7},      {"eight", 8},       {"nine", 9},       {"ten", 10},
      {"eleven", 11},   {"twelve", 12},    {"thirteen", 13},   {"fourteen", 14},  {"fifteen", 15},
      {"sixteen", 16},  {"seventeen", 17}, {"eighteen", 18},   {"nineteen", 19},  {"twenty", 20},
      {"thirty", 30},   {"forty", 40},     {"fifty", 50},      {"sixty", 60},     {"seventy", 70},
      {"eighty", 80},   {"ninety", 90},    {"hundred", 100},   {"thousand", 1e3}, {"dozen", 12},
      {"million", 1e6}, {"billion", 1e9},  {"trillion", 1e12},
  }};
  // The words' values by index (the list has no repeats, so a word's index is
  // its place in kWords; checked once here).
  static const WordIndex kIndex = [] {
    WordIndex index;
    for (const auto& [word, value] : kWords)
      if (static_cast<std::size_t>(index.insert(word)) + 1 != index.size()) std::abort();
    return index;
  }();
  // Cheap rejections first: this runs for every token of several stages.
  if (w.size() < 3 || w.size() > 9) return std::nullopt;
  switch (w[0]) {
    case 'o':
    case 't':
    case 'f':
    case 's':
    case 'e':
    case 'n':
    case 'h':
    case 'd':
    case 'm':
    case 'b':
      break;
    default:
      return std::nullopt;
  }
  const int at = kIndex.find(w);
  if (at < 0) return std::nullopt;
  return kWords[static_cast<std::size_t>(at)].second;
}

double scale_word(std::string_view w) {
  if (w == "thousand" || w == "thousands") return 1e3;
  if (w == "million" || w == "millions" || w == "mln" || w == "m") return 1e6;
  if (w == "billion" || w == "billions" || w == "bn" || w == "bln") return 1e9;
  if (w == "trillion" || w == "trillions" || w == "tn") return 1e12;
  return 0;
}

bool is_stopword(std::string_view w) {
  // Function words of English news prose (closed classes: articles, pronouns,
  // prepositions, conjunctions, auxiliaries, common adverbs).
  static constexpr auto kWords = std::to_array<std::string_view>({
      "a",       "about",   "above",    "after",   "again",     "against", "ago",     "all",
      "almost",  "also",    "although", "am",      "among",     "an",      "and",     "another",
      "any",     "are",     "around",   "as",      "at",        "be",      "because", "been",
      "before",  "being",   "below",    "between", "both",      "but",     "by",      "can",
      "could",   "did",     "do",       "does",    "doing",     "down",    "during",  "each",
      "either",  "else",    "even",     "ever",    "every",     "few",     "for",     "from",
      "further", "had",     "has",      "have",    "having",    "he",      "her",     "here",
      "hers",    "herself", "him",      "himself", "his",       "how",     "however", "i",
      "if",      "in",      "into",     "is",      "it",        "its",     "itself",  "just",
      "last",    "least",   "less",     "like",    "many",      "may",     "me",      "might",
      "more",    "most",    "much",     "must",    "my",        "myself",  "near",    "neither",
      "no",      "nor",     "not",      "now",     "of",        "off",     "often",   "on",
      "once",    "one",     "only",     "onto",    "or",        "other",   "others",  "our",
      "ours",    "out",     "over",     "own",     "per",       "perhaps", "rather",  "said",
      "same",    "say",     "says",     "she",     "should",    "since",   "so",      "some",
      "such",    "than",    "that",     "the",     "their",     "theirs",  "them",    "then",
      "there",   "these",   "they",     "this",    "those",     "though",  "through", "thus",
      "to",      "too",     "toward",   "towards", "under",     "until",   "up",      "upon",
      "us",      "very",    "via",      "was",     "we",        "well",    "were",    "what",
      "when",    "where",   "whether",  "which",   "while",     "who",     "whom",    "whose",
      "why",     "will",    "with",     "within",  "without",   "would",   "yet",     "you",
      "your",    "yours",   "yourself", "told",    "according", "added",   "also",
  });
  // An index built once: stop-word checks run for every token of every stage.
  static const WordIndex kIndex = [] {
    WordIndex index;
    for (std::string_view word : kWords) index.insert(word);
    return index;
  }();
  return kIndex.contains(w);
}

std::optional<Dateline> find_dateline(std::string_view text,
                                      const std::function<int(std::string_view)>* language_month) {
  Dateline d;
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  // The place: upper-case words.
  std::size_t letters = 0;
  while (i < text.size() && (is_upper(text[i]) || text[i] == ' ' || text[i] == '.' ||
                             text[i] == '-' || text[i] == '\'')) {
    letters += is_upper(text[i]);
    ++i;
  }
  // Trailing spaces belong to what follows.
  std::size_t place_end = i;
  while (place_end > 0 && text[place_end - 1] == ' ') --place_end;
  if (letters < 2 || place_end == 0) return std::nullopt;
  // "A " or "I " then a lower-case word is a sentence, not a place.
  if (i < text.size() && text[i] >= 'a' && text[i] <= 'z') return std::nullopt;
  d.place = text.substr(0, place_end);
  i = place_end;
  skip_spaces();
  // Another language: optional ", Day [link] Month [link] [Year]".
  if (language_month != nullptr && i < text.size() && text[i] == ',') {
    ++i;
    skip_spaces();
    for (int words = 0; words < 6 && i < text.size() && text[i] != '(' && text[i] != '-' &&
                        static_cast<unsigned char>(text[i]) != 0xE2;
         ++words) {
      std::size_t word_end = text.find_first_of(" ,", i);
      if (word_end == std::string_view::npos) return std::nullopt;
      std::string_view w = text.substr(i, word_end - i);
      int number = 0;
      bool digits = !w.empty() && w.size() <= 4;
      for (char c : w) {
        digits = digits && is_digit(c);
        if (digits) number = number * 10 + (c - '0');
      }
      if (digits && w.size() <= 2 && number >= 1 && number <= 31 && d.day == 0) {
        d.day = number;
      } else if (digits && w.size() == 4 && d.month != 0) {
        d.year = number;
      } else if (int month = (*language_month)(w); month != 0 && d.day != 0) {
        d.month = month;
      } else if (w.size() > 3 || w.empty() || is_upper(w[0]) || d.day == 0) {
        return std::nullopt;  // not a date: a sentence after a comma
      }
      i = word_end;
      if (i < text.size() && text[i] == ',') ++i;
      skip_spaces();
    }
    if (d.month == 0) return std::nullopt;
  }
  // Optional ", Month Day[, Year]".
  if (i < text.size() && text[i] == ',') {
    ++i;
    skip_spaces();
    std::size_t word_end = text.find_first_of(" ,", i);
    if (word_end == std::string_view::npos) return std::nullopt;
    int month = month_of(text.substr(i, word_end - i));
    if (month == 0) return std::nullopt;
    i = word_end;
    skip_spaces();
    int day = 0;
    std::size_t digits = 0;
    while (i < text.size() && is_digit(text[i]) && digits < 2) {
      day = day * 10 + (text[i++] - '0');
      ++digits;
    }
    if (digits == 0 || day < 1 || day > 31) return std::nullopt;
    d.month = month;
    d.day = day;
    if (i + 6 <= text.size() && text[i] == ',' && text[i + 1] == ' ' && is_digit(text[i + 2]) &&
        is_digit(text[i + 3]) && is_digit(text[i + 4]) && is_digit(text[i + 5])) {
      d.year = std::stoi(std::string(text.substr(i + 2, 4)));
      i += 6;
    }
    skip_spaces();
  }
  // Optional "(Agency)".
  if (i < text.size() && text[i] == '(') {
    std::size_t close = text.find(')', i);
    if (close == std::string_view::npos || close - i > 40) return std::nullopt;
    i = close + 1;
    skip_spaces();
  }
  // The separator: -, --, — (U+2014), – (U+2013), or ':'.
  std::string_view rest = text.substr(i);
  std::size_t sep = 0;
  if (rest.starts_with("--")) {
    sep = 2;
  } else if (rest.starts_with("-") || rest.starts_with(":")) {
    sep = 1;
  } else if (rest.starts_with("\xE2\x80\x94") || rest.starts_with("\xE2\x80\x93")) {
    sep = 3;
  }
  if (sep == 0) return std::nullopt;
  i += sep;
  if (i < text.size() && text[i] != ' ') return std::nullopt;  // "U.S.-led" is not one
  skip_spaces();
  d.end = i;
  return d;
}

bool is_byline_or_credit(std::string_view s) {
  auto starts = [&](std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
  };
  if (starts("by ") && s.size() < 80 && s.size() > 4 && is_upper(s[3])) return true;
  for (std::string_view p :
       {"photo:", "photo by", "photograph:", "image:", "image copyright", "image caption",
        "picture:", "(ap photo", "(reuters", "credit:", "reporting by", "editing by", "writing by",
        "additional reporting", "file photo", "getty images", "copyright "}) {
    if (starts(p)) return true;
  }
  return s.find("Getty Images") != std::string_view::npos && s.size() < 80;
}

}  // namespace wirefeed::stages::lexical
