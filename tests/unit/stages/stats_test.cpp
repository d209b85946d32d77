#include "stats/stats.h"

#include <gtest/gtest.h>

#include "segment/segment.h"

namespace wirefeed::stages {

TEST(Stats, counts_code_points_words_sentences_and_reading_time) {
  core::Article a;
  a.text = "Café prices rose 3% today. Traders shrugged.\n\nMarkets closed.";
  segment_text(a.text, a.tokens, a.sentences, a.paragraphs);
  a.segmented = true;
  StatsStage stage;
  core::Scratch scratch;
  ASSERT_TRUE(stage.process(a, scratch).ok());
  ASSERT_EQ(a.enrichment_count, 1u);
  EXPECT_EQ(a.enrichments[0].key, "stats");
  // 61 code points ("é" is one); words: Café prices rose 3 today Traders shrugged Markets closed.
  EXPECT_EQ(a.enrichments[0].json,
            R"({"chars":61,"words":9,"sentences":3,"paragraphs":2,"reading_time_seconds":3})");
}

TEST(Stats, skips_without_segmentation) {
  core::Article a;
  a.text = "x";
  StatsStage stage;
  core::Scratch scratch;
  auto status = stage.process(a, scratch);
  EXPECT_TRUE(status.is_skipped());
  EXPECT_EQ(status.message(), "needs the segment stage");
}

}  // namespace wirefeed::stages
