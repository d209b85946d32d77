#include "topics/topics.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

struct TopicsScratch final : core::Scratch {
  topics::FeatureScratch features;
  std::vector<float> scores;
  std::vector<std::uint32_t> order;
  std::vector<std::string_view> parts;
};

}  // namespace

TopicsStage::TopicsStage(const std::string& model, std::size_t top_k, double min_score)
    : model_(topics::load_model(model)), top_k_(top_k), min_score_(static_cast<float>(min_score)) {}

std::unique_ptr<core::Scratch> TopicsStage::new_scratch() const {
  auto s = std::make_unique<TopicsScratch>();
  s->parts.reserve(2);
  s->scores.reserve(model_.labels().size());
  s->order.reserve(model_.labels().size());
  return s;
}

core::Status TopicsStage::process(core::Article& article, core::Scratch& raw_scratch) const {
  auto& scratch = static_cast<TopicsScratch&>(raw_scratch);
  if (article.text.empty() && article.title.empty()) return core::Status::skipped("no text");
  const std::string_view language = core::content_language(article);
  if (!language.empty() && language != "und" && !model_.supports(language)) {
    std::string trained;
    for (const auto& l : model_.languages()) trained += (trained.empty() ? "" : ", ") + l;
    return core::Status::skipped("model " + model_.name() + " is for " + trained +
                                 "; the article's language is " + std::string(language));
  }
  scratch.parts.clear();
  scratch.parts.push_back(article.title);
  scratch.parts.push_back(article.text);
  model_.score(scratch.parts, scratch.features, scratch.scores);
  const auto& scores = scratch.scores;
  auto& order = scratch.order;
  order.clear();
  for (std::uint32_t l = 0; l < scores.size(); ++l) {
    if (scores[l] >= min_score_) order.push_back(l);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
  if (order.size() > top_k_) order.resize(top_k_);
  core::json::Writer w(article.add_enrichment("topics").json);
  w.begin_array();
  for (std::uint32_t l : order) {
    const topics::Label& label = model_.labels()[l];
    w.begin_object()
        .member("code", label.code)
        .member("label", label.label)
        .member("score", std::round(static_cast<double>(scores[l]) * 1e4) / 1e4)
        .end_object();
  }
  w.end_array();
  core::json::Writer m(article.add_enrichment("topics_model").json);
  m.begin_object().member("name", model_.name()).member("version", model_.version()).end_object();
  return {};
}

}  // namespace wirefeed::stages
