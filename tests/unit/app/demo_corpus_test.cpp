// The demo's input (demo_corpus.cpp): samples cycled with distinct ids, and the
// malformed records among them.
#include "demo_corpus.h"

#include <gtest/gtest.h>

#include <set>

namespace wirefeed::app {

namespace {

// The "id" member of a JSON sample line, or "" for other values.
std::string id_member(const std::string& value) {
  std::size_t at = value.find("\"id\":\"");
  if (at == std::string::npos) return "";
  at += 6;
  return value.substr(at, value.find('"', at) - at);
}

}  // namespace

TEST(DemoCorpus, cycles_the_samples_with_an_id_of_their_own_in_every_round) {
  const auto records = demo_records(500, 1024);
  ASSERT_EQ(records.size(), 500u);
  std::set<std::string> ids;
  std::size_t seeds = 0, malformed = 0;
  for (const auto& r : records) {
    ASSERT_TRUE(r.key.has_value());
    if (r.key->starts_with("malformed-")) {
      ++malformed;
      continue;
    }
    if (*r.key == "seed") {
      ++seeds;
      continue;
    }
    EXPECT_EQ(id_member(r.value), *r.key);  // the key is the article's id
    EXPECT_TRUE(ids.insert(*r.key).second) << "id twice: " << *r.key;
  }
  EXPECT_EQ(malformed, 6u);
  EXPECT_EQ(seeds, 1u);  // its id derives from its text: one round only
  EXPECT_EQ(ids.size(), 500u - 6 - 1);
}

TEST(DemoCorpus, spreads_one_malformed_record_of_each_kind_through_the_stream) {
  const auto records = demo_records(1000, 2048);
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].key->starts_with("malformed-")) at.push_back(i);
  }
  ASSERT_EQ(at.size(), 6u);
  EXPECT_GT(at.front(), 0u);
  EXPECT_GT(at.back(), 500u);  // not bunched at the start
  const auto bad = malformed_records(2048);
  EXPECT_GT(bad.back().value.size(), 2048u);  // the oversize one exceeds the limit
}

TEST(DemoCorpus, zero_means_every_sample_once_plus_the_malformed_records) {
  const auto records = demo_records(0, 16);
  std::size_t malformed = 0;
  for (const auto& r : records) malformed += r.key->starts_with("malformed-");
  EXPECT_EQ(malformed, 6u);
  EXPECT_EQ(records.size(), 60u + 1 + 6);  // data/samples/articles.jsonl, the seed, the bad ones
}

}  // namespace wirefeed::app
