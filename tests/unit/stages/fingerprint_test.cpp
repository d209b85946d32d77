#include "fingerprint/fingerprint.h"

#include <gtest/gtest.h>

namespace wirefeed::stages {

TEST(Fingerprint, is_the_xxh3_of_the_text_in_hex) {
  core::Article a;
  a.text = "";
  FingerprintStage stage;
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  // XXH3-64 of the empty input is 2d06800538d394c2 (xxHash's published test vector).
  EXPECT_EQ(a.enrichments[0].json, R"({"text_xxh3_64":"2d06800538d394c2"})");
}

TEST(Fingerprint, differs_for_different_text) {
  EXPECT_NE(text_hash("Putin will speak Thursday."), text_hash("Putin will speak Friday."));
  EXPECT_EQ(text_hash("same"), text_hash("same"));
}

}  // namespace wirefeed::stages
