#include "common/languages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wirefeed::stages::lexical {
namespace {

TEST(Languages, tsv_lines_split_at_tabs_without_comments_or_blank_lines) {
  std::vector<std::vector<std::string>> rows;
  for_each_tsv_line("# a comment\nenero\t1\n\nfeb.\t2\textra\r\nlast",
                    [&](const auto& fields) { rows.emplace_back(fields.begin(), fields.end()); });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"enero", "1"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"feb.", "2", "extra"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"last"}));
}

TEST(Languages, an_empty_field_is_kept) {
  std::vector<std::size_t> sizes;
  for_each_tsv_line("a\t\tb\n", [&](const auto& fields) { sizes.push_back(fields.size()); });
  ASSERT_EQ(sizes.size(), 1u);
  EXPECT_EQ(sizes[0], 3u);
}

TEST(Languages, a_resource_no_language_has_finds_nothing) {
  int parsed = 0;
  PerLanguage<int> none("no_such_resource.tsv", [&](std::string_view, std::string_view) {
    ++parsed;
    return 1;
  });
  EXPECT_EQ(parsed, 0);
  EXPECT_EQ(none.find("en"), nullptr);
  EXPECT_TRUE(none.codes().empty());
}

}  // namespace
}  // namespace wirefeed::stages::lexical
