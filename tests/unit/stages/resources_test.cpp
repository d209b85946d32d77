#include "resources/resources.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "test_support.h"

namespace wirefeed::stages::resources {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Resources, an_embedded_file_is_the_data_file_byte_for_byte) {
  const std::string on_disk =
      read_file(wirefeed::testing::source_path("data/lexicons/vader_lexicon.txt"));
  ASSERT_FALSE(on_disk.empty());
  EXPECT_EQ(find("lexicons/vader_lexicon.txt"), on_disk);
  EXPECT_EQ(vader_lexicon(), on_disk);
}

TEST(Resources, an_unknown_path_is_empty) {
  EXPECT_TRUE(find("lexicons/no_such_file.txt").empty());
  EXPECT_TRUE(find("").empty());
  EXPECT_TRUE(find("lexicons").empty());
}

TEST(Resources, files_under_a_prefix_come_in_path_order) {
  const auto ner = files_under("ner/");
  ASSERT_GE(ner.size(), 4u);
  for (std::size_t i = 0; i < ner.size(); ++i) {
    EXPECT_TRUE(ner[i].first.starts_with("ner/"));
    EXPECT_FALSE(ner[i].second.empty());
    if (i > 0) {
      EXPECT_LT(ner[i - 1].first, ner[i].first);
    }
  }
  EXPECT_TRUE(files_under("no-such-folder/").empty());
}

}  // namespace
}  // namespace wirefeed::stages::resources
