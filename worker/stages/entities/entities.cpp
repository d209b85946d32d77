#include "entities/entities.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "language/language.h"
#include "resources/resources.h"
#include "segment/segment.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

constexpr std::uint32_t kLedeSentences = 2;

// Words before a person's name that are not part of it: "President Biden",
// "Secretary of State Antony J. Blinken" (the model usually leaves them out,
// but headlines and unusual titles slip in).
bool title_word(std::string_view lower) {
  static constexpr std::array<std::string_view, 34> kWords = {
      "president", "vice",  "secretary", "minister", "prime",   "chancellor", "mr",
      "mr.",       "mrs",   "mrs.",      "ms",       "ms.",     "dr",         "dr.",
      "sir",       "gen.",  "general",   "sen.",     "senator", "rep.",       "gov.",
      "governor",  "mayor", "king",      "queen",    "prince",  "pope",       "judge",
      "lord",      "lady",  "coach",     "former",   "st.",     "saint"};
  return std::find(kWords.begin(), kWords.end(), lower) != kWords.end();
}

// Lower-case words a name does not start with; the tagger sometimes pulls the
// preposition before a name into it ("in Eastern Europe").
bool leading_function_word(std::string_view w) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "the", "a", "an", "in", "of", "on", "at", "to", "for", "from", "by", "with", "and", "or"};
  return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

struct Candidate {
  std::uint32_t first = 0, count = 0;  // tokens after trimming
  ner::EntityType type{};
  bool in_title = false;
  std::uint32_t sentence = 0;
  std::vector<std::string> words;  // lower-cased
  std::uint32_t begin = 0, end = 0;
};

// A mention's candidate before trimming: words and offsets are filled in by trim().
Candidate candidate_of(const ner::Mention& m, bool in_title, std::uint32_t sentence) {
  Candidate c;
  c.first = m.first_token;
  c.count = m.token_count;
  c.type = m.type;
  c.in_title = in_title;
  c.sentence = sentence;
  return c;
}

// Trims titles (people), leading function words and trailing possessives; false if
// nothing is left.
bool trim(std::string_view text, const std::vector<core::Token>& tokens, Candidate& c) {
  auto word = [&](std::uint32_t i) {
    const core::Token& t = tokens[i];
    return lower(text.substr(t.begin, t.end - t.begin));
  };
  while (c.count > 0) {
    const std::string w = word(c.first);
    const bool drop = leading_function_word(w) ||
                      (c.type == ner::EntityType::kPerson && title_word(w) && c.count > 1);
    if (!drop) break;
    ++c.first;
    --c.count;
  }
  while (c.count > 0) {
    const std::string w = word(c.first + c.count - 1);
    if (w != "'s" && w != "\xE2\x80\x99s" && w != "'" && w != "\xE2\x80\x99") break;
    --c.count;
  }
  if (c.count == 0) return false;
  for (std::uint32_t k = 0; k < c.count; ++k) c.words.push_back(word(c.first + k));
  c.begin = tokens[c.first].begin;
  c.end = tokens[c.first + c.count - 1].end;
  return true;
}

// Two corrections where the gazetteers know better than CoNLL's conventions:
// a world region or country the model calls MISC ("Eastern Europe") is a
// place, and a building named for its occupant that WordNet files as an
// organization and GeoNames does not know as a place ("White House") is an
// organization, as news readers query it.
ner::EntityType settle_type(const ner::Gazetteer& gazetteer, std::string_view text,
                            const std::vector<core::Token>& tokens, std::uint32_t first,
                            std::uint32_t count, ner::EntityType type) {
  std::uint32_t classes = 0;
  const std::uint32_t length =
      gazetteer.longest_at(text, tokens.data() + first, count, 0, &classes);
  if (length != count) return type;
  std::uint32_t area = 0, place = 0, organization = 0;
  const auto& names = gazetteer.classes();
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::uint32_t bit = 1u << k;
    if (names[k] == "geo-area" || names[k] == "geo-country") area |= bit;
    if (names[k].starts_with("geo-")) place |= bit;
    if (names[k] == "wn-ORG") organization |= bit;
  }
  if (type == ner::EntityType::kMisc && (classes & area)) return ner::EntityType::kLocation;
  if (type == ner::EntityType::kLocation && (classes & organization) && !(classes & place))
    return ner::EntityType::kOrganization;
  return type;
}

bool ends_with(const std::vector<std::string>& longer, const std::vector<std::string>& shorter) {
  if (shorter.size() >= longer.size()) return false;
  return std::equal(shorter.rbegin(), shorter.rend(), longer.rbegin());
}

}  // namespace

std::vector<Entity> group_entities(std::string_view text, const std::vector<core::Token>& tokens,
                                   const std::vector<core::Sentence>& sentences,
                                   const std::vector<ner::Mention>& mentions,
                                   std::string_view title,
                                   const std::vector<core::Token>& title_tokens,
                                   const std::vector<ner::Mention>& title_mentions,
                                   const ner::Places& places, const ner::Gazetteer* gazetteer) {
  std::vector<Candidate> candidates;
  std::size_t sentence = 0;
  for (const ner::Mention& m : mentions) {
    while (sentence + 1 < sentences.size() && sentences[sentence + 1].first_token <= m.first_token)
      ++sentence;
    Candidate c = candidate_of(m, false, static_cast<std::uint32_t>(sentence));
    if (trim(text, tokens, c)) candidates.push_back(std::move(c));
  }
  for (const ner::Mention& m : title_mentions) {
    Candidate c = candidate_of(m, true, 0);
    if (trim(title, title_tokens, c)) candidates.push_back(std::move(c));
  }

  // Longest first, so a surname meets the full name it belongs to.
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return candidates[a].count > candidates[b].count;
  });
  struct Group {
    std::vector<std::string> words;  // of the longest mention
    std::string name;
    std::size_t naming = 0;  // the candidate that named it
    std::array<std::uint32_t, ner::kEntityTypes> votes{};
    std::vector<std::size_t> members;
  };
  std::vector<Group> groups;
  // Groups by their words (which are distinct: a group is made only when no
  // group has the same words) and by their last word (a tail of a group's words
  // ends with it), in the order the groups were made. Without them, grouping
  // scanned every group for every mention: quadratic on a long text of many
  // names (a 3 MB text of capitalized words spent 62% of its time here).
  std::unordered_map<std::string, std::size_t> by_words;
  std::unordered_map<std::string, std::vector<std::size_t>> by_last_word;
  const auto words_key = [](const std::vector<std::string>& words) {
    std::string key;
    for (const std::string& w : words) (key += w) += '\x1f';
    return key;
  };
  for (std::size_t idx : order) {
    const Candidate& c = candidates[idx];
    std::ptrdiff_t into = -1;
    std::string key = words_key(c.words);
    if (auto it = by_words.find(key); it != by_words.end()) {
      into = static_cast<std::ptrdiff_t>(it->second);
    }
    if (into < 0 && c.type == ner::EntityType::kPerson) {
      // A surname (or shorter tail) of exactly one person named more fully.
      std::uint32_t best_votes = 0;
      bool ambiguous = false;
      auto same_last = by_last_word.find(c.words.back());
      const std::vector<std::size_t> none;
      for (std::size_t g : same_last == by_last_word.end() ? none : same_last->second) {
        const Group& group = groups[g];
        if (group.votes[0] == 0 || !ends_with(group.words, c.words)) continue;
        if (into >= 0 && group.votes[0] == best_votes) ambiguous = true;
        if (into < 0 || group.votes[0] > best_votes) {
          into = static_cast<std::ptrdiff_t>(g);
          best_votes = group.votes[0];
          ambiguous = false;
        }
      }
      if (ambiguous) into = -1;
    }
    if (into < 0) {
      into = static_cast<std::ptrdiff_t>(groups.size());
      Group g;
      g.words = c.words;
      const std::string_view source = c.in_title ? title : text;
      g.name = std::string(source.substr(c.begin, c.end - c.begin));
      g.naming = idx;
      by_words.emplace(std::move(key), groups.size());
      by_last_word[c.words.back()].push_back(groups.size());
      groups.push_back(std::move(g));
    }
    Group& g = groups[into];
    ++g.votes[static_cast<int>(c.type)];
    g.members.push_back(idx);
  }

  std::vector<Entity> entities;
  for (Group& g : groups) {
    Entity e;
    e.name = std::move(g.name);
    int type = 0;
    for (int t = 1; t < ner::kEntityTypes; ++t)
      if (g.votes[t] > g.votes[type]) type = t;
    e.type = static_cast<ner::EntityType>(type);
    if (gazetteer) {
      const Candidate& n = candidates[g.naming];
      e.type = settle_type(*gazetteer, n.in_title ? title : text,
                           n.in_title ? title_tokens : tokens, n.first, n.count, e.type);
    }
    std::sort(g.members.begin(), g.members.end(), [&](std::size_t a, std::size_t b) {
      if (candidates[a].in_title != candidates[b].in_title) return !candidates[a].in_title;
      return candidates[a].begin < candidates[b].begin;
    });
    for (std::size_t idx : g.members) {
      const Candidate& c = candidates[idx];
      e.mentions.push_back({c.begin, c.end, c.in_title, c.sentence});
      if (c.in_title) {
        e.in_title = true;
      } else {
        ++e.text_mentions;
        if (c.sentence < kLedeSentences) e.in_lede = true;
      }
    }
    entities.push_back(std::move(e));
  }

  double top = 0;
  for (Entity& e : entities) {
    e.salience = e.text_mentions + (e.in_title ? 2.0 : 0.0) + (e.in_lede ? 1.0 : 0.0);
    top = std::max(top, e.salience);
  }
  for (Entity& e : entities) e.salience = top > 0 ? std::round(1000 * e.salience / top) / 1000 : 0;

  // Places: the countries the article names unambiguously are the context
  // that settles the other names.
  std::vector<std::string_view> countries;
  for (const Entity& e : entities) {
    if (e.type != ner::EntityType::kLocation) continue;
    const std::int64_t country = places.only_country(e.name);
    if (country >= 0) countries.emplace_back(places.place(country).country, 2);
  }
  for (Entity& e : entities)
    if (e.type == ner::EntityType::kLocation) e.place = places.resolve(e.name, countries);

  std::stable_sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) {
    if (a.salience != b.salience) return a.salience > b.salience;
    const bool a_text = a.text_mentions > 0, b_text = b.text_mentions > 0;
    if (a_text != b_text) return a_text;
    return a.mentions.front().begin < b.mentions.front().begin;
  });
  return entities;
}

namespace {

struct EntitiesScratch final : core::Scratch {
  ner::TaggerWork work;
  std::vector<std::uint8_t> labels;
  std::vector<ner::Mention> mentions, title_mentions;
  std::vector<core::Token> title_tokens;
  std::vector<core::Sentence> title_sentences;
};

}  // namespace

const ner::Places& EntitiesStage::builtin_places() {
  static const ner::Places places(resources::ner_places());
  return places;
}

EntitiesStage::EntitiesStage(std::size_t max_items)
    : tagger_(ner::Tagger::builtin()), places_(builtin_places()), max_items_(max_items) {}

std::unique_ptr<core::Scratch> EntitiesStage::new_scratch() const {
  return std::make_unique<EntitiesScratch>();
}

core::Status EntitiesStage::process(core::Article& article, core::Scratch& scratch) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  auto& s = static_cast<EntitiesScratch&>(scratch);
  std::uint32_t paragraphs = 0;
  segment_text(article.title, s.title_tokens, s.title_sentences, paragraphs);
  // English (or unknown) text gets the English model, a language with its own
  // model (data/lang/<code>/ner-model.bin) that one, any other the gazetteers.
  const ner::Tagger* model = &tagger_;
  if (!english_or_unknown(article)) {
    std::string code(core::content_language(article));
    for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    model = ner::Tagger::for_language(code);
  }
  if (model != nullptr) {
    model->label(article.text, article.tokens, article.sentences, s.work, s.labels);
    ner::Tagger::mentions(s.labels, s.mentions);
    model->label(article.title, s.title_tokens, s.title_sentences, s.work, s.labels);
    ner::Tagger::mentions(s.labels, s.title_mentions);
  } else {
    tagger_.gazetteer_mentions(article.text, article.tokens, article.sentences, s.mentions);
    tagger_.gazetteer_mentions(article.title, s.title_tokens, s.title_sentences, s.title_mentions);
  }
  const std::vector<Entity> entities =
      group_entities(article.text, article.tokens, article.sentences, s.mentions, article.title,
                     s.title_tokens, s.title_mentions, places_, &tagger_.gazetteer());

  core::json::Writer w(article.add_enrichment("entities").json);
  w.begin_array();
  // Bounded output: the first max_items_ in output order (salience order),
  // and the record says how many more there were.
  const std::size_t kept = std::min(entities.size(), max_items_);
  article.note_truncated("entities", entities.size() - kept);
  for (std::size_t i = 0; i < kept; ++i) {
    const Entity& e = entities[i];
    w.begin_object()
        .member("name", e.name)
        .key("type")
        .string_unescaped(ner::type_code(e.type))
        .member("mentions", e.text_mentions)
        .member("in_title", e.in_title)
        .member("salience", e.salience);
    w.key("offsets").begin_array();
    for (const EntityMention& m : e.mentions) {
      if (!m.in_title) w.begin_array().uint64(m.begin).uint64(m.end).end_array();
    }
    w.end_array().key("geo");
    if (e.place < 0) {
      w.null();
    } else {
      const ner::Place& p = places_.place(static_cast<std::uint32_t>(e.place));
      w.begin_object()
          .member("geonameid", p.geonameid)
          .key("kind")
          .string_unescaped(ner::kind_name(p.kind))
          .member("country_code", std::string_view(p.country, 2));
      if (p.has_coordinates) {
        w.member("latitude", p.latitude).member("longitude", p.longitude);
      } else {
        w.member("latitude", nullptr).member("longitude", nullptr);
      }
      w.end_object();
    }
    w.key("source").string_unescaped(model ? "model" : "gazetteer").end_object();
  }
  w.end_array();
  return {};
}

}  // namespace wirefeed::stages
