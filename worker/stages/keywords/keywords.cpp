#include "keywords/keywords.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "common/lexical.h"
#include "language/language.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using core::TokenKind;
using lexical::token_text;

struct TermStats {
  std::uint32_t tf = 0, upper = 0, acronym = 0;
  std::vector<std::uint32_t> sentence_ids;  // one entry per occurrence
  std::set<std::string_view> left, right;   // distinct neighbours
  std::uint32_t left_total = 0, right_total = 0;
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
  return std::find(kWords.begin(), kWords.end(), l) != kWords.end();
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

double median(std::vector<std::uint32_t> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

}  // namespace

std::vector<Keyword> extract_keywords(std::string_view text, const std::vector<core::Token>& tokens,
                                      const std::vector<core::Sentence>& sentences,
                                      std::size_t top) {
  // Per token: its lower-case form, and whether it may be part of a keyword.
  std::vector<std::string> lower(tokens.size());
  std::vector<char> candidate(tokens.size(), 0), stop(tokens.size(), 0);
  std::string buf;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string_view w = token_text(text, tokens[i]);
    lower[i] = std::string(lexical::lower(w, buf));
    // Possessive 's and curly apostrophes split off by the segmenter are glue.
    bool word = tokens[i].kind == TokenKind::kWord && lower[i].size() > 1;
    stop[i] = !word || lexical::is_stopword(lower[i]);
    candidate[i] = word && !stop[i] && !lexical::month_of(w) && lexical::weekday_of(w) < 0 &&
                   !lexical::number_word(lower[i]) && !generic(lower[i]) && lower[i] != "'s" &&
                   lower[i] != "\xE2\x80\x99s";
  }

  std::unordered_map<std::string_view, TermStats> terms;
  std::uint32_t sentence_id = 0;
  for (const auto& s : sentences) {
    std::uint32_t end = s.first_token + s.token_count;
    for (std::uint32_t i = s.first_token; i < end; ++i) {
      if (!candidate[i]) continue;
      TermStats& t = terms[lower[i]];
      ++t.tf;
      std::string_view w = token_text(text, tokens[i]);
      if (acronym(w)) {
        ++t.acronym;
      } else if (w[0] >= 'A' && w[0] <= 'Z' && i != s.first_token) {
        ++t.upper;
      }
      t.sentence_ids.push_back(sentence_id);
      // Co-occurrence with the adjacent words of the sentence (window 1).
      if (i > s.first_token && tokens[i - 1].kind == TokenKind::kWord) {
        t.left.insert(lower[i - 1]);
        ++t.left_total;
      }
      if (i + 1 < end && tokens[i + 1].kind == TokenKind::kWord) {
        t.right.insert(lower[i + 1]);
        ++t.right_total;
      }
    }
    ++sentence_id;
  }
  if (terms.empty()) return {};

  double mean = 0, max_tf = 0;
  for (const auto& [w, t] : terms) {
    mean += t.tf;
    max_tf = std::max<double>(max_tf, t.tf);
  }
  mean /= static_cast<double>(terms.size());
  double var = 0;
  for (const auto& [w, t] : terms) var += (t.tf - mean) * (t.tf - mean);
  double stdev = std::sqrt(var / static_cast<double>(terms.size()));
  const double n_sentences = std::max<double>(1, sentences.size());
  for (auto& [w, t] : terms) {
    double tf = t.tf;
    double casing = std::max(t.upper, t.acronym) / (1.0 + std::log(tf));
    double position = std::log(std::log(3.0 + median(t.sentence_ids)));
    double frequency = tf / (mean + stdev);
    double wl = t.left_total ? static_cast<double>(t.left.size()) / t.left_total : 0;
    double wr = t.right_total ? static_cast<double>(t.right.size()) / t.right_total : 0;
    double relatedness = 1.0 + (wl + wr) * (tf / max_tf);
    std::set<std::uint32_t> distinct(t.sentence_ids.begin(), t.sentence_ids.end());
    double spread = static_cast<double>(distinct.size()) / n_sentences;
    t.score = (relatedness * position) / (casing + frequency / relatedness + spread / relatedness);
  }

  // Candidate phrases: 1-3 candidate words in a row inside one sentence.
  struct Phrase {
    std::string key;  // lower-case words joined by spaces
    std::uint32_t first_begin = 0, first_end = 0, count = 0;
    std::vector<std::string_view> words;
  };
  std::map<std::string, Phrase> phrases;
  for (const auto& s : sentences) {
    std::uint32_t end = s.first_token + s.token_count;
    for (std::uint32_t i = s.first_token; i < end; ++i) {
      if (!candidate[i]) continue;
      std::string key;
      for (std::uint32_t n = 0; n < 3 && i + n < end && candidate[i + n]; ++n) {
        if (n) key += ' ';
        key += lower[i + n];
        Phrase& p = phrases[key];
        if (p.count++ == 0) {
          p.key = key;
          p.first_begin = tokens[i].begin;
          p.first_end = tokens[i + n].end;
          for (std::uint32_t k = 0; k <= n; ++k) p.words.push_back(lower[i + k]);
        }
      }
    }
  }
  std::vector<Keyword> scored;
  std::vector<std::pair<const Phrase*, double>> ranked;
  for (const auto& [key, p] : phrases) {
    std::string_view last_surface = text.substr(p.first_begin, p.first_end - p.first_begin);
    last_surface = last_surface.substr(last_surface.rfind(' ') + 1);
    if (verb_like(last_surface, p.words.back())) continue;
    double product = 1, sum = 0;
    for (auto w : p.words) {
      double s = terms.at(w).score;
      product *= s;
      sum += s;
    }
    ranked.emplace_back(&p, product / (p.count * (1.0 + sum)));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second < b.second;
    return a.first->first_begin < b.first->first_begin;
  });
  std::vector<const Phrase*> chosen;
  for (const auto& [p, score] : ranked) {
    if (chosen.size() == top) break;
    // Redundant: every word already inside a better phrase, or a better phrase
    // entirely inside this one ("Russian troops" vs "Russian").
    bool redundant = false;
    for (const Phrase* c : chosen) {
      bool all_inside = std::all_of(p->words.begin(), p->words.end(), [&](std::string_view w) {
        return std::find(c->words.begin(), c->words.end(), w) != c->words.end();
      });
      bool contains = std::all_of(c->words.begin(), c->words.end(), [&](std::string_view w) {
        return std::find(p->words.begin(), p->words.end(), w) != p->words.end();
      });
      std::size_t shared = std::count_if(p->words.begin(), p->words.end(), [&](std::string_view w) {
        return std::find(c->words.begin(), c->words.end(), w) != c->words.end();
      });
      // Or overlapping by two words: "United States Congress", "116th United States".
      if (all_inside || contains || shared >= 2) {
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

core::Status KeywordsStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  if (!english_or_unknown(article)) return core::Status::skipped(not_english_reason(article));
  auto keywords = extract_keywords(article.text, article.tokens, article.sentences, kTop);
  std::string& out = article.add_enrichment("keywords").json;
  using namespace core::json;
  out += '[';
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    if (i) out += ',';
    out += "{\"phrase\":";
    append_string(out, keywords[i].phrase);
    out += ",\"score\":";
    append_double(out, keywords[i].score);
    out += ",\"count\":";
    append_uint(out, keywords[i].count);
    out += '}';
  }
  out += ']';
  return {};
}

}  // namespace wirefeed::stages
