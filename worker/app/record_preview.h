// A shortened, readable rendering of one enriched record for the terminal (the
// demo's sample record): one top-level member per line, long strings cut with an
// ellipsis, long lists cut to their first items with a count of the rest.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wirefeed::app {

struct PreviewLimits {
  std::size_t top_string_chars = 96;     // code points kept of a top-level string member
  std::size_t nested_string_chars = 32;  // ... of a string inside an object or list
  std::size_t top_list_items = 2;        // items kept of a top-level list
  std::size_t nested_list_items = 2;     // ... of a list inside a list or object
};

// `json` must be one JSON object (an enriched record). The result is for people,
// not parsers: cut strings end in "…", cut lists end in "… N more". Returns the
// input unchanged when it does not parse. Pure function; thread-safe.
std::string preview_record(std::string_view json, const PreviewLimits& limits = {});

}  // namespace wirefeed::app
