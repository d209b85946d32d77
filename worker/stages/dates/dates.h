// dates: the publication date, and the dates the text mentions, resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/languages.h"
#include "common/word_map.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

enum class Granularity : std::uint8_t { kDay, kWeek, kMonth, kYear };

// A date expression in the text, resolved against the publication day.
struct DateMention {
  std::uint32_t begin = 0, end = 0;  // byte offsets into the text
  bool relative = false;             // "Thursday", "last month", "two days ago"
  Granularity granularity = Granularity::kDay;
  // Resolved: days since 1970-01-01 of the day, the week's Monday, the month's
  // or the year's first day. Unset when the expression is relative and there is
  // no publication date to resolve it against.
  std::optional<std::int32_t> day;
};

// The date words of one language other than English, from
// data/lang/<code>/dates.tsv (format in data/lang/es/dates.tsv): month and
// weekday names, relative day words ("ayer"), units and their modifiers ("la
// semana pasada", "vorige week"), the words that make a bare month or year a date
// ("en octubre", "nel 2019"), the links inside a written date ("14 de marzo de
// 2024") and "ago" words. Lower-case keys; immutable once parsed.
struct DateWords {
  explicit DateWords(std::string_view file);  // throws std::runtime_error on a bad line
  // 1..12 for a month name in any case ("Marzo", "mar.", "mar" in a dateline), 0 if none.
  int month_in_dateline(std::string_view word) const;
  lexical::WordMap<int> months, weekdays, day_offsets, modifiers;
  // Short month forms that are also common words ("mar", the sea): a month only
  // after a day number ("14 mar") or in a dateline.
  lexical::WordMap<int> short_months;
  // Spelled numbers for "hace dos semanas"; articles between a "before" word
  // and a year ("en el 2006", "per il 2008"); endings of weekday compounds
  // ("woensdagmiddag").
  lexical::WordMap<int> numbers;
  lexical::WordMap<bool> articles;
  std::vector<std::string> weekday_suffixes;
  lexical::WordMap<Granularity> units;
  lexical::WordMap<bool> before, links, ago_before, ago_after;
  bool day_first = true;  // "14/03/2024" is the 14th of March
};

// Finds date mentions in segmented text. `publication_day` (days since the
// epoch) anchors relative expressions and years left out ("Dec. 29").
std::vector<DateMention> find_date_mentions(std::string_view text,
                                            const std::vector<core::Token>& tokens,
                                            std::optional<std::int32_t> publication_day,
                                            std::string_view lower = {});
// `lower`, in both: the text lower-cased with the same offsets
// (core::Article::lower_text), or empty to lower-case a copy.
// The same in a language with DateWords: day-month order ("14 de marzo de 2024",
// "14 maart 2024"), numeric dates in the language's order ("14/03/2024"), relative
// words with the modifier before or after ("el pasado martes", "martedì scorso",
// "vorige week", "hace tres días", "due giorni fa").
std::vector<DateMention> find_date_mentions(std::string_view text,
                                            const std::vector<core::Token>& tokens,
                                            std::optional<std::int32_t> publication_day,
                                            const DateWords& words, std::string_view lower = {});

// ISO 8601 text of a resolved mention: "2021-12-30", "2021-W52", "2021-12", "2021".
std::string iso_date(std::int32_t day, Granularity granularity);

// Adds `dates` {published, published_source, mentions: [{text, begin, end,
// relative, granularity, value}]}. The publication date comes from, in order:
// the input's published_at (or a plain-text record's `date` marker), a dateline
// with a year at the top of the text ("WASHINGTON, Dec. 29, 2021 (Reuters) -",
// "Friday, January 4, 2019"). published is ISO 8601: the input's value as given
// (it parsed as one), or the dateline's date. Relative expressions resolve
// against the publication's calendar date as written (its own time zone). Mentions: absolute dates
// ("Dec. 29", "29 December 2021", "2021-12-29", "January 2019", "in 2019"), weekdays (the nearest
// one within three days of publication, or the previous/next week's with last/next),
// today/yesterday/tomorrow, this/last/next week/month/year (with
// earlier/later), "N days/weeks/months/years ago". Other languages where
// data/lang/<code>/dates.tsv exists (see DateWords); others are skipped. At most
// `max_items` mentions are kept (the first ones), the rest noted as truncated.
class DatesStage final : public core::Stage {
 public:
  explicit DatesStage(std::size_t max_items = 1000);
  std::string_view name() const override { return "dates"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t max_items_;
  lexical::PerLanguage<DateWords> words_;
};

}  // namespace wirefeed::stages
