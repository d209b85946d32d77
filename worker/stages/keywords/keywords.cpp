#include "keywords/keywords.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "common/lexical.h"
#include "common/word_index.h"
#include "language/language.h"
#include "resources/resources.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using core::TokenKind;
using lexical::token_text;

struct TermStats {
  std::uint32_t tf = 0;
  double score = 0;
};

// Words news uses everywhere that carry no topic: time words and reporting
// verbs. They break phrases like stop words do.
bool generic(std::string_view l) {
  static constexpr auto kWords = std::to_array<std::string_view>({
      "yesterday", "today",     "tomorrow", "tonight", "morning",   "afternoon", "evening",
      "night",     "week",      "weeks",    "month",   "months",    "year",      "years",
      "day",       "days",      "time",     "times",   "including", "reported",  "reports",
      "according", "announced", "stated",   "noted",   "asked",     "earlier",   "later",
      "recently",  "currently", "people",   "percent",
  });
  static const lexical::WordIndex kIndex = [] {
    lexical::WordIndex index;
    for (std::string_view word : kWords) index.insert(word);
    return index;
  }();
  return kIndex.contains(l);
}

// A lower-case -ed/-ing/-ly word ends no key phrase: "White House confirmed".
bool verb_like(std::string_view w, std::string_view l) {
  return !(w[0] >= 'A' && w[0] <= 'Z') && l.size() > 4 &&
         (l.ends_with("ed") || l.ends_with("ing") || l.ends_with("ly"));
}

bool acronym(std::string_view w) {
  if (w.size() < 2) return false;
  for (char c : w) {
    if (!((c >= 'A' && c <= 'Z') || c == '.' || c == '&')) return false;
  }
  return true;
}

}  // namespace

KeywordStopWords::KeywordStopWords(std::string_view stopwords, std::string_view dates,
                                   std::string_view amounts) {
  for (std::size_t pos = 0; pos < stopwords.size();) {
    std::size_t end = stopwords.find('\n', pos);
    if (end == std::string_view::npos) end = stopwords.size();
    std::string_view line = stopwords.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (line.find_first_of(" \t") != std::string_view::npos) {
      throw std::runtime_error("stopwords.txt: one word a line, not '" + std::string(line) + "'");
    }
    if (line.size() > 1 && line.front() == '-') {
      verb_suffixes.emplace_back(line.substr(1));
    } else {
      words.emplace(line);
    }
  }
  if (words.empty()) throw std::runtime_error("stopwords.txt: no words");
  // Month, weekday and number words are no keywords either.
  lexical::for_each_tsv_line(dates, [&](const std::vector<std::string_view>& f) {
    if (f.size() >= 2 && (f[0] == "month" || f[0] == "short_month" || f[0] == "weekday")) {
      words.emplace(f[1]);
    }
  });
  lexical::for_each_tsv_line(amounts, [&](const std::vector<std::string_view>& f) {
    if (f.size() >= 2 && (f[0] == "number" || f[0] == "scale")) words.emplace(f[1]);
  });
  for (const std::string& w : words) index_.insert(w);
}

bool KeywordStopWords::verb_like(std::string_view word, std::string_view lower_word) const {
  if (word.empty() || (word[0] >= 'A' && word[0] <= 'Z')) return false;
  for (const auto& suffix : verb_suffixes) {
    if (lower_word.size() > suffix.size() + 2 && lower_word.ends_with(suffix)) return true;
  }
  return false;
}

std::size_t KeywordStopWords::elision(std::string_view lower_word) const {
  const std::size_t at = lower_word.find('\'');
  if (at == std::string_view::npos || at == 0 || at > 5 || at + 2 >= lower_word.size()) return 0;
  return contains(lower_word.substr(0, at + 1)) ? at + 1 : 0;
}

Stemmer::Stemmer(std::string_view code)
    : stemmer_(sb_stemmer_new(std::string(code).c_str(), "UTF_8")) {
  if (stemmer_ == nullptr) {
    throw std::runtime_error("libstemmer has no stemmer for '" + std::string(code) + "'");
  }
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string_view Stemmer::keep(std::string_view bytes) {
  constexpr std::size_t kChunk = 1 << 16;
  if (chunks_.empty() || chunk_used_ + bytes.size() > kChunk) {
    chunks_.push_back(std::make_unique<char[]>(std::max(kChunk, bytes.size())));
    chunk_used_ = 0;
  }
  char* at = chunks_.back().get() + chunk_used_;
  std::copy(bytes.begin(), bytes.end(), at);
  chunk_used_ += bytes.size();
  return {at, bytes.size()};
}

std::string_view Stemmer::stem(std::string_view lower_word) {
  if (auto it = cache_.find(lower_word); it != cache_.end()) return it->second;
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(lower_word.data()),
                      static_cast<int>(lower_word.size()));
  if (out == nullptr) return lower_word;  // out of memory: the word itself
  const std::string_view stem(reinterpret_cast<const char*>(out),
                              static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
  if (cache_.size() >= kMaxCached) {
    cache_.clear();
    chunks_.clear();
    chunk_used_ = 0;
  }
  const std::string_view word = keep(lower_word);
  const std::string_view kept = keep(stem);
  cache_.emplace(word, kept);
  return kept;
}

std::vector<Keyword> extract_keywords(std::string_view text, const std::vector<core::Token>& tokens,
                                      const std::vector<core::Sentence>& sentences, std::size_t top,
                                      const KeywordStopWords* stop, Stemmer* stemmer,
                                      std::string_view lower_text) {
  // Every word gets an id (lower-cased); candidates may be part of a keyword.
  lexical::LowerTokens lower = lexical::LowerTokens::of(text, tokens, lower_text);
  constexpr std::uint32_t kNone = UINT32_MAX;
  // Word -> id in open-addressing tables: one allocation each, no nodes. With
  // a stemmer, a second table maps each distinct word's stem to its term id.
  std::size_t capacity = 64;
  while (capacity < tokens.size() * 2) capacity <<= 1;
  using Table = std::vector<std::pair<std::string_view, std::uint32_t>>;
  Table table(capacity, {{}, kNone});
  Table stem_table(stemmer ? capacity : 0, {{}, kNone});
  auto intern = [&](Table& t, std::string_view w, std::uint32_t next) {
    std::size_t h = lexical::word_hash(w) & (capacity - 1);
    while (t[h].second != kNone && t[h].first != w) h = (h + 1) & (capacity - 1);
    if (t[h].second == kNone) t[h] = {w, next};
    return t[h].second;
  };
  // The stems, in one buffer that never reallocates (a stem is never longer
  // than its word, and each distinct word is stemmed once).
  std::string stems;
  if (stemmer) stems.reserve(text.size() + 1);
  std::vector<std::uint32_t> id_of(tokens.size(), kNone);
  std::vector<char> candidate(tokens.size(), 0);
  std::vector<std::string_view> names;  // id -> lower-case word (the first with its stem)
  std::vector<char> content_word;       // id -> not a stop, number or generic word
  std::vector<std::uint32_t> term_of;   // distinct word -> term id (with a stemmer)
  // Bytes of an elided article before the word ("l'", "dell'"): not part of it.
  std::vector<std::uint8_t> skip(stop ? tokens.size() : 0, 0);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::kWord) continue;
    std::string_view l = lower[i];
    if (stop) {
      skip[i] = static_cast<std::uint8_t>(stop->elision(l));
      l.remove_prefix(skip[i]);
    }
    std::uint32_t id;
    if (stemmer == nullptr) {
      id = intern(table, l, static_cast<std::uint32_t>(names.size()));
      if (id == names.size()) {
        // Word lists are checked once per distinct word, not per token.
        names.push_back(l);
        content_word.push_back(l.size() > 1 &&
                               (stop ? !stop->contains(l)
                                     : !lexical::is_stopword(l) && !lexical::number_word(l) &&
                                           !generic(l) && l != "'s" && l != "\xE2\x80\x99s"));
      }
    } else {
      const std::uint32_t word = intern(table, l, static_cast<std::uint32_t>(term_of.size()));
      if (word == term_of.size()) {
        std::string_view st = stemmer->stem(l);
        if (stems.size() + st.size() > stems.capacity()) st = l;  // cannot happen; stay safe
        const std::size_t at = stems.size();
        stems.append(st);
        st = std::string_view(stems).substr(at, st.size());
        std::uint32_t term = intern(stem_table, st, static_cast<std::uint32_t>(names.size()));
        if (term == names.size()) {
          names.push_back(l);
          content_word.push_back(0);
        }
        // A term is content when any of its words is ("aviones" though "avión"
        // were a stop word).
        content_word[term] |= l.size() > 1 && !stop->contains(l);
        term_of.push_back(term);
      }
      id = term_of[word];
    }
    id_of[i] = id;
    if (!content_word[id]) continue;
    // Month and weekday names depend on the capital ("May" is a month, "may" a verb).
    std::string_view w = token_text(text, tokens[i]);
    candidate[i] = stop != nullptr || !(w[0] >= 'A' && w[0] <= 'Z') ||
                   (!lexical::month_of(w) && lexical::weekday_of(w) < 0);
  }

  // One flat record per candidate occurrence, grouped by term with one sort:
  // no per-term containers (they made this stage allocation-bound).
  struct Occurrence {
    std::uint32_t term, sentence, left, right;
    bool upper, acronym;
  };
  std::vector<Occurrence> occurrences;
  std::uint32_t sentence_id = 0;
  for (const auto& s : sentences) {
    std::uint32_t end = s.first_token + s.token_count;
    for (std::uint32_t i = s.first_token; i < end; ++i) {
      if (!candidate[i]) continue;
      std::string_view w = token_text(text, tokens[i]);
      bool is_acronym = acronym(w);
      // Co-occurrence with the adjacent words of the sentence (window 1).
      occurrences.push_back({id_of[i], sentence_id, i > s.first_token ? id_of[i - 1] : kNone,
                             i + 1 < end ? id_of[i + 1] : kNone,
                             !is_acronym && w[0] >= 'A' && w[0] <= 'Z' && i != s.first_token,
                             is_acronym});
    }
    ++sentence_id;
  }
  if (occurrences.empty()) return {};
  // Grouped by term with a counting sort: the occurrences were made in
  // sentence order, and a stable placement by term keeps that order inside
  // each group (what the statistics below read).
  {
    std::vector<std::uint32_t> place(names.size() + 1, 0);
    for (const Occurrence& o : occurrences) ++place[o.term + 1];
    for (std::size_t t = 1; t < place.size(); ++t) place[t] += place[t - 1];
    std::vector<Occurrence> grouped(occurrences.size());
    for (const Occurrence& o : occurrences) grouped[place[o.term]++] = o;
    occurrences.swap(grouped);
  }

  std::vector<TermStats> terms(names.size());
  std::size_t candidate_terms = 0;
  double mean = 0, max_tf = 0;
  std::vector<std::uint32_t> neighbours;
  auto distinct = [&neighbours]() {
    std::sort(neighbours.begin(), neighbours.end());
    return static_cast<double>(std::unique(neighbours.begin(), neighbours.end()) -
                               neighbours.begin());
  };
  struct Features {
    double casing, position, wl, wr, spread;
  };
  std::vector<Features> features(names.size());
  const double n_sentences = std::max<double>(1, sentences.size());
  for (std::size_t g = 0; g < occurrences.size();) {
    std::size_t e = g;
    while (e < occurrences.size() && occurrences[e].term == occurrences[g].term) ++e;
    TermStats& t = terms[occurrences[g].term];
    Features& f = features[occurrences[g].term];
    t.tf = static_cast<std::uint32_t>(e - g);
    std::uint32_t upper = 0, acronyms = 0, spread = 0;
    for (std::size_t k = g; k < e; ++k) {
      upper += occurrences[k].upper;
      acronyms += occurrences[k].acronym;
      spread += k == g || occurrences[k].sentence != occurrences[k - 1].sentence;
    }
    std::size_t n = e - g;
    double median =
        n % 2 ? occurrences[g + n / 2].sentence
              : (occurrences[g + n / 2 - 1].sentence + occurrences[g + n / 2].sentence) / 2.0;
    f.casing = std::max(upper, acronyms) / (1.0 + std::log(static_cast<double>(t.tf)));
    f.position = std::log(std::log(3.0 + median));
    f.spread = spread / n_sentences;
    neighbours.clear();
    for (std::size_t k = g; k < e; ++k) {
      if (occurrences[k].left != kNone) neighbours.push_back(occurrences[k].left);
    }
    std::size_t left_total = neighbours.size();
    f.wl = left_total ? distinct() / left_total : 0;
    neighbours.clear();
    for (std::size_t k = g; k < e; ++k) {
      if (occurrences[k].right != kNone) neighbours.push_back(occurrences[k].right);
    }
    std::size_t right_total = neighbours.size();
    f.wr = right_total ? distinct() / right_total : 0;
    ++candidate_terms;
    mean += t.tf;
    max_tf = std::max<double>(max_tf, t.tf);
    g = e;
  }
  mean /= static_cast<double>(candidate_terms);
  double var = 0;
  for (const auto& t : terms) {
    if (t.tf) var += (t.tf - mean) * (t.tf - mean);
  }
  double stdev = std::sqrt(var / static_cast<double>(candidate_terms));
  for (std::size_t id = 0; id < terms.size(); ++id) {
    TermStats& t = terms[id];
    if (t.tf == 0) continue;
    const Features& f = features[id];
    double tf = t.tf;
    double frequency = tf / (mean + stdev);
    double relatedness = 1.0 + (f.wl + f.wr) * (tf / max_tf);
    t.score =
        (relatedness * f.position) / (f.casing + frequency / relatedness + f.spread / relatedness);
  }

  // Candidate phrases: 1-3 candidate words in a row inside one sentence, keyed
  // by their word ids.
  struct Phrase {
    std::uint32_t first_begin = 0, first_end = 0, count = 0, size = 0;
    std::array<std::uint32_t, 3> words{};
    std::size_t last_token = 0;
  };
  // Each distinct phrase once, in the order of first occurrence, found again
  // through an open-addressing table of phrase keys (key 0 marks a free slot;
  // a key is never 0, its first word's id + 1 is in the low bits).
  std::vector<Phrase> phrases;
  std::size_t slots = 64;
  while (slots < occurrences.size() * 6) slots <<= 1;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> phrase_of(slots, {0, 0});
  for (const auto& s : sentences) {
    std::uint32_t end = s.first_token + s.token_count;
    for (std::uint32_t i = s.first_token; i < end; ++i) {
      if (!candidate[i]) continue;
      std::uint64_t key = 0;
      for (std::uint32_t n = 0; n < 3 && i + n < end && candidate[i + n]; ++n) {
        key |= (static_cast<std::uint64_t>(id_of[i + n]) + 1) << (21 * n);
        std::size_t h = (key * 0x9E3779B97F4A7C15ull) >> 20 & (slots - 1);
        while (phrase_of[h].first != 0 && phrase_of[h].first != key) h = (h + 1) & (slots - 1);
        if (phrase_of[h].first == key) {
          ++phrases[phrase_of[h].second].count;
          continue;
        }
        phrase_of[h] = {key, static_cast<std::uint32_t>(phrases.size())};
        Phrase p;
        p.first_begin = tokens[i].begin + (stop ? skip[i] : 0);
        p.first_end = tokens[i + n].end;
        p.count = 1;
        p.size = n + 1;
        p.last_token = i + n;
        for (std::uint32_t k = 0; k <= n; ++k) p.words[k] = id_of[i + k];
        phrases.push_back(p);
      }
    }
  }
  std::vector<std::pair<const Phrase*, double>> ranked;
  ranked.reserve(phrases.size());
  for (const auto& p : phrases) {
    std::string_view last = token_text(text, tokens[p.last_token]);
    if (stop == nullptr ? verb_like(last, names[p.words[p.size - 1]])
                        : stop->verb_like(last, names[p.words[p.size - 1]])) {
      continue;
    }
    double product = 1, sum = 0;
    for (std::uint32_t k = 0; k < p.size; ++k) {
      double sc = terms[p.words[k]].score;
      product *= sc;
      sum += sc;
    }
    ranked.emplace_back(&p, product / (p.count * (1.0 + sum)));
  }
  // Best first: lower score, then earlier, then shorter (two phrases with the
  // same first occurrence differ in length), a total order. Only as many are
  // sorted as the choice below reads, a batch at a time.
  auto better = [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second < b.second;
    if (a.first->first_begin != b.first->first_begin)
      return a.first->first_begin < b.first->first_begin;
    return a.first->size < b.first->size;
  };
  std::size_t sorted = 0;
  auto sort_more = [&] {
    const std::size_t upto = std::min(ranked.size(), std::max(2 * sorted, 4 * top + 16));
    std::partial_sort(ranked.begin() + static_cast<std::ptrdiff_t>(sorted),
                      ranked.begin() + static_cast<std::ptrdiff_t>(upto), ranked.end(), better);
    sorted = upto;
  };
  std::vector<const Phrase*> chosen;
  std::vector<Keyword> scored;
  auto holds = [](const Phrase* p, std::uint32_t w) {
    return std::find(p->words.begin(), p->words.begin() + p->size, w) != p->words.begin() + p->size;
  };
  for (std::size_t r = 0; r < ranked.size() && chosen.size() < top; ++r) {
    if (r == sorted) sort_more();
    const auto& [p, score] = ranked[r];
    // Redundant: every word already inside a better phrase, a better phrase
    // entirely inside this one ("Russian troops" vs "Russian"), or an overlap
    // of two words ("United States Congress", "116th United States").
    bool redundant = false;
    for (const Phrase* c : chosen) {
      std::size_t shared = 0;
      for (std::uint32_t k = 0; k < p->size; ++k) shared += holds(c, p->words[k]);
      if (shared == p->size || shared == c->size || shared >= 2) {
        redundant = true;
        break;
      }
    }
    if (redundant) continue;
    chosen.push_back(p);
    scored.push_back({std::string(text.substr(p->first_begin, p->first_end - p->first_begin)),
                      std::round(score * 1e6) / 1e6, p->count});
  }
  return scored;
}

namespace {

// One stemmer per language with stop words, per pipeline thread.
class KeywordsScratch final : public core::Scratch {
 public:
  explicit KeywordsScratch(const std::vector<std::string_view>& codes) {
    for (std::string_view code : codes) {
      // A language libstemmer does not know gets keywords without stemming.
      if (sb_stemmer* probe = sb_stemmer_new(std::string(code).c_str(), "UTF_8")) {
        sb_stemmer_delete(probe);
        stemmers_.emplace(std::string(code), std::make_unique<Stemmer>(code));
      }
    }
  }
  Stemmer* find(std::string_view code) {
    auto it = stemmers_.find(code);
    return it == stemmers_.end() ? nullptr : it->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<Stemmer>, std::less<>> stemmers_;
};

}  // namespace

KeywordsStage::KeywordsStage(std::size_t top)
    : top_(top), stop_("stopwords.txt", [](std::string_view code, std::string_view file) {
        const std::string dir = "lang/" + std::string(code) + "/";
        return KeywordStopWords(file, resources::find(dir + "dates.tsv"),
                                resources::find(dir + "amounts.tsv"));
      }) {}

std::unique_ptr<core::Scratch> KeywordsStage::new_scratch() const {
  return std::make_unique<KeywordsScratch>(stop_.codes());
}

core::Status KeywordsStage::process(core::Article& article, core::Scratch& scratch) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  std::vector<Keyword> keywords;
  if (english_or_unknown(article)) {
    keywords = extract_keywords(article.text, article.tokens, article.sentences, top_, nullptr,
                                nullptr, article.lower_text);
  } else {
    const std::string_view language = core::content_language(article);
    const KeywordStopWords* stop = stop_.find(language);
    if (stop == nullptr) return core::Status::skipped(not_english_reason(article));
    // A caller without this stage's Scratch (a test) gets stemmers of its own.
    auto* own = dynamic_cast<KeywordsScratch*>(&scratch);
    std::unique_ptr<KeywordsScratch> local;
    if (own == nullptr) {
      local = std::make_unique<KeywordsScratch>(stop_.codes());
      own = local.get();
    }
    keywords = extract_keywords(article.text, article.tokens, article.sentences, top_, stop,
                                own->find(language), article.lower_text);
  }
  core::json::Writer w(article.add_enrichment("keywords").json);
  w.begin_array();
  for (const Keyword& k : keywords) {
    w.begin_object()
        .member("phrase", k.phrase)
        .member("score", k.score)
        .member("count", k.count)
        .end_object();
  }
  w.end_array();
  return {};
}

}  // namespace wirefeed::stages
