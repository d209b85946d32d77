#include "dates/dates.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>

#include "common/lexical.h"
#include "language/language.h"
#include "wirefeed/core/json_writer.h"
#include "wirefeed/core/timestamp.h"

namespace wirefeed::stages {

namespace {

using lexical::token_text;

struct Civil {
  int year;
  unsigned month, day;
};

// Howard Hinnant's civil_from_days, the inverse of core::days_from_civil.
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

std::int32_t days(int y, int m, int d) {
  return static_cast<std::int32_t>(
      core::days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

// 0 = Monday. 1970-01-01 was a Thursday.
int weekday(std::int32_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

bool valid_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

std::int32_t add_months(std::int32_t first_of_month, int months) {
  Civil c = civil_from_days(first_of_month);
  int total = c.year * 12 + static_cast<int>(c.month) - 1 + months;
  return days(total / 12, total % 12 + 1, 1);
}

std::optional<int> small_int(std::string_view w, int lo, int hi) {
  if (w.empty() || w.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : w) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

// "29", "29th", "1st" -> day of month.
std::optional<int> day_number(std::string_view w) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (w.size() > 2 && w.ends_with(suffix)) {
      w.remove_suffix(2);
      break;
    }
  }
  return small_int(w, 1, 31);
}

std::optional<int> year_number(std::string_view w) { return small_int(w, 1900, 2100); }

// The month day `month/day` nearest to the publication day (within half a year),
// or of `year` when given.
std::optional<std::int32_t> month_day(int year, int month, int day,
                                      std::optional<std::int32_t> pub) {
  if (year) {
    if (!valid_date(year, month, day)) return std::nullopt;
    return days(year, month, day);
  }
  if (!pub) return std::nullopt;
  int y = civil_from_days(*pub).year;
  std::optional<std::int32_t> best;
  for (int cand = y - 1; cand <= y + 1; ++cand) {
    if (!valid_date(cand, month, day)) continue;
    std::int32_t d = days(cand, month, day);
    if (!best || std::abs(d - *pub) < std::abs(*best - *pub)) best = d;
  }
  return best;
}

std::int32_t monday_of(std::int32_t day) { return day - weekday(day); }
std::int32_t first_of_month(std::int32_t day) {
  Civil c = civil_from_days(day);
  return days(c.year, static_cast<int>(c.month), 1);
}

struct Scanner {
  std::string_view text;
  const std::vector<core::Token>& tokens;
  std::optional<std::int32_t> pub;
  std::vector<DateMention> out;
  lexical::LowerTokens lower;  // lower-cased text per token

  std::string_view word(std::size_t i) const {
    return i < tokens.size() ? token_text(text, tokens[i]) : std::string_view();
  }
  std::string_view low(std::size_t i) const {
    return i < tokens.size() ? lower[i] : std::string_view();
  }
  bool is_comma(std::size_t i) const { return word(i) == ","; }
  bool is_word(std::size_t i) const {
    return i < tokens.size() && tokens[i].kind == core::TokenKind::kWord;
  }

  void add(std::size_t first, std::size_t last, bool relative, Granularity g,
           std::optional<std::int32_t> day) {
    DateMention m;
    m.begin = tokens[first].begin;
    m.end = tokens[last].end;
    m.relative = relative;
    m.granularity = g;
    m.day = day;
    out.push_back(m);
  }

  // Tries every pattern at token i; returns the number of tokens consumed.
  std::size_t at(std::size_t i) {
    std::string_view w = word(i);
    std::string_view l = low(i);
    // ISO date: 2021-12-29.
    if (w.size() == 10 && w[4] == '-' && w[7] == '-') {
      if (auto ms = core::parse_timestamp_ms(w)) {
        add(i, i, false, Granularity::kDay, static_cast<std::int32_t>(*ms / 86'400'000));
        return 1;
      }
    }
    // Month Day[, Year] | Month Year | (in) Month.
    if (int month = lexical::month_of(w)) {
      if (auto d = day_number(word(i + 1))) {
        std::size_t last = i + 1;
        int year = 0;
        std::size_t y = is_comma(i + 2) ? i + 3 : i + 2;
        if (auto yy = year_number(word(y))) {
          year = *yy;
          last = y;
        }
        add(i, last, year == 0, Granularity::kDay, month_day(year, month, *d, pub));
        return last - i + 1;
      }
      if (auto year = year_number(word(i + 1))) {
        add(i, i + 1, false, Granularity::kMonth, days(*year, month, 1));
        return 2;
      }
      std::string_view before = i > 0 ? low(i - 1) : std::string_view();
      // "March and June", "between September and October": a month joined to
      // one just found.
      const bool joined =
          (before == "and" || before == "or" || before == "to" || before == "through") && i >= 2 &&
          lexical::month_of(word(i - 2)) && !out.empty() && out.back().end == tokens[i - 2].end;
      if (before == "in" || before == "since" || before == "until" || before == "by" ||
          before == "early" || before == "late" || before == "mid" || before == "last" ||
          before == "next" || before == "this" || before == "during" || before == "between" ||
          before == "from" || joined) {
        std::optional<std::int32_t> first;
        if (pub) {
          // The nearest such month: last/next pick the one before/after.
          std::int32_t current = first_of_month(*pub);
          Civil c = civil_from_days(*pub);
          int diff = month - static_cast<int>(c.month);
          if (before == "last") {
            if (diff >= 0) diff -= 12;
          } else if (before == "next") {
            if (diff <= 0) diff += 12;
          } else if (diff > 6) {
            diff -= 12;
          } else if (diff < -6) {
            diff += 12;
          }
          first = add_months(current, diff);
        }
        bool modified = before == "last" || before == "next" || before == "this";
        add(modified ? i - 1 : i, i, true, Granularity::kMonth, first);
        return 1;
      }
    }
    // Day Month [Year]: 29 December 2021.
    if (auto d = day_number(w)) {
      if (int month = lexical::month_of(word(i + 1))) {
        std::size_t last = i + 1;
        int year = 0;
        if (auto yy = year_number(word(i + 2))) {
          year = *yy;
          last = i + 2;
        }
        add(i, last, year == 0, Granularity::kDay, month_day(year, month, *d, pub));
        return last - i + 1;
      }
    }
    // Weekdays.
    if (int wd = lexical::weekday_of(w); wd >= 0) {
      std::string_view before = i > 0 ? low(i - 1) : std::string_view();
      std::optional<std::int32_t> day;
      std::size_t first = i;
      if (pub) {
        int delta = wd - weekday(*pub);  // -6..6
        if (before == "last") {
          if (delta >= 0) delta -= 7;
          first = i - 1;
        } else if (before == "next") {
          if (delta <= 0) delta += 7;
          first = i - 1;
        } else {
          if (delta > 3) delta -= 7;
          if (delta < -3) delta += 7;
          if (before == "this") first = i - 1;
        }
        day = *pub + delta;
      } else if (before == "last" || before == "next" || before == "this") {
        first = i - 1;
      }
      // "Friday, January 4, 2019": the weekday is part of the absolute date.
      if (is_comma(i + 1) && lexical::month_of(word(i + 2))) return 1;
      add(first, i, true, Granularity::kDay, day);
      return 1;
    }
    // today / yesterday / tomorrow / tonight.
    if (l == "today" || l == "tonight" || l == "yesterday" || l == "tomorrow") {
      int delta = l == "yesterday" ? -1 : l == "tomorrow" ? 1 : 0;
      add(i, i, true, Granularity::kDay,
          pub ? std::optional<std::int32_t>(*pub + delta) : std::nullopt);
      return 1;
    }
    // this morning / afternoon / evening: the publication day (not ITV's "This
    // Morning": the second word is lower case).
    if (l == "this" &&
        (word(i + 1) == "morning" || word(i + 1) == "afternoon" || word(i + 1) == "evening")) {
      add(i, i + 1, true, Granularity::kDay, pub);
      return 2;
    }
    // [earlier|later] this/last/next week|month|year.
    if ((l == "this" || l == "last" || l == "next" || l == "past") &&
        (low(i + 1) == "week" || low(i + 1) == "month" || low(i + 1) == "year")) {
      std::size_t first = i;
      if (i > 0 && (low(i - 1) == "earlier" || low(i - 1) == "later")) first = i - 1;
      int step = l == "last" || l == "past" ? -1 : l == "next" ? 1 : 0;
      std::string_view unit = low(i + 1);
      Granularity g = unit == "week"    ? Granularity::kWeek
                      : unit == "month" ? Granularity::kMonth
                                        : Granularity::kYear;
      std::optional<std::int32_t> day;
      if (pub) {
        if (g == Granularity::kWeek) {
          day = monday_of(*pub) + 7 * step;
        } else if (g == Granularity::kMonth) {
          day = add_months(first_of_month(*pub), step);
        } else {
          day = days(civil_from_days(*pub).year + step, 1, 1);
        }
      }
      add(first, i + 1, true, g, day);
      return 2;
    }
    // N days/weeks/months/years ago; "a week ago".
    {
      std::optional<double> n;
      if (auto v = small_int(w, 1, 999)) n = *v;
      if (!n) n = lexical::number_word(l);
      if (!n && (l == "a" || l == "an")) n = 1;
      if (n && *n >= 1 && *n < 1000 && low(i + 2) == "ago") {
        std::string_view unit = low(i + 1);
        if (unit.ends_with('s')) unit.remove_suffix(1);
        int k = static_cast<int>(*n);
        std::optional<std::int32_t> day;
        Granularity g = Granularity::kDay;
        bool known = true;
        if (unit == "day") {
          if (pub) day = *pub - k;
        } else if (unit == "week") {
          g = Granularity::kWeek;
          if (pub) day = monday_of(*pub - 7 * k);
        } else if (unit == "month") {
          g = Granularity::kMonth;
          if (pub) day = add_months(first_of_month(*pub), -k);
        } else if (unit == "year") {
          g = Granularity::kYear;
          if (pub) day = days(civil_from_days(*pub).year - k, 1, 1);
        } else {
          known = false;
        }
        if (known) {
          add(i, i + 2, true, g, day);
          return 3;
        }
      }
    }
    // in/since/... 2019.
    if (auto year = year_number(w)) {
      std::string_view before = i > 0 ? low(i - 1) : std::string_view();
      // "between 2009 and 2011": a year joined to one just found.
      const bool joined = (before == "and" || before == "or" || before == "to") && i >= 2 &&
                          year_number(word(i - 2)) && !out.empty() &&
                          out.back().end == tokens[i - 2].end;
      // "the 1991 agreement", "the 2008 Olympics": a year naming its event (not
      // "the 2008 votes", a count).
      std::string_view next_low = low(i + 1);
      const bool names_event =
          before == "the" && is_word(i + 1) && !lexical::is_stopword(next_low) &&
          ((word(i + 1)[0] >= 'A' && word(i + 1)[0] <= 'Z') || !next_low.ends_with('s'));
      if (names_event) {
        add(i, i, false, Granularity::kYear, days(*year, 1, 1));
        return 1;
      }
      if (before == "in" || before == "since" || before == "until" || before == "by" ||
          before == "from" || before == "before" || before == "after" || before == "during" ||
          before == "of" || before == "early" || before == "late" || before == "mid" ||
          before == "between" || joined) {
        // "of 2019" only after a season or period word would be safer; "in 2019"
        // is the common case. A following noun ("in 2019 votes") rules it out.
        std::string_view next = word(i + 1);
        bool counted =
            !next.empty() && next[0] >= 'a' && next[0] <= 'z' && !lexical::is_stopword(low(i + 1));
        if (!counted) {
          add(i, i, false, Granularity::kYear, days(*year, 1, 1));
          return 1;
        }
      }
    }
    return 0;
  }
};

// The scanner for a language with DateWords. Its own patterns, not the English
// ones: day before month, links ("de", "del"), modifiers on either side.
struct LanguageScanner {
  std::string_view text;
  const std::vector<core::Token>& tokens;
  std::optional<std::int32_t> pub;
  const DateWords& words;
  lexical::LowerTokens lower;
  std::vector<DateMention> out;
  std::string phrase_buf;  // "esta mañana": two lower-cased words
  // Per token: its lower-cased text with the hash every list's filter asks.
  std::vector<lexical::WordFilter::Key> keys;

  std::string_view word(std::size_t i) const {
    return i < tokens.size() ? token_text(text, tokens[i]) : std::string_view();
  }
  std::string_view low(std::size_t i) const {
    return i < tokens.size() ? lower[i] : std::string_view();
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
  int month(std::size_t i) const {
    const int* m = lookup(words.months, key(i));
    return m ? *m : 0;
  }
  int weekday_at(std::size_t i) const {
    std::string_view l = low(i);
    if (const int* w = lookup(words.weekdays, key(i))) return *w;
    for (const std::string& suffix : words.weekday_suffixes) {
      if (l.size() > suffix.size() && l.ends_with(suffix)) {
        if (const int* w = lookup(words.weekdays, l.substr(0, l.size() - suffix.size()))) return *w;
      }
    }
    return -1;
  }
  // A count in digits or words: "3", "tres".
  std::optional<int> count(std::size_t i) const {
    if (auto n = small_int(word(i), 1, 999)) return n;
    if (const int* n = lookup(words.numbers, key(i))) return *n;
    return std::nullopt;
  }
  // "l'anno" -> "anno": an elided article or preposition in front.
  static std::string_view elided(std::string_view l) {
    if (!lexical::may_elide(l, 5)) return l;
    std::size_t apostrophe = lexical::find_within(l, "'", 5);
    if (apostrophe != std::string_view::npos && apostrophe + 1 < l.size()) {
      return l.substr(apostrophe + 1);
    }
    if (std::size_t curly = lexical::find_within(l, "\xE2\x80\x99", 5);
        curly != std::string_view::npos) {
      return l.substr(curly + 3);
    }
    return l;
  }
  bool is_link(std::size_t i) const { return lookup(words.links, key(i)) != nullptr; }
  const int* modifier(std::size_t i) const { return lookup(words.modifiers, key(i)); }
  // The key of the word before i (an empty one at the start).
  const lexical::WordFilter::Key& before_key(std::size_t i) const {
    return i > 0 ? key(i - 1) : lexical::WordFilter::empty_key();
  }

  void add(std::size_t first, std::size_t last, bool relative, Granularity g,
           std::optional<std::int32_t> day) {
    DateMention m;
    m.begin = tokens[first].begin;
    m.end = tokens[last].end;
    m.relative = relative;
    m.granularity = g;
    m.day = day;
    out.push_back(m);
  }

  // The period `step` units from the publication day's.
  std::optional<std::int32_t> shifted(Granularity g, int step) const {
    if (!pub) return std::nullopt;
    switch (g) {
      case Granularity::kDay:
        return *pub + step;
      case Granularity::kWeek:
        return monday_of(*pub) + 7 * step;
      case Granularity::kMonth:
        return add_months(first_of_month(*pub), step);
      case Granularity::kYear:
        return days(civil_from_days(*pub).year + step, 1, 1);
    }
    return std::nullopt;
  }

  // A weekday with a modifier step (-1 last, +1 next, 0 nearest).
  std::optional<std::int32_t> weekday_day(int wd, int step) const {
    if (!pub) return std::nullopt;
    int delta = wd - weekday(*pub);
    if (step < 0) {
      if (delta >= 0) delta -= 7;
    } else if (step > 0) {
      if (delta <= 0) delta += 7;
    } else {
      if (delta > 3) delta -= 7;
      if (delta < -3) delta += 7;
    }
    return *pub + delta;
  }

  // "14/03/2024", "14-03-2024", "14.03.2024" in the language's order.
  bool numeric_date(std::size_t i) {
    std::string_view w = word(i);
    if (w.size() < 8 || w.size() > 10) return false;
    char sep = 0;
    int parts[3] = {0, 0, 0};
    std::size_t digits[3] = {0, 0, 0};
    int k = 0;
    for (char c : w) {
      if (c >= '0' && c <= '9') {
        parts[k] = parts[k] * 10 + (c - '0');
        ++digits[k];
      } else if ((c == '/' || c == '-' || c == '.') && (sep == 0 || sep == c) && k < 2) {
        sep = c;
        ++k;
      } else {
        return false;
      }
    }
    if (k != 2 || digits[2] != 4 || digits[0] > 2 || digits[1] > 2) return false;
    int d = words.day_first ? parts[0] : parts[1];
    int m = words.day_first ? parts[1] : parts[0];
    if (!valid_date(parts[2], m, d)) return false;
    add(i, i, false, Granularity::kDay, days(parts[2], m, d));
    return true;
  }

  std::size_t at(std::size_t i) {
    std::string_view w = word(i);
    std::string_view l = low(i);
    if (w.size() == 10 && w[4] == '-' && w[7] == '-') {
      if (auto ms = core::parse_timestamp_ms(w)) {
        add(i, i, false, Granularity::kDay, static_cast<std::int32_t>(*ms / 86'400'000));
        return 1;
      }
    }
    if (numeric_date(i)) return 1;
    // Day [link] Month [link] [Year]: "14 de marzo de 2024", "14 maart 2024".
    // elided() only where a number can follow: most words end in a letter.
    const bool ends_in_digit = !w.empty() && w.back() >= '0' && w.back() <= '9';
    if (auto d = ends_in_digit ? small_int(elided(w), 1, 31) : std::nullopt) {
      std::size_t m = is_link(i + 1) ? i + 2 : i + 1;
      int mo = month(m);
      if (mo == 0 && m == i + 1) {
        const int* short_month = lookup(words.short_months, key(m));
        mo = short_month ? *short_month : 0;
      }
      if (mo) {
        std::size_t last = m;
        int year = 0;
        std::size_t y = is_link(m + 1) ? m + 2 : m + 1;
        if (y < tokens.size() && word(y) == ",") ++y;
        if (auto yy = year_number(word(y))) {
          year = *yy;
          last = y;
        }
        add(i, last, year == 0, Granularity::kDay, month_day(year, mo, *d, pub));
        return last - i + 1;
      }
    }
    // Month [link] Year: "marzo de 2024", "maart 2024"; a bare month after a
    // "before" word: "en octubre".
    if (int mo = month(i)) {
      std::size_t y = is_link(i + 1) ? i + 2 : i + 1;
      if (auto year = year_number(word(y))) {
        add(i, y, false, Granularity::kMonth, days(*year, mo, 1));
        return y - i + 1;
      }
      // "mayo"/"mei"/"marzo" as common words are rare; a capitalized month is a
      // name in these languages, so keep only the lower-case form or a preposition.
      const int* mod = modifier(i + 1);
      const int* mod_before = i > 0 ? modifier(i - 1) : nullptr;
      if (lookup(words.before, before_key(i)) || mod || mod_before) {
        std::optional<std::int32_t> first;
        int step = mod ? *mod : mod_before ? *mod_before : 0;
        if (pub) {
          std::int32_t current = first_of_month(*pub);
          Civil c = civil_from_days(*pub);
          int diff = mo - static_cast<int>(c.month);
          if (step < 0) {
            if (diff >= 0) diff -= 12;
          } else if (step > 0) {
            if (diff <= 0) diff += 12;
          } else if (diff > 6) {
            diff -= 12;
          } else if (diff < -6) {
            diff += 12;
          }
          first = add_months(current, diff);
        }
        add(mod_before ? i - 1 : i, mod ? i + 1 : i, true, Granularity::kMonth, first);
        return mod ? 2 : 1;
      }
    }
    // Weekdays, with a modifier before or after: "el pasado martes", "martedì scorso".
    if (int wd = weekday_at(i); wd >= 0) {
      // "martes, 14 de marzo": the weekday is part of the absolute date.
      std::size_t next = word(i + 1) == "," ? i + 2 : i + 1;
      if (small_int(word(next), 1, 31) && (month(next + 1) || month(next + 2))) return 1;
      const int* mod_after = modifier(i + 1);
      const int* mod_before = i > 0 ? modifier(i - 1) : nullptr;
      int step = mod_after ? *mod_after : mod_before ? *mod_before : 0;
      add(mod_before && !mod_after ? i - 1 : i, mod_after ? i + 1 : i, true, Granularity::kDay,
          weekday_day(wd, step));
      return mod_after ? 2 : 1;
    }
    // "esta mañana", "questa mattina": a day phrase of two words ("mañana"
    // alone is tomorrow).
    if (i + 1 < tokens.size() && !low(i + 1).empty()) {
      if (const int* offset = words.day_offsets.lookup(l, low(i + 1), phrase_buf)) {
        add(i, i + 1, true, Granularity::kDay, shifted(Granularity::kDay, *offset));
        return 2;
      }
    }
    // ayer, hoy, gisteren.
    if (const int* offset = lookup(words.day_offsets, key(i))) {
      add(i, i, true, Granularity::kDay, shifted(Granularity::kDay, *offset));
      return 1;
    }
    // Unit with a modifier: "la semana pasada", "vorige week", "la scorsa settimana".
    if (const Granularity* g = lookup(words.units, elided_key(i)); g && *g != Granularity::kDay) {
      // "quest'anno": the modifier elided onto the unit.
      if (std::string_view rest = elided(l); rest.size() < l.size()) {
        if (const int* mod = lookup(words.modifiers, l.substr(0, l.size() - rest.size()))) {
          add(i, i, true, *g, shifted(*g, *mod));
          return 1;
        }
      }
      if (const int* mod = modifier(i + 1)) {
        add(i, i + 1, true, *g, shifted(*g, *mod));
        return 2;
      }
      if (const int* mod = i > 0 ? modifier(i - 1) : nullptr) {
        add(i - 1, i, true, *g, shifted(*g, *mod));
        return 1;
      }
    }
    // "hace N días" / "N giorni fa" / "N dagen geleden".
    {
      std::size_t n_at = lookup(words.ago_before, key(i)) ? i + 1 : i;
      std::optional<int> n = count(n_at);
      if (n) {
        const Granularity* g = lookup(words.units, key(n_at + 1));
        bool ago = n_at == i + 1 || lookup(words.ago_after, key(n_at + 2)) != nullptr;
        if (g && ago) {
          std::size_t last = n_at == i + 1 ? n_at + 1 : n_at + 2;
          add(i, last, true, *g, shifted(*g, -*n));
          return last - i + 1;
        }
      }
    }
    // "en 2019", "nel 2019".
    if (auto year = year_number(w)) {
      // "en 2019", "en el 2006", "entre el 2009 y el 2011".
      bool article = i > 0 && lookup(words.articles, key(i - 1));
      if (lookup(words.before, before_key(i)) ||
          (article && i > 1 && lookup(words.before, key(i - 2)))) {
        add(i, i, false, Granularity::kYear, days(*year, 1, 1));
        return 1;
      }
    }
    return 0;
  }
};

}  // namespace

DateWords::DateWords(std::string_view file) {
  lexical::for_each_tsv_line(file, [&](const std::vector<std::string_view>& f) {
    const auto fail = [&] {
      throw std::runtime_error("dates.tsv: bad line starting '" + std::string(f[0]) + "'");
    };
    if (f[0] == "numeric") {
      if (f.size() < 2 || (f[1] != "day_first" && f[1] != "month_first")) fail();
      day_first = f[1] == "day_first";
      return;
    }
    if (f.size() < 2 || f[1].empty()) fail();
    std::string key(f[1]);
    const auto number = [&]() {
      if (f.size() < 3) fail();
      int v = 0;
      auto [ptr, ec] = std::from_chars(f[2].data() + (f[2].starts_with('+') ? 1 : 0),
                                       f[2].data() + f[2].size(), v);
      if (ec != std::errc() || ptr != f[2].data() + f[2].size()) fail();
      return v;
    };
    if (f[0] == "month") {
      months.emplace(key, number());
    } else if (f[0] == "number") {
      numbers.emplace(key, number());
    } else if (f[0] == "article") {
      articles.emplace(key, true);
    } else if (f[0] == "weekday_suffix") {
      weekday_suffixes.push_back(key);
    } else if (f[0] == "short_month") {
      short_months.emplace(key, number());
    } else if (f[0] == "weekday") {
      weekdays.emplace(key, number());
    } else if (f[0] == "day") {
      day_offsets.emplace(key, number());
    } else if (f[0] == "modifier") {
      modifiers.emplace(key, number());
    } else if (f[0] == "unit") {
      if (f.size() < 3) fail();
      Granularity g = f[2] == "day"     ? Granularity::kDay
                      : f[2] == "week"  ? Granularity::kWeek
                      : f[2] == "month" ? Granularity::kMonth
                      : f[2] == "year"  ? Granularity::kYear
                                        : (fail(), Granularity::kDay);
      units.emplace(key, g);
    } else if (f[0] == "before") {
      before.emplace(key, true);
    } else if (f[0] == "link") {
      links.emplace(key, true);
    } else if (f[0] == "ago_before") {
      ago_before.emplace(key, true);
    } else if (f[0] == "ago_after") {
      ago_after.emplace(key, true);
    } else {
      fail();
    }
  });
}

int DateWords::month_in_dateline(std::string_view word) const {
  std::string buf;
  std::string_view l = lexical::lower(word, buf);
  for (const auto* map : {&months, &short_months}) {
    if (const int* m = map->lookup(l)) return *m;
  }
  if (l.ends_with('.')) {
    l.remove_suffix(1);
    if (const int* m = short_months.lookup(l)) return *m;
  }
  return 0;
}

std::string iso_date(std::int32_t day, Granularity g) {
  char buf[32];  // room for any int year the format could print
  Civil c = civil_from_days(day);
  switch (g) {
    case Granularity::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
      break;
    case Granularity::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02u", c.year, c.month);
      break;
    case Granularity::kYear:
      std::snprintf(buf, sizeof buf, "%04d", c.year);
      break;
    case Granularity::kWeek: {
      // ISO week: the week with the year's first Thursday is week 1.
      std::int32_t thursday = day - weekday(day) + 3;
      int year = civil_from_days(thursday).year;
      int week = (thursday - days(year, 1, 1)) / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", year, week);
      break;
    }
  }
  return buf;
}

std::vector<DateMention> find_date_mentions(std::string_view text,
                                            const std::vector<core::Token>& tokens,
                                            std::optional<std::int32_t> publication_day,
                                            std::string_view lower) {
  // One lower-cased text, not a string per token.
  Scanner s{text, tokens, publication_day, {}, lexical::LowerTokens::of(text, tokens, lower)};
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t used = s.at(i);
    i += used ? used : 1;
  }
  return std::move(s.out);
}

std::vector<DateMention> find_date_mentions(std::string_view text,
                                            const std::vector<core::Token>& tokens,
                                            std::optional<std::int32_t> publication_day,
                                            const DateWords& words, std::string_view lower) {
  LanguageScanner s{
      text, tokens, publication_day, words, lexical::LowerTokens::of(text, tokens, lower), {},
      {},   {}};
  s.keys.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i)
    s.keys.push_back(lexical::WordFilter::key(s.lower[i]));
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t used = s.at(i);
    i += used ? used : 1;
  }
  return std::move(s.out);
}

DatesStage::DatesStage(std::size_t max_items)
    : max_items_(max_items),
      words_("dates.tsv", [](std::string_view, std::string_view file) { return DateWords(file); }) {
}

core::Status DatesStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  const DateWords* words = nullptr;
  if (!english_or_unknown(article)) {
    words = words_.find(core::content_language(article));
    if (words == nullptr) return core::Status::skipped(not_english_reason(article));
  }
  const auto find = [&](std::string_view text, const std::vector<core::Token>& tokens,
                        std::optional<std::int32_t> pub) {
    // `text` is always the article's text, so its lower-cased form is too.
    return words ? find_date_mentions(text, tokens, pub, *words, article.lower_text)
                 : find_date_mentions(text, tokens, pub, article.lower_text);
  };

  std::optional<std::int64_t> published_ms;
  std::string_view source;
  if (!article.published_at.empty()) {
    published_ms = core::parse_timestamp_ms(article.published_at);
    if (published_ms) source = article.plain_text ? "marker" : "input";
  }
  std::string dateline_text;
  if (!published_ms) {
    std::string_view text = article.text;
    std::string_view first_line = text.substr(0, text.find('\n'));
    // "WASHINGTON, Dec. 29, 2021 (Reuters) -"
    const std::function<int(std::string_view)> language_month = [words](std::string_view w) {
      return words->month_in_dateline(w);
    };
    if (auto d = lexical::find_dateline(first_line, words ? &language_month : nullptr);
        d && d->year && d->month) {
      if (valid_date(d->year, d->month, d->day)) {
        published_ms = std::int64_t{days(d->year, d->month, d->day)} * 86'400'000;
        source = "dateline";
      }
    } else if (first_line.size() < 60 || words) {
      // "Friday, January 4, 2019" on a line of its own; in another language also
      // a dateline's date: "MADRID, 14 de marzo de 2024 (EFE) -".
      if (words) first_line = first_line.substr(0, std::min<std::size_t>(first_line.size(), 60));
      std::vector<core::Token> line_tokens;
      for (const auto& t : article.tokens) {
        if (t.end > first_line.size()) break;
        line_tokens.push_back(t);
      }
      auto found = find(text, line_tokens, std::nullopt);
      if ((found.size() == 1 || (words && !found.empty())) && !found[0].relative &&
          found[0].granularity == Granularity::kDay && found[0].day) {
        published_ms = std::int64_t{*found[0].day} * 86'400'000;
        source = "dateline";
      }
    }
    if (published_ms)
      dateline_text =
          iso_date(static_cast<std::int32_t>(*published_ms / 86'400'000), Granularity::kDay);
  }
  // The publication day is the calendar date as written: "2021-12-29T23:30-05:00"
  // was published on the 29th where it was written, whatever the UTC date.
  std::optional<std::int32_t> pub;
  if (published_ms) {
    std::string_view date_part = dateline_text.empty()
                                     ? std::string_view(article.published_at).substr(0, 10)
                                     : dateline_text;
    if (auto ms = core::parse_timestamp_ms(date_part)) {
      pub = static_cast<std::int32_t>(*ms / 86'400'000);
      article.publication_day = *pub;
    }
  }
  auto mentions = find(article.text, article.tokens, pub);
  if (mentions.size() > max_items_) {
    article.note_truncated("dates", mentions.size() - max_items_);
    mentions.resize(max_items_);
  }

  core::json::Writer w(article.add_enrichment("dates").json);
  w.begin_object().key("published");
  if (!published_ms) {
    w.null();
  } else if (!dateline_text.empty()) {
    w.string(dateline_text);
  } else {
    w.string(article.published_at);  // already ISO 8601: it parsed
  }
  w.member_or_null("published_source", source);
  w.key("mentions").begin_array();
  static constexpr std::array<std::string_view, 4> kGranularity = {"day", "week", "month", "year"};
  for (const DateMention& m : mentions) {
    w.begin_object()
        .span(article.text, m.begin, m.end)
        .member("relative", m.relative)
        .key("granularity")
        .string_unescaped(kGranularity[static_cast<int>(m.granularity)])
        .key("value");
    if (m.day) {
      w.string(iso_date(*m.day, m.granularity));
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array().end_object();
  return {};
}

}  // namespace wirefeed::stages
