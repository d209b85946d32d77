// amounts: numbers with what they count, money and percentages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/languages.h"
#include "common/word_map.h"
#include "dates/dates.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

enum class AmountKind : std::uint8_t { kCount, kMoney, kPercent };

struct Amount {
  std::uint32_t begin = 0, end = 0;  // the number expression (with unit/currency)
  AmountKind kind = AmountKind::kCount;
  double value = 0;
  std::string_view unit;     // ISO 4217 currency, "percent", "percentage_points" or ""
  bool approximate = false;  // "millions", "about 300", "more than 40"
  double scale = 1;          // the scale word's factor ("2 million": 1e6), kept for ranges
  std::uint32_t object_begin = 0, object_end = 0;  // what is counted; empty if none
};

// Finds amounts in segmented English text: digits ("100,000", "2.5"), number
// words ("two dozen", "twenty-five"), scales ("$2.5 billion", "€1.2bn"), vague
// quantities ("millions in defense aid", "thousands of people"), currency
// symbols and words, percent and percentage points. The counted object is the
// noun phrase after the number ("100,000 Russian troops" -> "Russian troops"), or
// after in/of/for for money and vague quantities. Years, days of months, times,
// ordinals and model numbers are not amounts.
// `lower`, here and below: the text lower-cased with the same offsets
// (core::Article::lower_text), or empty to lower-case a copy.
std::vector<Amount> find_amounts(std::string_view text, const std::vector<core::Token>& tokens,
                                 std::string_view lower = {});

// The amount words of one language other than English, from
// data/lang/<code>/amounts.tsv (format in data/lang/es/amounts.tsv). Phrases of
// two words ("por ciento", "mil millones") are keyed "first second".
// Immutable once parsed.
struct AmountWords {
  explicit AmountWords(std::string_view file);  // throws std::runtime_error on a bad line
  bool decimal_comma = true;                    // "1,5" and "2.500"
  lexical::WordMap<double> scales, vague, numbers;
  lexical::WordMap<std::string> currencies;
  // range: the word of "20 al 25 por ciento" (the first number takes the second's unit).
  lexical::WordMap<bool> percent, points, links, approx, stop, ranges;
  // label: a noun before a number that names ("vuelo 447"); time_before /
  // time_after: words around a time of day ("om 12.00 uur", "a las 16.15").
  lexical::WordMap<bool> labels, time_before, time_after;
};

// Amounts in a language with AmountWords: "2.500", "1,5 millones de euros",
// "23 miliardi di dollari", "3 procent", "43.000 viviendas". `months` (may be
// null) tells a day of a month ("14 de marzo") from a count.
std::vector<Amount> find_amounts(std::string_view text, const std::vector<core::Token>& tokens,
                                 const AmountWords& words, const DateWords* months,
                                 std::string_view lower = {});

// Adds `amounts` [{text, begin, end, kind, value, unit, approximate, object,
// object_begin, object_end}]. English, and the languages with
// data/lang/<code>/amounts.tsv; others are skipped. At most `max_items`
// amounts are kept (the first ones), the rest noted as truncated.
class AmountsStage final : public core::Stage {
 public:
  explicit AmountsStage(std::size_t max_items = 1000);
  std::string_view name() const override { return "amounts"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

 private:
  std::size_t max_items_;
  lexical::PerLanguage<AmountWords> words_;
  lexical::PerLanguage<DateWords> dates_;
};

}  // namespace wirefeed::stages
