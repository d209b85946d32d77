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
WIREFEED_EMBED(wirefeed_ner_model, "ner/model.bin")
WIREFEED_EMBED(wirefeed_ner_gazetteer, "ner/gazetteer.tsv")
WIREFEED_EMBED(wirefeed_ner_clusters, "ner/clusters.tsv")
WIREFEED_EMBED(wirefeed_ner_places, "ner/places.tsv")

namespace wirefeed::stages::resources {

#define WIREFEED_VIEW(symbol) \
  std::string_view(symbol##_begin, static_cast<std::size_t>(symbol##_end - symbol##_begin))

std::string_view vader_lexicon() { return WIREFEED_VIEW(wirefeed_vader_lexicon); }
std::string_view ner_model() { return WIREFEED_VIEW(wirefeed_ner_model); }
std::string_view ner_gazetteer() { return WIREFEED_VIEW(wirefeed_ner_gazetteer); }
std::string_view ner_clusters() { return WIREFEED_VIEW(wirefeed_ner_clusters); }
std::string_view ner_places() { return WIREFEED_VIEW(wirefeed_ner_places); }

}  // namespace wirefeed::stages::resources
