#include "fingerprint/fingerprint.h"

#include <xxhash.h>

namespace wirefeed::stages {

std::uint64_t text_hash(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

core::Status FingerprintStage::process(core::Article& article, core::Scratch&) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::uint64_t h = text_hash(article.text);
  char hex[16];
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = kDigits[h & 0xF];
  std::string& out = article.add_enrichment("fingerprint").json;
  out += "{\"text_xxh3_64\":\"";
  out.append(hex, 16);
  out += "\"}";
  return {};
}

}  // namespace wirefeed::stages
