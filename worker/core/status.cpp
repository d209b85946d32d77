#include "wirefeed/core/status.h"

namespace wirefeed::core {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kSkipped:
      return "skipped";
    case Code::kEmptyMessage:
      return "empty_message";
    case Code::kOversizeMessage:
      return "oversize_message";
    case Code::kMalformedJson:
      return "malformed_json";
    case Code::kInvalidUtf8:
      return "invalid_utf8";
    case Code::kInvalidField:
      return "invalid_field";
    case Code::kMissingBody:
      return "missing_body";
    case Code::kOutputTooLarge:
      return "output_too_large";
    case Code::kInternal:
      return "internal_error";
  }
  return "internal_error";
}

}  // namespace wirefeed::core
