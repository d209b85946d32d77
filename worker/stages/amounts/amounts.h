// amounts: numbers with what they count, money and percentages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

enum class AmountKind : std::uint8_t { kCount, kMoney, kPercent };

struct Amount {
  std::uint32_t begin = 0, end = 0;  // the number expression (with unit/currency)
  AmountKind kind = AmountKind::kCount;
  double value = 0;
  std::string_view unit;     // ISO 4217 currency, "percent", "percentage_points" or ""
  bool approximate = false;  // "millions", "about 300", "more than 40"
  std::uint32_t object_begin = 0, object_end = 0;  // what is counted; empty if none
};

// Finds amounts in segmented English text: digits ("100,000", "2.5"), number
// words ("two dozen", "twenty-five"), scales ("$2.5 billion", "€1.2bn"), vague
// quantities ("millions in defense aid", "thousands of people"), currency
// symbols and words, percent and percentage points. The counted object is the
// noun phrase after the number ("100,000 Russian troops" -> "Russian troops"), or
// after in/of/for for money and vague quantities. Years, days of months, times,
// ordinals and model numbers are not amounts.
std::vector<Amount> find_amounts(std::string_view text, const std::vector<core::Token>& tokens);

// Adds `amounts` [{text, begin, end, kind, value, unit, approximate, object,
// object_begin, object_end}]. English only.
class AmountsStage final : public core::Stage {
 public:
  std::string_view name() const override { return "amounts"; }
  core::Status process(core::Article& article, core::Scratch& scratch) const override;
};

}  // namespace wirefeed::stages
