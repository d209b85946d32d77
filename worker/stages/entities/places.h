// GeoNames places (data/ner/places.tsv) by name, and the choice of one place
// for a location mention when that choice is clear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wirefeed::stages::ner {

struct Place {
  std::uint32_t geonameid = 0;
  enum class Kind : std::uint8_t { kCountry, kRegion, kCity } kind = Kind::kCity;
  char country[3] = {};
  bool has_coordinates = false;  // cities only: the extracts give no others
  double latitude = 0, longitude = 0;
  std::uint64_t population = 0;  // cities only
};
std::string_view kind_name(Place::Kind kind);

class Places {
 public:
  // Lines "id<TAB>kind<TAB>cc<TAB>lat<TAB>lon<TAB>population<TAB>name|name|...".
  explicit Places(std::string_view tsv);

  // Places called `name` (any case), or nullptr.
  const std::vector<std::uint32_t>* candidates(std::string_view name) const;
  const Place& place(std::uint32_t index) const { return places_[index]; }

  // The place `name` means, or -1 when unclear. A country wins unless another
  // place of that name lies in a context country and the country does not; then
  // a single candidate, or one with at least kClearPopulationRatio times the
  // population of every other; failing that, the same test among candidates
  // in `context_countries` (ISO codes of the countries the article names).
  static constexpr std::uint64_t kClearPopulationRatio = 5;
  std::int64_t resolve(std::string_view name,
                       const std::vector<std::string_view>& context_countries) const;

  // The country `name` means when nothing else has that name ("Ukraine", not
  // "Georgia"), or -1: the countries that can set an article's context.
  std::int64_t only_country(std::string_view name) const;

  std::size_t size() const { return places_.size(); }

 private:
  std::vector<Place> places_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_name_;  // lower-cased
};

}  // namespace wirefeed::stages::ner
