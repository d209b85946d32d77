// libFuzzer target: the decode stage alone, on any bytes. A record must decode
// or fail with a DLQ reason; it must never crash, hang or raise internal_error.
#include <cstddef>
#include <cstdint>

#include "decode/decode.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const wirefeed::stages::DecodeStage stage(1 << 20);
  static auto scratch = stage.new_scratch();
  static wirefeed::core::Article article;  // reused, as pipeline threads reuse theirs
  article.reset();
  article.raw = std::string_view(reinterpret_cast<const char*>(data), size);
  const wirefeed::core::Status s = stage.process(article, *scratch);
  if (s.code() == wirefeed::core::Code::kInternal) wirefeed::fuzz::fail("decode", s.message());
  return 0;
}
