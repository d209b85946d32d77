// Shared checks of the fuzz targets: a failure must be a DLQ reason, never a
// bug; a success must be one valid JSON object in valid UTF-8.
#pragma once

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "wirefeed/core/pipeline.h"

namespace wirefeed::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

inline void check_result(const core::RunResult& r) {
  // kInternal means an exception escaped a stage or an invariant broke: a bug.
  if (r.status.code() == core::Code::kInternal) fail("internal error", r.status.message());
}

inline void check_output(std::string_view out) {
  if (!simdjson::validate_utf8(out.data(), out.size()))
    fail("output is not UTF-8", out.substr(0, 200));
  static simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const simdjson::padded_string copy(out);
  const auto error = parser.parse(copy).get(doc);
  if (error != simdjson::SUCCESS || !doc.is_object()) {
    if (const char* dump = std::getenv("WIREFEED_FUZZ_DUMP")) {
      if (FILE* f = std::fopen(dump, "wb")) {
        std::fwrite(out.data(), 1, out.size(), f);
        std::fclose(f);
      }
    }
    fail(error ? simdjson::error_message(error) : "output is not a JSON object",
         out.substr(0, 200));
  }
}

}  // namespace wirefeed::fuzz
