#include "wirefeed/core/version.h"

namespace wirefeed::core {

std::string_view build_version() { return WIREFEED_VERSION; }

}  // namespace wirefeed::core
