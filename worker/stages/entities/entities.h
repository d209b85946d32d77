// entities: people, organizations, places and other names, grouped per article.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entities/places.h"
#include "entities/tagger.h"
#include "wirefeed/core/stage.h"

namespace wirefeed::stages {

struct EntityMention {
  std::uint32_t begin = 0, end = 0;  // bytes in the text (or the title)
  bool in_title = false;
  std::uint32_t sentence = 0;  // index of its sentence in the text
};

struct Entity {
  std::string name;  // the longest mention, titles and "the" dropped
  ner::EntityType type = ner::EntityType::kMisc;
  std::vector<EntityMention> mentions;  // text mentions in order, then title ones
  std::uint32_t text_mentions = 0;
  bool in_title = false;
  bool in_lede = false;     // in the text's first two sentences
  double salience = 0;      // 0..1, relative to the article's most salient entity
  std::int64_t place = -1;  // index into ner::Places, -1 when unresolved
};

// Groups mentions into entities: the same name (any case), or for people a
// shorter name that ends a longer one ("Blinken" -> "Antony J. Blinken"); the
// type is the mentions' majority. Salience is mentions + 2 if in the title + 1
// if in the lede, divided by the article's highest. Places resolve through
// `places` with the countries the article names as context. With a
// gazetteer, exact dictionary names settle two types (see settle_type()).
// Sorted by salience, then first mention.
std::vector<Entity> group_entities(std::string_view text, const std::vector<core::Token>& tokens,
                                   const std::vector<core::Sentence>& sentences,
                                   const std::vector<ner::Mention>& mentions,
                                   std::string_view title,
                                   const std::vector<core::Token>& title_tokens,
                                   const std::vector<ner::Mention>& title_mentions,
                                   const ner::Places& places,
                                   const ner::Gazetteer* gazetteer = nullptr);

// Adds `entities`: [{name, type, mentions, in_title, salience, offsets, geo,
// source}]. English text (or text of unknown language) is tagged by the NER
// model; other languages by the gazetteers alone (source "gazetteer").
class EntitiesStage final : public core::Stage {
 public:
  // Loads the compiled-in models, gazetteers and places once. At most
  // `max_items` entities are written (stages.entities.max_items, issue #14):
  // the first in output order, the rest noted as truncated.
  explicit EntitiesStage(std::size_t max_items = kDefaultMaxItems);
  static constexpr std::size_t kDefaultMaxItems = 200;
  std::string_view name() const override { return "entities"; }
  std::unique_ptr<core::Scratch> new_scratch() const override;
  core::Status process(core::Article& article, core::Scratch& scratch) const override;

  static const ner::Places& builtin_places();

 private:
  const ner::Tagger& tagger_;
  const ner::Places& places_;
  std::size_t max_items_;
};

}  // namespace wirefeed::stages
