#include "normalize/normalize.h"

#include <gtest/gtest.h>

namespace wirefeed::stages {

namespace {
std::string norm(std::string_view in, bool single_line = false) {
  std::string out;
  normalize_text(in, out, single_line);
  return out;
}
}  // namespace

TEST(Normalize, folds_spaces_trims_lines_and_keeps_one_blank_line) {
  EXPECT_EQ(norm("  Biden \t and\u00A0Putin  \r\n  will speak.\r\n\r\n\r\n\nNext para.  "),
            "Biden and Putin\nwill speak.\n\nNext para.");
}

TEST(Normalize, decodes_character_references) {
  EXPECT_EQ(norm("AT&amp;T &lt;b&gt; &#8220;quoted&#x201D; caf&eacute; &#151; &bogus; & x"),
            "AT&T <b> “quoted” café — &bogus; & x");
}

TEST(Normalize, invalid_numeric_references_become_replacement_characters) {
  EXPECT_EQ(norm("a&#0;b&#xD800;c&#1114112;d"), "a\uFFFDb\uFFFDc\uFFFDd");
}

TEST(Normalize, drops_controls_zero_width_and_soft_hyphens) {
  EXPECT_EQ(norm("in\x01ter\u200Bna\u00ADtion\uFEFFal\x7F"), "international");
}

TEST(Normalize, composes_to_nfc) {
  // "e" + COMBINING ACUTE, "A" + COMBINING RING: composed forms after NFC.
  EXPECT_EQ(norm("Cafe\u0301 A\u030Angstro\u0308m"), "Caf\u00E9 \u00C5ngstr\u00F6m");
  // Already-NFC text passes unchanged (the fast path).
  EXPECT_EQ(norm("Zelensky’s café — 100,000"), "Zelensky’s café — 100,000");
}

TEST(Normalize, single_line_mode_folds_line_breaks_for_titles) {
  EXPECT_EQ(norm("Biden, Putin\n to speak\n\n", true), "Biden, Putin to speak");
}

TEST(Normalize, unicode_line_separators_are_line_breaks) {
  EXPECT_EQ(norm("one\u2028two\u2029\u2029three"), "one\ntwo\n\nthree");
}

TEST(HtmlToText, drops_tags_scripts_and_comments_and_breaks_blocks) {
  std::string out;
  html_to_text(
      "<html><head><style>p{}</style><SCRIPT>var x='<p>';</SCRIPT></head><body><h1>Title</h1>"
      "<!-- ad --><p>First &amp; <b>bold</b>.</p><div>Second</div></body></html>",
      out);
  std::string text;
  normalize_text(out, text);
  EXPECT_EQ(text, "Title\n\nFirst & bold.\n\nSecond");
}

TEST(HtmlToText, survives_unterminated_markup) {
  std::string out;
  html_to_text("<p>ok</p><script>never closed", out);
  EXPECT_EQ(out.find("never"), std::string::npos);
  html_to_text("<p>ok <b", out);
  EXPECT_NE(out.find("ok"), std::string::npos);
}

TEST(NormalizeStage, uses_html_when_there_is_no_body_and_normalizes_the_title) {
  NormalizeStage stage;
  auto scratch = stage.new_scratch();
  core::Article a;
  a.has_html = true;
  a.html = "<article><p>Markets&nbsp;fell.</p></article>";
  a.title = " Markets\n fall ";
  ASSERT_TRUE(stage.process(a, *scratch).ok());
  EXPECT_EQ(a.text, "Markets fell.");
  EXPECT_EQ(a.title, "Markets fall");
}

TEST(NormalizeStage, text_that_normalizes_to_nothing_is_missing_body) {
  NormalizeStage stage;
  auto scratch = stage.new_scratch();
  core::Article a;
  a.has_body = true;
  a.body = "\u200B\u00AD";
  EXPECT_EQ(stage.process(a, *scratch).code(), core::Code::kMissingBody);
}

}  // namespace wirefeed::stages
