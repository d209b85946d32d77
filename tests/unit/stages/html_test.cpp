#include "html/html.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {
std::string seed_page() {
  return testing::read_file(testing::source_path("tests/fixtures/html/seed_page.html"));
}

// The seed article's paragraphs, as the page carries them.
std::vector<std::string> seed_paragraphs() {
  std::string seed = testing::read_file(testing::source_path("data/samples/seed.txt"));
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < seed.size()) {
    std::size_t eol = seed.find('\n', i);
    if (eol == std::string::npos) eol = seed.size();
    std::string line = seed.substr(i, eol - i);
    i = eol + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
    if (line.starts_with("date 2021-12-29 ")) line = line.substr(16);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string html_record(std::string_view html) {
  std::string out = R"({"html":)";
  core::json::append_string(out, html);
  return out + "}";
}
}  // namespace

// A page written for this test: the seed article inside navigation, a share
// bar, a byline, related stories, a sidebar, comments, a footer, scripts,
// styles, an SVG and JSON-LD.
TEST(Html, extracts_the_article_and_nothing_else) {
  HtmlExtraction x = extract_html(seed_page());
  EXPECT_EQ(x.body_source, "dom");
  std::string expected;
  for (const auto& p : seed_paragraphs()) expected += (expected.empty() ? "" : "\n\n") + p;
  EXPECT_EQ(x.body, expected);
  for (std::string_view junk :
       {"Share on Facebook", "Politics", "Related", "NATO allies meet", "weather", "Great article",
        "Copyright", "not text", "no</p>", "By Jane Reporter", "December 29, 2021"}) {
    EXPECT_EQ(x.body.find(junk), std::string::npos) << junk;
  }
}

TEST(Html, reads_the_metadata) {
  HtmlExtraction x = extract_html(seed_page());
  EXPECT_EQ(x.title, "Biden and Putin to speak by phone Thursday");  // og:title over <title>
  EXPECT_EQ(x.authors, (std::vector<std::string>{"Jane Reporter", "Sam Writer"}));
  EXPECT_EQ(x.published, "2021-12-29T18:04:00Z");
  EXPECT_EQ(x.language, "en-US");
  EXPECT_EQ(x.canonical_url,
            "https://news.example.com/2021/12/29/biden-putin-call?utm_source=feed");
  EXPECT_EQ(x.site_name, "Example News");
  EXPECT_EQ(x.description, "The call comes at the Russian leader's request.");
}

TEST(Html, the_pipeline_fills_the_record_from_the_page_and_the_gold_still_holds) {
  auto e = testing::enrich(html_record(seed_page()));
  ASSERT_TRUE(e.result.ok()) << e.result.status.message();
  EXPECT_EQ(e.article.title, "Biden and Putin to speak by phone Thursday");
  EXPECT_EQ(e.article.published_at, "2021-12-29T18:04:00Z");
  EXPECT_EQ(e.article.language, "en-US");
  EXPECT_EQ(e.article.url, "https://news.example.com/2021/12/29/biden-putin-call?utm_source=feed");
  EXPECT_NE(testing::enrichment(e.article, "quotes").find(R"("speaker":"Ned Price")"),
            std::string::npos);
  EXPECT_NE(testing::enrichment(e.article, "dates").find(R"("text":"Thursday")"),
            std::string::npos);
  std::string out;
  EXPECT_TRUE(
      testing::validate_against_schema({e.article.output}, "enriched_article.schema.json", &out))
      << out;
}

TEST(Html, the_input_body_and_fields_win_over_the_page) {
  std::string record =
      R"({"title":"Given title","body":"Given body text for the article.","html":)";
  core::json::append_string(record, seed_page());
  record += "}";
  auto e = testing::enrich(record);
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(e.article.title, "Given title");
  EXPECT_EQ(e.article.text, "Given body text for the article.");
  EXPECT_NE(testing::enrichment(e.article, "html").find(R"("body_source":"input")"),
            std::string::npos);
}

TEST(Html, json_ld_article_body_is_the_fallback_for_script_rendered_pages) {
  std::string body(400, 'x');
  for (std::size_t i = 0; i < body.size(); i += 8) body[i] = ' ';
  HtmlExtraction x = extract_html(
      R"(<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":")" +
      body + R"("}</script></head><body><div id="app"></div></body></html>)");
  EXPECT_EQ(x.body_source, "json-ld");
  EXPECT_GE(x.body.size(), 300u);
}

TEST(Html, hostile_markup_never_crashes) {
  // 20,000 unclosed <div>s: past 256 open containers their tags are dropped
  // before parsing (which keeps the parser linear), so the text is read. 20,000
  // nested <q>s (not flattened) are past the walks' depth limit: that text is
  // dropped. 200 deep (still absurd for an article) both are read.
  std::string deep, deep_q, shallow;
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  for (int i = 0; i < 20000; ++i) deep_q += "<q>";
  for (int i = 0; i < 200; ++i) shallow += "<div>";
  deep += "<p>Deep text inside many divs, still text.</p>";
  deep_q += "<p>Deep text inside many divs, still text.</p>";
  shallow += "<p>Deep text inside many divs, still text.</p>";
  std::string cases[] = {
      "",
      "<",
      "<html><body><p>Unclosed <b>bold <i>italic <p>next",
      deep,
      deep_q,
      "<script>never closed",
      "<!-- never closed comment <p>x</p>",
      "<svg><p>in svg</p>",
      std::string("\x00\xff\xfe<p>\x80\x81 binary</p>", 20),
      "<p>&amp;&lt;&#0;&#x110000;&#xD800;&bogus;&</p>",
      "<table><tr><td><table><tr><td>nested</td></tr></table></td></tr></table>",
  };
  for (const auto& html : cases) {
    HtmlExtraction x = extract_html(html);
    EXPECT_LE(x.body.size(), html.size() * 4 + 16);
  }
  EXPECT_NE(extract_html(deep).body.find("Deep text"), std::string::npos);
  EXPECT_EQ(extract_html(deep_q).body.find("Deep text"), std::string::npos);
  EXPECT_NE(extract_html(shallow).body.find("Deep text"), std::string::npos);
}

TEST(Html, flattening_deep_containers_keeps_the_text_and_the_page_below_the_limit) {
  // Below 256 open containers nothing changes; past it, the extra start tags
  // and the end tags that close them go, and the text around them stays in order.
  std::string page = "<html><body><article>";
  for (int i = 0; i < 1000; ++i) page += "<div class=\"x\"><span>";
  page += "<p>The council met on Tuesday, and the mayor spoke first.</p>";
  for (int i = 0; i < 1000; ++i) page += "</span></div>";
  page += "<p>After the vote, the council adjourned until next week.</p></article></body></html>";
  const std::string body = extract_html(page).body;
  const auto first = body.find("The council met on Tuesday");
  const auto second = body.find("After the vote");
  ASSERT_NE(first, std::string::npos) << body;
  ASSERT_NE(second, std::string::npos) << body;
  EXPECT_LT(first, second);
}

TEST(Html, records_without_html_skip_the_stage) {
  auto e = testing::enrich(R"({"body":"Plain body, no page."})");
  ASSERT_TRUE(e.result.ok());
  bool skipped = false;
  for (const auto& s : e.article.stages_skipped)
    skipped |= s.stage == "html" && s.reason == "no html";
  EXPECT_TRUE(skipped);
}

}  // namespace wirefeed::stages

namespace wirefeed::stages {

TEST(Html, the_title_loses_the_site_name) {
  const auto title = [](const std::string& head, const std::string& body = "") {
    return extract_html("<html><head>" + head + "</head><body>" + body +
                        "<p>Some article text that is long enough to count.</p></body></html>")
        .title;
  };
  // The part that is the page's <h1>.
  EXPECT_EQ(title("<title>Club News - River road closes after flood - Sport</title>",
                  "<h1>River road closes after flood</h1>"),
            "River road closes after flood");
  // Without an <h1>: the parts that are not og:site_name, else the longest.
  EXPECT_EQ(title("<meta property=\"og:site_name\" content=\"Daily Example\">"
                  "<title>Flood closes the river road | Daily Example</title>"),
            "Flood closes the river road");
  EXPECT_EQ(title("<title>Warum die Brücke gesperrt bleibt \xe2\x80\x93 Helge.at</title>"),
            "Warum die Brücke gesperrt bleibt");
  // No separator with spaces around it: the title stays whole.
  EXPECT_EQ(title("<title>Rinderleber-Geschnetzeltes mit Apfel</title>"),
            "Rinderleber-Geschnetzeltes mit Apfel");
  // No <title>: the <h1>.
  EXPECT_EQ(title("", "<h1>Only a heading</h1>"), "Only a heading");
}

TEST(Html, a_byline_on_the_page_names_the_author_when_the_metadata_does_not) {
  const auto authors = [](const std::string& head, const std::string& body) {
    return extract_html("<html><head>" + head + "</head><body>" + body +
                        "<p>Some article text that is long enough to count.</p></body></html>")
        .authors;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(authors("", "<span class=\"byline\">Posted on May 2, 2020 by Ana Ruiz</span>"),
            V{"Ana Ruiz"});
  EXPECT_EQ(authors("", "<div class=\"entry-author\">Veröffentlicht von Chris Jung | Mai</div>"),
            V{"Chris Jung"});
  EXPECT_EQ(authors("", "<p><span itemprop=\"author\">Anna Kubišta</span></p>"), V{"Anna Kubišta"});
  // The metadata's author wins; a comment form's name field is no byline.
  EXPECT_EQ(authors("<meta name=\"author\" content=\"Meta Name\">",
                    "<span class=\"author\">Page Name</span>"),
            V{"Meta Name"});
  EXPECT_EQ(authors("", "<form><label class=\"comment-author\">Name (required)</label></form>"),
            V{});
  EXPECT_EQ(authors("", "<div class=\"author-bio\">" + std::string(200, 'x') + "</div>"), V{});
}

TEST(Html, fold_for_matching_ignores_case_and_punctuation_but_keeps_letters_apart) {
  EXPECT_EQ(fold_for_matching("Alles Neue, mach der Mai!"), "alles neue mach der mai");
  EXPECT_EQ(fold_for_matching("  -- BBC News --  "), "bbc news");
  // Non-ASCII bytes pass unchanged, so "Café" and "Cafe" stay different.
  EXPECT_EQ(fold_for_matching("Café"), "caf\xc3\xa9");
  EXPECT_NE(fold_for_matching("Café"), fold_for_matching("Cafe"));
  EXPECT_EQ(fold_for_matching("?!"), "");
}

}  // namespace wirefeed::stages
