#include "encode/encode.h"

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using namespace core::json;

void member(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;  // keys are literals here: no escaping needed
  out += "\":";
}

void string_or_null(std::string& out, std::string_view key, std::string_view value) {
  member(out, key);
  if (value.empty()) {
    out += "null";
  } else {
    append_string(out, value);
  }
}

}  // namespace

core::Status EncodeStage::process(core::Article& article, core::Scratch&) const {
  if (article.id.empty()) article.id = core::derive_article_id(article);
  std::string& out = article.output;
  out.clear();
  std::size_t estimate =
      article.text.size() + article.title.size() + article.extra_json.size() + 512;
  for (std::size_t i = 0; i < article.enrichment_count; ++i) {
    estimate += article.enrichments[i].json.size() + article.enrichments[i].key.size() + 4;
  }
  out.reserve(estimate);

  out += "{\"id\":";
  append_string(out, article.id);
  string_or_null(out, "url", article.url);
  if (article.url.empty()) {
    string_or_null(out, "canonical_url", {});
  } else {
    string_or_null(out, "canonical_url", core::canonicalize_url(article.url));
  }
  string_or_null(out, "source_name", article.source_name);
  string_or_null(out, "title", article.title);
  string_or_null(out, "published_at", article.published_at);
  string_or_null(out, "language", article.language);
  member(out, "authors");
  out += '[';
  for (std::size_t i = 0; i < article.authors.size(); ++i) {
    if (i) out += ',';
    append_string(out, article.authors[i]);
  }
  out += ']';
  member(out, "text");
  // Without the normalize stage the body is the text (already UTF-8 validated).
  append_string(out, article.text.empty() ? std::string_view(article.body) : article.text);
  for (std::size_t i = 0; i < article.enrichment_count; ++i) {
    member(out, article.enrichments[i].key);
    out += article.enrichments[i].json;
  }
  member(out, "extra");
  out += article.extra_json.empty() ? std::string_view("{}") : article.extra_json;
  member(out, "pipeline");
  out += "{\"version\":";
  append_string(out, version_);
  out += ",\"stages\":[";
  for (std::string_view stage : article.stages_run) {
    append_string(out, stage);
    out += ',';
  }
  append_string(out, name());
  out += "],\"skipped\":[";
  for (std::size_t i = 0; i < article.stages_skipped.size(); ++i) {
    if (i) out += ',';
    out += "{\"stage\":";
    append_string(out, article.stages_skipped[i].stage);
    out += ",\"reason\":";
    append_string(out, article.stages_skipped[i].reason);
    out += '}';
  }
  out += ']';
  if (!article.truncations.empty()) {
    out += ",\"truncated\":{";
    for (std::size_t i = 0; i < article.truncations.size(); ++i) {
      if (i) out += ',';
      append_string(out, article.truncations[i].list);
      out += ':';
      append_int(out, static_cast<std::int64_t>(article.truncations[i].cut));
    }
    out += '}';
  }
  out += '}';
  member(out, "source");
  if (article.has_source) {
    out += "{\"topic\":";
    append_string(out, article.source.topic);
    out += ",\"partition\":";
    append_int(out, article.source.partition);
    out += ",\"offset\":";
    append_int(out, article.source.offset);
    out += '}';
  } else {
    out += "null";
  }
  out += '}';
  return {};
}

}  // namespace wirefeed::stages
