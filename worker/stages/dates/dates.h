// dates: the publication date, and the dates the text mentions, resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Finds date mentions in segmented text. `publication_day` (days since the
// epoch) anchors relative expressions and years left out ("Dec. 29").
std::vector<DateMention> find_date_mentions(std::string_view text,
                                            const std::vector<core::Token>& tokens,
                                            std::optional<std::int32_t> publication_day);

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
// earlier/later), "N days/weeks/months/years ago". English only.
class DatesStage final : public core::Stage {
 public:
  std::string_view name() const override { return "dates"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
