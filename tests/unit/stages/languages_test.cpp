#include "common/languages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/word_index.h"

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

TEST(WordIndex, finds_every_word_it_holds_and_no_other_through_growth) {
  WordIndex index;
  EXPECT_FALSE(index.contains("a"));  // empty: no table yet
  std::vector<std::string> words;
  for (int i = 0; i < 500; ++i) words.push_back("w" + std::to_string(i * 7919));
  words.push_back("");
  words.push_back("a much longer word than eight bytes");
  for (std::size_t i = 0; i < words.size(); ++i)
    EXPECT_EQ(index.insert(words[i]), static_cast<int>(i));
  EXPECT_EQ(index.insert(words[3]), 3);  // again: its first index
  EXPECT_EQ(index.size(), words.size());
  for (std::size_t i = 0; i < words.size(); ++i)
    EXPECT_EQ(index.find(words[i]), static_cast<int>(i)) << words[i];
  EXPECT_EQ(index.find("w1"), -1);
  EXPECT_EQ(index.find("a much longer word than eight byteS"), -1);
  EXPECT_EQ(index.find(std::string_view("w0\0", 3)), -1);  // same bytes then a NUL
  const WordIndex copy = index;                            // owns its bytes: copies stay valid
  EXPECT_EQ(copy.find(words[42]), 42);
}

}  // namespace
}  // namespace wirefeed::stages::lexical
