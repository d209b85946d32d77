#include "resources/resources.h"

// Each file is placed in .rodata by the assembler's .incbin, byte for byte, with
// begin and end symbols: no size limits or escaping of a generated source file,
// and the build re-runs when the file changes (OBJECT_DEPENDS in CMakeLists.txt).
// WIREFEED_DATA_DIR is the absolute path of data/.
#define WIREFEED_STR2(x) #x
#define WIREFEED_STR(x) WIREFEED_STR2(x)
#define WIREFEED_EMBED(symbol, file)                                                   \
  __asm__(                                                                             \
      ".section .rodata\n"                                                             \
      ".balign 16\n"                                                                   \
      ".global " #symbol "_begin\n" #symbol                                            \
      "_begin:\n"                                                                      \
      ".incbin \"" WIREFEED_STR(WIREFEED_DATA_DIR) "/" file                            \
                                                   "\"\n"                              \
                                                   ".global " #symbol "_end\n" #symbol \
                                                   "_end:\n"                           \
                                                   ".previous\n");                     \
  extern "C" const char symbol##_begin[];                                              \
  extern "C" const char symbol##_end[];

WIREFEED_EMBED(wirefeed_vader_lexicon, "lexicons/vader_lexicon.txt")

namespace wirefeed::stages::resources {

std::string_view vader_lexicon() {
  return {wirefeed_vader_lexicon_begin,
          static_cast<std::size_t>(wirefeed_vader_lexicon_end - wirefeed_vader_lexicon_begin)};
}

}  // namespace wirefeed::stages::resources
