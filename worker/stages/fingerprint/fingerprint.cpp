#include "fingerprint/fingerprint.h"

#include <xxhash.h>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

std::uint64_t text_hash(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

core::Status FingerprintStage::process(core::Article& article, core::Scratch&) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::uint64_t h = text_hash(article.text);
  char hex[16];
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = kDigits[h & 0xF];
  core::json::Writer w(article.add_enrichment("fingerprint").json);
  w.begin_object().key("text_xxh3_64").string_unescaped(std::string_view(hex, 16)).end_object();
  return {};
}

}  // namespace wirefeed::stages
