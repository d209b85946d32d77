#include "wirefeed/kafka/partition_list.h"

#include <gtest/gtest.h>

#include <vector>

namespace wirefeed::kafka {
namespace {

TEST(PartitionList, names_the_topic_once_and_keeps_offsets) {
  PartitionList list("in", 2);
  EXPECT_TRUE(list.empty());
  list.add(3, 42);
  list.add(1);
  ASSERT_EQ(list.size(), 2);
  EXPECT_STREQ(list.get()->elems[0].topic, "in");
  EXPECT_STREQ(list.get()->elems[1].topic, "in");
  EXPECT_EQ(list.get()->elems[0].partition, 3);
  EXPECT_EQ(list.get()->elems[0].offset, 42);
  EXPECT_EQ(list.get()->elems[1].offset, RD_KAFKA_OFFSET_INVALID);
}

TEST(PartitionList, of_a_map_holds_every_partition_in_order) {
  PartitionList list = PartitionList::of("out", {{2, 10}, {0, 7}, {5, 0}});
  std::vector<std::pair<std::int32_t, std::int64_t>> seen;
  for (const auto& tp : list.entries()) seen.emplace_back(tp.partition, tp.offset);
  EXPECT_EQ(seen, (std::vector<std::pair<std::int32_t, std::int64_t>>{{0, 7}, {2, 10}, {5, 0}}));
}

TEST(PartitionList, entries_walks_any_list_and_a_null_one_as_empty) {
  EXPECT_TRUE(entries(nullptr).empty());
  PartitionList list("in");
  list.add(4, 1).metadata_size = 0;  // the entry is returned to fill further
  for (auto& tp : entries(list.get())) tp.offset = 99;
  EXPECT_EQ(list.get()->elems[0].offset, 99);
}

}  // namespace
}  // namespace wirefeed::kafka
