#include "wirefeed/stages/registry.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <sstream>
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
#include "topics/topics.h"
#include "validate/validate.h"
#include "wirefeed/core/version.h"

namespace wirefeed::stages {

namespace {

using Factory = std::function<std::unique_ptr<core::Stage>(const StageSettings&)>;

struct Entry {
  StageInfo info;
  Factory make;
};

template <class StageType>
Factory plain() {
  return [](const StageSettings&) { return std::make_unique<StageType>(); };
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"validate", "input contract: text present, id usable as a key"}, plain<ValidateStage>()},
      {{"html", "main text and metadata of an HTML page (gumbo)"}, plain<HtmlStage>()},
      {{"normalize", "UTF-8, NFC, entities, control and whitespace cleanup -> text", 0, kCapText},
       plain<NormalizeStage>()},
      {{"language", "language detection (CLD2): ISO code, confidence, reliability", kCapText,
        kCapLanguage},
       plain<LanguageStage>()},
      {{"segment", "sentences and tokens with byte offsets", kCapText, kCapSegments},
       plain<SegmentStage>()},
      {{"topics",
        "subjects from a linear text classifier (IPTC Media Topics by default)",
        kCapText,
        0,
        {{"model", OptionType::kText, "iptc-top",
          "a shipped model (iptc-top, reuters21578) or a model file's path"},
         {"top_k", OptionType::kCount, "3", "topics kept per article, the best first", 1, 1000},
         {"min_score", OptionType::kNumber, "0.1", "the lowest score a topic is listed with", 0,
          1}}},
       [](const StageSettings& s) {
         return std::make_unique<TopicsStage>(
             s.text("model"), static_cast<std::size_t>(s.count("top_k")), s.number("min_score"));
       }},
      {{"stats", "chars, words, sentences, paragraphs, reading time", kCapSegments},
       plain<StatsStage>()},
      {{"fingerprint", "exact hash of the clean text", kCapText}, plain<FingerprintStage>()},
      {{"simhash", "64-bit simhash of word 3-shingles, for near-duplicates", kCapSegments},
       plain<SimhashStage>()},
      {{"dates",
        "publication date and date mentions, resolved (English, Spanish, Italian, Dutch)",
        kCapSegments,
        kCapPublicationDay,
        {{"max_items", OptionType::kCount, "1000", "date mentions kept per article", 1, 1000000}}},
       [](const StageSettings& s) { return std::make_unique<DatesStage>(s.count("max_items")); }},
      {{"amounts",
        "counts, money and percentages with what they count (English, Spanish, Italian, Dutch)",
        kCapSegments,
        0,
        {{"max_items", OptionType::kCount, "1000", "amounts kept per article", 1, 1000000}}},
       [](const StageSettings& s) { return std::make_unique<AmountsStage>(s.count("max_items")); }},
      {{"entities",
        "people, organizations, places: NER model, grouped, places resolved",
        kCapSegments,
        0,
        {{"max_items", OptionType::kCount, "200",
          "entities kept per article, the most salient first; the rest are noted truncated", 1,
          100000}}},
       [](const StageSettings& s) {
         return std::make_unique<EntitiesStage>(static_cast<std::size_t>(s.count("max_items")));
       }},
      {{"quotes",
        "direct quotations with speaker and reporting verb (English)",
        kCapSegments,
        0,
        {{"max_items", OptionType::kCount, "100", "quotes kept per article", 1, 100000}}},
       [](const StageSettings& s) { return std::make_unique<QuotesStage>(s.count("max_items")); }},
      {{"keywords", "top key phrases, YAKE-style statistical scores (English)", kCapSegments},
       plain<KeywordsStage>()},
      {{"tone", "GDELT-style tone from the VADER lexicon (English)", kCapSegments},
       plain<ToneStage>()},
      {{"summary",
        "the lead sentences, without dateline, byline or photo credits",
        kCapSegments,
        0,
        {{"sentences", OptionType::kCount, "2", "lead sentences in the summary member", 1, 8}}},
       [](const StageSettings& s) { return std::make_unique<SummaryStage>(s.count("sentences")); }},
  };
  return kEntries;
}

const Entry* find_entry(std::string_view name) {
  for (const auto& e : entries()) {
    if (e.info.name == name) return &e;
  }
  return nullptr;
}

std::string known_stages() {
  std::string known;
  for (const auto& e : entries()) known += (known.empty() ? "" : ", ") + std::string(e.info.name);
  return known;
}

std::string format_number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Throws std::invalid_argument unless `value` is valid for `option`.
void check_value(const StageInfo& stage, const StageOption& option, const std::string& value) {
  const std::string key = "stages." + std::string(stage.name) + "." + std::string(option.name);
  const auto fail = [&](const std::string& why) {
    throw std::invalid_argument("config key '" + key + "': '" + value + "' " + why);
  };
  switch (option.type) {
    case OptionType::kCount: {
      unsigned long long v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() ||
          static_cast<double>(v) < option.min || static_cast<double>(v) > option.max) {
        fail("is not an integer from " + format_number(option.min) + " to " +
             format_number(option.max));
      }
      break;
    }
    case OptionType::kNumber: {
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || !(v >= option.min) ||
          !(v <= option.max)) {
        fail("is not a number from " + format_number(option.min) + " to " +
             format_number(option.max));
      }
      break;
    }
    case OptionType::kText:
      if (!option.choices.empty() &&
          std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end()) {
        std::string choices;
        for (auto c : option.choices) choices += (choices.empty() ? "" : ", ") + std::string(c);
        fail("is not one of: " + choices);
      }
      break;
  }
}

}  // namespace

std::string_view capability_name(Capability capability) {
  switch (capability) {
    case kCapText:
      return "the clean text";
    case kCapSegments:
      return "segmented text";
    case kCapLanguage:
      return "the detected language";
    case kCapPublicationDay:
      return "the publication date";
  }
  return "?";
}

StageSettings::StageSettings(const StageInfo& info,
                             const std::map<std::string, std::string>& settings)
    : info_(&info) {
  for (const StageOption& option : info.options) {
    const std::string key = std::string(info.name) + "." + std::string(option.name);
    auto it = settings.find(key);
    std::string value = it == settings.end() ? std::string(option.default_value) : it->second;
    check_value(info, option, value);
    values_.emplace(std::string(option.name), std::move(value));
  }
}

const std::string& StageSettings::raw(std::string_view option, OptionType type) const {
  for (const StageOption& o : info_->options) {
    if (o.name == option && o.type == type) return values_.find(option)->second;
  }
  throw std::logic_error("stage '" + std::string(info_->name) + "' declares no option '" +
                         std::string(option) + "' of that type");
}

std::size_t StageSettings::count(std::string_view option) const {
  return static_cast<std::size_t>(std::stoull(raw(option, OptionType::kCount)));
}

double StageSettings::number(std::string_view option) const {
  return std::strtod(raw(option, OptionType::kNumber).c_str(), nullptr);
}

const std::string& StageSettings::text(std::string_view option) const {
  return raw(option, OptionType::kText);
}

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

void check_stage_settings(const std::map<std::string, std::string>& settings) {
  for (const auto& [key, value] : settings) {
    const std::size_t dot = key.find('.');
    const std::string stage = key.substr(0, dot);
    const Entry* entry = find_entry(stage);
    if (entry == nullptr || dot == std::string::npos) {
      throw std::invalid_argument("config key 'stages." + key + "': no stage '" + stage +
                                  "' (known: " + known_stages() + ")");
    }
    const std::string_view option = std::string_view(key).substr(dot + 1);
    auto it = std::find_if(entry->info.options.begin(), entry->info.options.end(),
                           [&](const StageOption& o) { return o.name == option; });
    if (it == entry->info.options.end()) {
      std::string known;
      for (const auto& o : entry->info.options)
        known += (known.empty() ? "" : ", ") + std::string(o.name);
      throw std::invalid_argument("config key 'stages." + key + "': stage '" + stage +
                                  "' has no option '" + std::string(option) + "' (" +
                                  (known.empty() ? "it has none" : "known: " + known) + ")");
    }
    check_value(entry->info, *it, value);
  }
}

std::unique_ptr<core::Pipeline> build_pipeline(const std::vector<std::string>& names,
                                               const StageOptions& options,
                                               core::PipelineObserver* observer) {
  check_stage_settings(options.settings);
  std::vector<std::unique_ptr<core::Stage>> stages;
  stages.push_back(std::make_unique<DecodeStage>(options.max_message_bytes));
  std::vector<std::string_view> seen;
  Capabilities available = 0;
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
    const Entry* entry = find_entry(name);
    if (entry == nullptr) {
      throw std::invalid_argument("pipeline.stages: unknown stage '" + name +
                                  "' (known: " + known_stages() + ")");
    }
    const Capabilities missing = entry->info.needs & ~available;
    if (missing != 0) {
      const auto need = static_cast<Capability>(missing & (~missing + 1));  // lowest bit
      std::string provider;
      for (const auto& e : entries()) {
        if (e.info.provides & need) provider = e.info.name;
      }
      throw std::invalid_argument("pipeline.stages: '" + name + "' needs " +
                                  std::string(capability_name(need)) + ", which '" + provider +
                                  "' provides: list '" + provider + "' before '" + name + "'");
    }
    available |= entry->info.provides;
    seen.push_back(entry->info.name);
    stages.push_back(entry->make(StageSettings(entry->info, options.settings)));
  }
  stages.push_back(
      std::make_unique<EncodeStage>(std::string(core::kPipelineVersion), options.max_output_bytes));
  return std::make_unique<core::Pipeline>(std::move(stages), observer);
}

}  // namespace wirefeed::stages
