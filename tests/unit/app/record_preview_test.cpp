// The demo's shortened record: readable, cut where it says, never mangled.
#include "record_preview.h"

#include <gtest/gtest.h>

namespace wirefeed::app {

namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

}  // namespace

TEST(RecordPreview, puts_each_top_level_member_on_its_own_line) {
  EXPECT_EQ(preview_record(R"({"id":"a","n":3,"ok":true,"x":null,"f":0.5})"),
            "{\n  \"id\": \"a\",\n  \"n\": 3,\n  \"ok\": true,\n  \"x\": null,\n  \"f\": 0.5\n}");
}

TEST(RecordPreview, cuts_long_strings_with_an_ellipsis_on_a_code_point_boundary) {
  PreviewLimits limits;
  limits.top_string_chars = 4;
  // "é" is two bytes: the cut counts code points, so the result stays UTF-8.
  EXPECT_EQ(preview_record(R"({"text":"ééééé"})", limits),
            "{\n  \"text\": \"éééé" + kEllipsis + "\"\n}");
  EXPECT_EQ(preview_record(R"({"text":"éééé"})", limits), "{\n  \"text\": \"éééé\"\n}");
}

TEST(RecordPreview, keeps_the_first_items_of_long_lists_and_counts_the_rest) {
  PreviewLimits limits;
  limits.top_list_items = 2;
  limits.nested_list_items = 1;
  EXPECT_EQ(preview_record(R"({"a":[1,2,3,4,5],"b":[1,2],"c":[[1,2,3]]})", limits),
            "{\n  \"a\": [1, 2, " + kEllipsis + " 3 more],\n  \"b\": [1, 2],\n  \"c\": [[1, " +
                kEllipsis + " 2 more]]\n}");
}

TEST(RecordPreview, writes_nested_objects_on_one_line_with_shorter_strings) {
  PreviewLimits limits;
  limits.nested_string_chars = 3;
  EXPECT_EQ(preview_record(R"({"tone":{"label":"positive","score":1}})", limits),
            "{\n  \"tone\": {\"label\": \"pos" + kEllipsis + "\", \"score\": 1}\n}");
}

TEST(RecordPreview, escapes_what_json_escapes) {
  EXPECT_EQ(preview_record(R"({"t":"a\"b\nc"})"), "{\n  \"t\": \"a\\\"b\\nc\"\n}");
}

TEST(RecordPreview, returns_what_does_not_parse_as_an_object_unchanged) {
  EXPECT_EQ(preview_record("not json"), "not json");
  EXPECT_EQ(preview_record("[1,2]"), "[1,2]");
  EXPECT_EQ(preview_record("{}"), "{}");
}

}  // namespace wirefeed::app
