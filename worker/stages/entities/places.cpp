#include "entities/places.h"

#include <algorithm>
#include <charconv>

namespace wirefeed::stages::ner {

std::string_view kind_name(Place::Kind kind) {
  switch (kind) {
    case Place::Kind::kCountry:
      return "country";
    case Place::Kind::kRegion:
      return "region";
    case Place::Kind::kCity:
      return "city";
  }
  return "city";
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string_view next_field(std::string_view& line) {
  const std::size_t tab = line.find('\t');
  const std::string_view field = line.substr(0, tab);
  line = tab == std::string_view::npos ? std::string_view{} : line.substr(tab + 1);
  return field;
}

template <typename T>
T number(std::string_view s) {
  T v{};
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

Places::Places(std::string_view tsv) {
  while (!tsv.empty()) {
    const std::size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    if (line.empty()) continue;
    Place p;
    p.geonameid = number<std::uint32_t>(next_field(line));
    const std::string_view kind = next_field(line);
    p.kind = kind == "country"  ? Place::Kind::kCountry
             : kind == "region" ? Place::Kind::kRegion
                                : Place::Kind::kCity;
    const std::string_view cc = next_field(line);
    for (std::size_t i = 0; i < 2 && i < cc.size(); ++i) p.country[i] = cc[i];
    const std::string_view lat = next_field(line), lon = next_field(line);
    p.has_coordinates = !lat.empty() && !lon.empty();
    p.latitude = number<double>(lat);
    p.longitude = number<double>(lon);
    p.population = number<std::uint64_t>(next_field(line));
    const auto index = static_cast<std::uint32_t>(places_.size());
    places_.push_back(p);
    std::string_view names = next_field(line);
    while (!names.empty()) {
      const std::size_t bar = names.find('|');
      auto& list = by_name_[lower(names.substr(0, bar))];
      if (list.empty() || list.back() != index) list.push_back(index);
      names = bar == std::string_view::npos ? std::string_view{} : names.substr(bar + 1);
    }
  }
}

std::int64_t Places::only_country(std::string_view name) const {
  const std::vector<std::uint32_t>* all = candidates(name);
  if (!all || all->size() != 1 || places_[(*all)[0]].kind != Place::Kind::kCountry) return -1;
  return (*all)[0];
}

const std::vector<std::uint32_t>* Places::candidates(std::string_view name) const {
  const auto it = by_name_.find(lower(name));
  return it == by_name_.end() ? nullptr : &it->second;
}

std::int64_t Places::resolve(std::string_view name,
                             const std::vector<std::string_view>& context_countries) const {
  const std::vector<std::uint32_t>* all = candidates(name);
  if (!all || all->empty()) return -1;
  auto in_context = [&](std::uint32_t i) {
    const std::string_view cc(places_[i].country, 2);
    return std::find(context_countries.begin(), context_countries.end(), cc) !=
           context_countries.end();
  };
  // A country, unless the article is about another country that has a place
  // of that name ("Doug Collins of Georgia" next to "the United States").
  for (std::uint32_t i : *all) {
    if (places_[i].kind != Place::Kind::kCountry) continue;
    const bool contested = !in_context(i) && std::any_of(all->begin(), all->end(), [&](auto j) {
      return j != i && in_context(j);
    });
    if (!contested) return i;
  }
  auto clear_choice = [&](std::vector<std::uint32_t> pool) -> std::int64_t {
    if (pool.size() == 1) return pool[0];
    if (pool.empty()) return -1;
    // By population; ties go to the lower geonameid, so the order is stable.
    std::sort(pool.begin(), pool.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (places_[a].population != places_[b].population)
        return places_[a].population > places_[b].population;
      return places_[a].geonameid < places_[b].geonameid;
    });
    const std::uint64_t top = places_[pool[0]].population;
    if (top > 0 && top >= kClearPopulationRatio * places_[pool[1]].population) return pool[0];
    return -1;
  };
  // Prominence first: "Paris" is the French capital even in an article about
  // the United States. Context settles the rest ("Portland" near "Maine"...
  // when the article names the country).
  std::vector<std::uint32_t> others;
  for (std::uint32_t i : *all)
    if (places_[i].kind != Place::Kind::kCountry) others.push_back(i);
  if (const std::int64_t choice = clear_choice(others); choice >= 0) return choice;
  std::vector<std::uint32_t> pool;
  for (std::uint32_t i : *all)
    if (in_context(i) && places_[i].kind != Place::Kind::kCountry) pool.push_back(i);
  return clear_choice(std::move(pool));
}

}  // namespace wirefeed::stages::ner
