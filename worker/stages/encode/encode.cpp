#include "encode/encode.h"

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

core::Status EncodeStage::too_large(std::size_t bytes, bool at_least) const {
  return {core::Code::kOutputTooLarge, std::string("enriched record of ") +
                                           (at_least ? "at least " : "") + std::to_string(bytes) +
                                           " bytes exceeds limits.max_output_bytes (" +
                                           std::to_string(max_output_bytes_) + ")"};
}

core::Status EncodeStage::process(core::Article& article, core::Scratch&) const {
  if (article.id.empty()) article.id = core::derive_article_id(article);
  std::string& out = article.output;
  out.clear();
  // The members' raw sizes are a lower bound of the record's size (escaping
  // only adds): a record that cannot fit fails before it is written.
  std::size_t lower_bound = article.text.size() + article.title.size() + article.extra_json.size();
  for (std::size_t i = 0; i < article.enrichment_count; ++i) {
    lower_bound += article.enrichments[i].json.size() + article.enrichments[i].key.size() + 4;
  }
  if (lower_bound > max_output_bytes_) return too_large(lower_bound, true);
  out.reserve(lower_bound + 512);

  core::json::Writer w(out);
  w.begin_object().member("id", article.id);
  w.member_or_null("url", article.url);
  w.member_or_null("canonical_url",
                   article.url.empty() ? std::string() : core::canonicalize_url(article.url));
  w.member_or_null("source_name", article.source_name);
  w.member_or_null("title", article.title);
  w.member_or_null("published_at", article.published_at);
  w.member_or_null("language", article.language);
  w.key("authors").begin_array();
  for (const auto& author : article.authors) w.string(author);
  w.end_array();
  // Without the normalize stage the body is the text (already UTF-8 validated).
  w.member("text", article.text.empty() ? std::string_view(article.body) : article.text);
  // Each stage's member, in stage order, as the stage wrote it.
  for (std::size_t i = 0; i < article.enrichment_count; ++i) {
    w.key(article.enrichments[i].key).raw(article.enrichments[i].json);
  }
  w.key("extra").raw(article.extra_json.empty() ? std::string_view("{}") : article.extra_json);
  w.key("pipeline").begin_object().member("version", version_);
  w.key("stages").begin_array();
  for (std::string_view stage : article.stages_run) w.string(stage);
  w.string(name()).end_array();
  w.key("skipped").begin_array();
  for (const auto& skipped : article.stages_skipped) {
    w.begin_object().member("stage", skipped.stage).member("reason", skipped.reason).end_object();
  }
  w.end_array();
  if (!article.truncations.empty()) {
    w.key("truncated").begin_object();
    for (const auto& t : article.truncations) {
      w.key(t.list).uint64(t.cut);
    }
    w.end_object();
  }
  w.end_object();
  w.key("source");
  if (article.has_source) {
    w.begin_object()
        .member("topic", article.source.topic)
        .member("partition", article.source.partition)
        .member("offset", article.source.offset)
        .end_object();
  } else {
    w.null();
  }
  w.end_object();
  if (out.size() > max_output_bytes_) return too_large(out.size(), false);
  return {};
}

}  // namespace wirefeed::stages
