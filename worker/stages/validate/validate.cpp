#include "validate/validate.h"

#include <algorithm>

namespace wirefeed::stages {

using core::Code;
using core::Status;

namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

}  // namespace

Status ValidateStage::process(core::Article& article, core::Scratch&) const {
  if (!article.has_body && !article.has_html) {
    return {Code::kMissingBody, "record has neither 'body' nor 'html'"};
  }
  if ((!article.has_body || blank(article.body)) && (!article.has_html || blank(article.html))) {
    return {Code::kMissingBody, "'body' and 'html' are empty"};
  }
  if (article.id.size() > kMaxIdBytes) {
    return {Code::kInvalidField,
            "field 'id' is longer than " + std::to_string(kMaxIdBytes) + " bytes"};
  }
  for (char c : article.id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return {Code::kInvalidField, "field 'id' contains a control character"};
    }
  }
  return {};
}

}  // namespace wirefeed::stages
