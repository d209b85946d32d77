#include "wirefeed/core/article.h"

#include <gtest/gtest.h>

namespace wirefeed::core {

TEST(CanonicalizeUrl, lowercases_host_and_drops_tracking_fragment_and_default_port) {
  EXPECT_EQ(
      canonicalize_url("HTTPS://WWW.Example.COM:443/World/Story/?utm_source=x&id=7&fbclid=y#top"),
      "https://www.example.com/World/Story?id=7");
  EXPECT_EQ(canonicalize_url("  http://example.com:80/  "), "http://example.com/");
  EXPECT_EQ(canonicalize_url("http://example.com:8080/a"), "http://example.com:8080/a");
}

TEST(DeriveArticleId, url_ids_ignore_tracking_noise) {
  Article a, b;
  a.url = "https://en.wikinews.org/wiki/Story?utm_campaign=rss";
  b.url = "https://EN.wikinews.org/wiki/Story#comments";
  EXPECT_EQ(derive_article_id(a), derive_article_id(b));
  EXPECT_TRUE(derive_article_id(a).starts_with("url-"));
  EXPECT_EQ(derive_article_id(a).size(), 36u);
}

TEST(DeriveArticleId, text_ids_ignore_whitespace_differences) {
  Article a, b, c;
  a.text = "Putin and Biden\n\nwill speak.";
  b.body = "  Putin  and Biden will\tspeak. ";
  c.text = "Putin and Biden will speak!";
  EXPECT_EQ(derive_article_id(a), derive_article_id(b));
  EXPECT_NE(derive_article_id(a), derive_article_id(c));
  EXPECT_TRUE(derive_article_id(a).starts_with("txt-"));
}

TEST(Article, reset_clears_fields_and_reuses_enrichment_slots) {
  Article a;
  a.id = "x";
  a.add_enrichment("stats").json = "{}";
  a.reset();
  EXPECT_TRUE(a.id.empty());
  EXPECT_EQ(a.enrichment_count, 0u);
  Enrichment& slot = a.add_enrichment("fingerprint");
  EXPECT_EQ(slot.key, "fingerprint");
  EXPECT_TRUE(slot.json.empty());
  EXPECT_EQ(a.enrichments.size(), 1u);  // the old slot was reused
}

}  // namespace wirefeed::core
