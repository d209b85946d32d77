// Inputs the fuzzers found failing (tests/fixtures/fuzz), run through the whole
// pipeline with the fuzz targets' checks.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "test_support.h"

namespace wirefeed::testing {

TEST(FuzzRegressions, every_found_input_fails_cleanly_or_yields_parseable_json) {
  std::size_t inputs = 0;
  simdjson::dom::parser parser;
  for (const auto& entry :
       std::filesystem::directory_iterator(source_path("tests/fixtures/fuzz"))) {
    if (entry.path().extension() == ".md") continue;
    ++inputs;
    const std::string raw = read_file(entry.path().string());
    auto e = enrich(raw);
    EXPECT_NE(e.result.status.code(), core::Code::kInternal) << entry.path();
    if (!e.result.ok()) continue;
    const simdjson::padded_string copy(e.article.output);
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(copy).get(doc), simdjson::SUCCESS) << entry.path();
    EXPECT_TRUE(doc.is_object()) << entry.path();
  }
  EXPECT_GT(inputs, 0u);
}

}  // namespace wirefeed::testing
