#include "wirefeed/stages/registry.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "amounts/amounts.h"
#include "dates/dates.h"
#include "decode/decode.h"
#include "encode/encode.h"
#include "entities/entities.h"
#include "fingerprint/fingerprint.h"
#include "html/html.h"
#include "keywords/keywords.h"
#include "language/language.h"
#include "normalize/normalize.h"
#include "quotes/quotes.h"
#include "segment/segment.h"
#include "simhash/simhash.h"
#include "stats/stats.h"
#include "summary/summary.h"
#include "tone/tone.h"
#include "validate/validate.h"
#include "wirefeed/core/version.h"

namespace wirefeed::stages {

namespace {

using Factory = std::function<std::unique_ptr<core::Stage>(const StageOptions&)>;

struct Entry {
  StageInfo info;
  Factory make;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"validate", "input contract: text present, id usable as a key"},
       [](const StageOptions&) { return std::make_unique<ValidateStage>(); }},
      {{"html", "main text and metadata of an HTML page (gumbo)"},
       [](const StageOptions&) { return std::make_unique<HtmlStage>(); }},
      {{"normalize", "UTF-8, NFC, entities, control and whitespace cleanup -> text"},
       [](const StageOptions&) { return std::make_unique<NormalizeStage>(); }},
      {{"language", "language detection (CLD2): ISO code, confidence, reliability"},
       [](const StageOptions&) { return std::make_unique<LanguageStage>(); }},
      {{"segment", "sentences and tokens with byte offsets"},
       [](const StageOptions&) { return std::make_unique<SegmentStage>(); }},
      {{"stats", "chars, words, sentences, paragraphs, reading time"},
       [](const StageOptions&) { return std::make_unique<StatsStage>(); }},
      {{"fingerprint", "exact hash of the clean text"},
       [](const StageOptions&) { return std::make_unique<FingerprintStage>(); }},
      {{"simhash", "64-bit simhash of word 3-shingles, for near-duplicates"},
       [](const StageOptions&) { return std::make_unique<SimhashStage>(); }},
      {{"dates", "publication date and date mentions, resolved (English)"},
       [](const StageOptions&) { return std::make_unique<DatesStage>(); }},
      {{"amounts", "counts, money and percentages with what they count (English)"},
       [](const StageOptions&) { return std::make_unique<AmountsStage>(); }},
      {{"entities", "people, organizations, places: NER model, grouped, places resolved"},
       [](const StageOptions&) { return std::make_unique<EntitiesStage>(); }},
      {{"quotes", "direct quotations with speaker and reporting verb (English)"},
       [](const StageOptions&) { return std::make_unique<QuotesStage>(); }},
      {{"keywords", "top key phrases, YAKE-style statistical scores (English)"},
       [](const StageOptions&) { return std::make_unique<KeywordsStage>(); }},
      {{"tone", "GDELT-style tone from the VADER lexicon (English)"},
       [](const StageOptions&) { return std::make_unique<ToneStage>(); }},
      {{"summary", "the lead sentences, without dateline, byline or photo credits"},
       [](const StageOptions& o) { return std::make_unique<SummaryStage>(o.summary_sentences); }},
  };
  return kEntries;
}

}  // namespace

const std::vector<StageInfo>& configurable_stages() {
  static const std::vector<StageInfo> kInfos = [] {
    std::vector<StageInfo> infos;
    for (const auto& e : entries()) infos.push_back(e.info);
    return infos;
  }();
  return kInfos;
}

std::vector<std::string> default_stage_names() {
  std::vector<std::string> names;
  for (const auto& e : entries()) names.emplace_back(e.info.name);
  return names;
}

std::unique_ptr<core::Pipeline> build_pipeline(const std::vector<std::string>& names,
                                               const StageOptions& options,
                                               core::PipelineObserver* observer) {
  std::vector<std::unique_ptr<core::Stage>> stages;
  stages.push_back(std::make_unique<DecodeStage>(options.max_message_bytes));
  std::vector<std::string_view> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name == "decode" && i == 0) continue;
    if (name == "encode" && i + 1 == names.size()) continue;
    if (name == "decode" || name == "encode") {
      throw std::invalid_argument("pipeline.stages: '" + name + "' always runs " +
                                  (name == "decode" ? "first" : "last") +
                                  "; list it only there, or not at all");
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      throw std::invalid_argument("pipeline.stages: stage '" + name + "' is listed twice");
    }
    auto it = std::find_if(entries().begin(), entries().end(),
                           [&](const Entry& e) { return e.info.name == name; });
    if (it == entries().end()) {
      std::string known;
      for (const auto& e : entries())
        known += (known.empty() ? "" : ", ") + std::string(e.info.name);
      throw std::invalid_argument("pipeline.stages: unknown stage '" + name + "' (known: " + known +
                                  ")");
    }
    seen.push_back(it->info.name);
    stages.push_back(it->make(options));
  }
  stages.push_back(std::make_unique<EncodeStage>(std::string(core::kPipelineVersion)));
  return std::make_unique<core::Pipeline>(std::move(stages), observer);
}

}  // namespace wirefeed::stages
