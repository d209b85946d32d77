#include "wirefeed/kafka/offset_tracker.h"

#include <gtest/gtest.h>

namespace wirefeed::kafka {

TEST(OffsetTracker, in_order_acks_advance_one_by_one) {
  OffsetTracker t;
  t.assign(0);
  for (int o = 10; o < 13; ++o) ASSERT_TRUE(t.dispatch(0, o));
  EXPECT_EQ(t.ack(0, 10), 11);
  EXPECT_EQ(t.ack(0, 11), 12);
  EXPECT_EQ(t.ack(0, 12), 13);
  EXPECT_EQ(t.pending(), 0u);
}

TEST(OffsetTracker, out_of_order_acks_wait_for_the_gap) {
  OffsetTracker t;
  t.assign(3);
  for (int o = 0; o < 5; ++o) t.dispatch(3, o);
  EXPECT_EQ(t.ack(3, 2), std::nullopt);
  EXPECT_EQ(t.ack(3, 4), std::nullopt);
  EXPECT_EQ(t.ack(3, 1), std::nullopt);
  EXPECT_EQ(t.ack(3, 0), 3);  // 0,1,2 done; 3 still in flight
  EXPECT_EQ(t.pending(3), 2u);
  EXPECT_EQ(t.ack(3, 3), 5);
}

TEST(OffsetTracker, gaps_in_offsets_are_fine) {
  OffsetTracker t;
  t.assign(0);
  t.dispatch(0, 5);
  t.dispatch(0, 9);  // 6..8 were transaction markers or compacted away
  EXPECT_EQ(t.ack(0, 9), std::nullopt);
  EXPECT_EQ(t.ack(0, 5), 10);
}

TEST(OffsetTracker, a_never_acked_record_holds_the_watermark_forever) {
  OffsetTracker t;
  t.assign(0);
  for (int o = 0; o < 100; ++o) t.dispatch(0, o);
  EXPECT_EQ(t.ack(0, 0), 1);
  for (int o = 2; o < 100; ++o) EXPECT_EQ(t.ack(0, o), std::nullopt);  // offset 1 failed
  EXPECT_EQ(t.pending(0), 99u);
}

TEST(OffsetTracker, revoked_partitions_ignore_late_acks_and_reassign_starts_fresh) {
  OffsetTracker t;
  t.assign(1);
  t.dispatch(1, 7);
  t.revoke(1);
  EXPECT_FALSE(t.assigned(1));
  EXPECT_EQ(t.ack(1, 7), std::nullopt);
  EXPECT_FALSE(t.dispatch(1, 8));
  t.assign(1);
  EXPECT_TRUE(t.dispatch(1, 3));  // the new owner's position may be earlier
  EXPECT_EQ(t.ack(1, 3), 4);
}

TEST(OffsetTracker, duplicate_and_unknown_acks_change_nothing) {
  OffsetTracker t;
  t.assign(0);
  t.dispatch(0, 1);
  t.dispatch(0, 2);
  EXPECT_EQ(t.ack(0, 5), std::nullopt);
  EXPECT_EQ(t.ack(0, 2), std::nullopt);
  EXPECT_EQ(t.ack(0, 2), std::nullopt);
  EXPECT_FALSE(t.dispatch(0, 2));  // offsets must increase
  EXPECT_EQ(t.ack(0, 1), 3);
}

TEST(OffsetTracker, partitions_are_independent) {
  OffsetTracker t;
  t.assign(0);
  t.assign(1);
  t.dispatch(0, 0);
  t.dispatch(1, 0);
  EXPECT_EQ(t.ack(1, 0), 1);
  EXPECT_EQ(t.pending(0), 1u);
  EXPECT_EQ(t.pending(), 1u);
}

}  // namespace wirefeed::kafka
