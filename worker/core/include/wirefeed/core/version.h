#pragma once

#include <string_view>

namespace wirefeed::core {

// The pipeline version written into every record's `pipeline.version`. Bump it
// whenever a change alters output bytes for the same input and config, so
// backfills can tell records of different pipelines apart.
inline constexpr std::string_view kPipelineVersion = "0.3.0";

std::string_view build_version();  // the binary's version (CMake project version)

}  // namespace wirefeed::core
