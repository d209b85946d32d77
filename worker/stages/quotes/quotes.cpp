#include "quotes/quotes.h"

#include <algorithm>
#include <array>

#include "common/lexical.h"
#include "language/language.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using core::TokenKind;
using lexical::token_text;

constexpr std::string_view kOpenCurly = "\xE2\x80\x9C";   // “
constexpr std::string_view kCloseCurly = "\xE2\x80\x9D";  // ”
constexpr std::string_view kOpenGuillemet = "\xC2\xAB";   // «
constexpr std::string_view kCloseGuillemet = "\xC2\xBB";  // »

bool reporting_verb(std::string_view w) {
  static constexpr auto kVerbs = std::to_array<std::string_view>({
      "said",         "says",      "say",       "told",     "tells",     "added",     "adds",
      "asked",        "stated",    "explained", "noted",    "warned",    "wrote",     "writes",
      "announced",    "declared",  "insisted",  "argued",   "claimed",   "replied",   "continued",
      "acknowledged", "admitted",  "recalled",  "tweeted",  "confirmed", "urged",     "stressed",
      "emphasized",   "suggested", "commented", "observed", "concluded", "responded", "conceded",
      "cautioned",    "predicted", "vowed",     "promised", "remarked",  "shouted",   "testified",
  });
  return std::find(kVerbs.begin(), kVerbs.end(), w) != kVerbs.end();
}

bool pronoun(std::string_view w) {
  return w == "he" || w == "she" || w == "they" || w == "him" || w == "her" || w == "them";
}

bool title_word(std::string_view w) {
  static constexpr auto kTitles = std::to_array<std::string_view>({
      "President",     "Vice",         "Prime",
      "Minister",      "Secretary",    "Senator",
      "Sen.",          "Rep.",         "Representative",
      "Gov.",          "Governor",     "Mayor",
      "Mr.",           "Mrs.",         "Ms.",
      "Dr.",           "Prof.",        "Professor",
      "General",       "Gen.",         "Col.",
      "Lt.",           "Chancellor",   "King",
      "Queen",         "Prince",       "Princess",
      "Pope",          "Judge",        "Justice",
      "Chief",         "Executive",    "Officer",
      "CEO",           "Chairman",     "Chairwoman",
      "Speaker",       "Ambassador",   "Commissioner",
      "Director",      "Spokesman",    "Spokeswoman",
      "Sir",           "Dame",         "Lord",
      "Lady",          "Bishop",       "Archbishop",
      "Rev.",          "Father",       "Sheikh",
      "Leader",        "Deputy",       "Foreign",
      "Defense",       "Defence",      "State",
      "Health",        "Interior",     "Finance",
      "Treasury",      "Attorney",     "Coach",
      "Manager",       "Captain",      "Capt.",
      "Sgt.",          "Officer",      "Premier",
      "Prosecutor",    "Detective",    "Inspector",
      "Assemblywoman", "Assemblyman",  "Councillor",
      "Councilman",    "Councilwoman", "Commander",
      "Admiral",       "Broadcaster",
  });
  return std::find(kTitles.begin(), kTitles.end(), w) != kTitles.end();
}

bool capitalized(std::string_view w) { return !w.empty() && w[0] >= 'A' && w[0] <= 'Z'; }

// Name particles that may sit inside a name: "Ursula von der Leyen".
bool particle(std::string_view w) {
  return w == "de" || w == "van" || w == "von" || w == "der" || w == "da" || w == "del" ||
         w == "bin" || w == "al" || w == "la" || w == "le" || w == "du";
}

struct Span {
  std::uint32_t open;   // offset of the opening mark
  std::uint32_t begin;  // first byte inside
  std::uint32_t end;    // one past the last byte inside
  std::uint32_t close;  // one past the closing mark (== end if unterminated)
};

std::vector<Span> quote_spans(std::string_view text) {
  std::vector<Span> spans;
  std::size_t i = 0;
  while (i < text.size()) {
    std::string_view rest = text.substr(i);
    std::string_view close_mark;
    std::size_t open_len = 0;
    if (rest.starts_with(kOpenCurly)) {
      close_mark = kCloseCurly;
      open_len = kOpenCurly.size();
    } else if (rest.starts_with(kOpenGuillemet)) {
      close_mark = kCloseGuillemet;
      open_len = kOpenGuillemet.size();
    } else if (rest[0] == '"') {
      close_mark = "\"";
      open_len = 1;
    } else {
      ++i;
      continue;
    }
    std::size_t begin = i + open_len;
    std::size_t search = begin;
    for (;;) {
      std::size_t close = text.find(close_mark, search);
      std::size_t para = text.find("\n\n", search);
      if (close != std::string_view::npos && (para == std::string_view::npos || close < para)) {
        spans.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(begin),
                         static_cast<std::uint32_t>(close),
                         static_cast<std::uint32_t>(close + close_mark.size())});
        i = close + close_mark.size();
        break;
      }
      // The paragraph ends inside the quote. News style reopens the quote at the
      // next paragraph when the same speaker goes on; otherwise it was a stray mark.
      if (para != std::string_view::npos && close_mark != "\"" &&
          text.substr(para + 2).starts_with(text.substr(i, open_len))) {
        search = para + 2 + open_len;
        continue;
      }
      if (close_mark != "\"" && para != std::string_view::npos) {
        // Unterminated at the paragraph end: the quote is the rest of the paragraph.
        spans.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(begin),
                         static_cast<std::uint32_t>(para), static_cast<std::uint32_t>(para)});
        i = para;
      } else {
        i = begin;
      }
      break;
    }
  }
  return spans;
}

struct Finder {
  std::string_view text;
  const std::vector<core::Token>& tokens;
  const std::vector<core::Sentence>& sentences;
  lexical::LowerTokens lower;
  std::vector<Quote> quotes;

  std::string_view word(std::size_t i) const { return token_text(text, tokens[i]); }

  // First token at or after byte `offset`.
  std::size_t token_at(std::uint32_t offset) const {
    return static_cast<std::size_t>(
        std::lower_bound(tokens.begin(), tokens.end(), offset,
                         [](const core::Token& t, std::uint32_t o) { return t.begin < o; }) -
        tokens.begin());
  }
  const core::Sentence* sentence_of(std::uint32_t offset) const {
    for (const auto& s : sentences) {
      if (offset >= s.begin && offset < s.end) return &s;
    }
    return nullptr;
  }
  bool is_punct(std::size_t i) const { return tokens[i].kind == TokenKind::kPunct; }

  // The speaker noun phrase [first, last] -> mention offsets and the speaker.
  void resolve(std::size_t first, std::size_t last, Quote& q) const {
    while (first <= last && is_punct(first)) ++first;
    while (last > first && is_punct(last)) --last;
    // Adverbs around the verb are not the speaker: "She also", "X reportedly".
    while (last > first &&
           (lower[last] == "also" || lower[last] == "then" || lower[last] == "later" ||
            lower[last] == "again" || lower[last] == "too" || lower[last] == "further" ||
            (lower[last].size() > 4 && lower[last].ends_with("ly")))) {
      --last;
    }
    if (first > last || last - first > 10 || tokens[first].kind != TokenKind::kWord) return;
    // "on Sunday", "to reporters": not a speaker.
    std::string_view lead = lower[first];
    if (lead == "on" || lead == "in" || lead == "at" || lead == "to" || lead == "for" ||
        lead == "with" || lead == "by" || lead == "also" || lead == "reporters" || lead == "if" ||
        lead == "when" || lead == "because" || lead == "while" || lead == "although" ||
        lead == "as" || lead == "after" || lead == "before" || lead == "since" ||
        lead == "though" || lead == "unless" || lead == "until" || lead == "so") {
      return;
    }
    q.mention_begin = tokens[first].begin;
    q.mention_end = tokens[last].end;
    // A pronoun: the nearest earlier speaker.
    if (first == last && pronoun(lower[first])) {
      for (auto it = quotes.rbegin(); it != quotes.rend(); ++it) {
        if (!it->speaker.empty()) {
          q.speaker = it->speaker;
          return;
        }
      }
      return;
    }
    // A name: a run of capitalized words (initials and particles allowed
    // inside) at the end of the phrase, after any title ("State Department
    // spokesman Ned Price", "Secretary of State Antony J. Blinken", "President
    // Biden"); before "of" when the phrase names an affiliation ("Jennifer Lu of
    // the Coalition"). A phrase that starts with a determiner and goes on with a
    // preposition ("a source within the Interior Ministry") is a description.
    auto name_word = [&](std::size_t i) {
      std::string_view w = word(i);
      return tokens[i].kind == TokenKind::kWord && capitalized(w) && !lexical::month_of(w) &&
             lexical::weekday_of(w) < 0;
    };
    auto preposition = [&](std::size_t i) {
      std::string_view l = lower[i];
      return l == "of" || l == "at" || l == "from" || l == "for" || l == "with" || l == "within" ||
             l == "in";
    };
    bool determiner_start = lower[first] == "a" || lower[first] == "an" || lower[first] == "the" ||
                            lower[first] == "some" || lower[first] == "one" ||
                            lower[first] == "another";
    bool has_preposition = false;
    for (std::size_t i = first; i <= last; ++i) has_preposition |= preposition(i);
    std::size_t run_end = last + 1, run_begin = run_end;
    auto run_ending_at = [&](std::size_t end_exclusive) {
      std::size_t b = end_exclusive;
      while (b > first && (name_word(b - 1) || (particle(word(b - 1)) && b < end_exclusive &&
                                                b - 1 > first && name_word(b - 2)))) {
        --b;
      }
      return b;
    };
    auto strip = [&](std::size_t& b, std::size_t e) {
      // Everything up to the last title ("Boeing Executive Vice President Scott
      // Carson"), and the capitalized first word of a sentence ("The", "One").
      for (std::size_t i = e; i-- > b;) {
        if (title_word(word(i))) {
          b = i + 1;
          break;
        }
      }
      while (b < e && (lexical::is_stopword(lower[b]) || lexical::number_word(lower[b]))) ++b;
    };
    if (!(determiner_start && has_preposition)) {
      // First choice: the name before an affiliation ("Xiaogang Wei of the
      // Institute"); then the run that ends the phrase.
      for (std::size_t i = first + 1; i <= last && run_begin == run_end; ++i) {
        if (preposition(i) && name_word(i - 1)) {
          std::size_t b = run_ending_at(i);
          strip(b, i);
          if (b < i) {
            run_begin = b;
            run_end = i;
          }
        }
      }
      if (run_begin == run_end) {
        run_end = last + 1;
        run_begin = run_ending_at(run_end);
        strip(run_begin, run_end);
      }
    }
    if (run_begin < run_end) {
      q.speaker = std::string(
          text.substr(tokens[run_begin].begin, tokens[run_end - 1].end - tokens[run_begin].begin));
      return;
    }
    // A description: "a senior administration official", "the official".
    std::size_t head = last;
    std::size_t start = first;
    bool definite = lower[start] == "the";
    while (start < last && (lower[start] == "a" || lower[start] == "an" || lower[start] == "the" ||
                            lower[start] == "another")) {
      ++start;
    }
    std::string description(
        text.substr(tokens[start].begin, tokens[last].end - tokens[start].begin));
    if (definite) {
      // Its antecedent: the nearest earlier speaker whose mention has this head
      // noun ("a senior administration official" ... "the official").
      std::string_view head_word = lower[head];
      for (auto it = quotes.rbegin(); it != quotes.rend(); ++it) {
        if (it->speaker.empty() || it->mention_end <= it->mention_begin) continue;
        std::string_view mention =
            text.substr(it->mention_begin, it->mention_end - it->mention_begin);
        std::string buf;
        std::string_view low_mention = lexical::lower(mention, buf);
        if (low_mention.find(head_word) != std::string_view::npos) {
          q.speaker = it->speaker;
          return;
        }
      }
    }
    q.speaker = std::move(description);
  }

  // “…,” X said | “…,” said X | “…,” according to X  (tokens after the quote).
  bool after(std::size_t from, std::size_t to, Quote& q) const {
    std::size_t i = from;
    while (i < to && is_punct(i)) ++i;
    for (std::size_t k = i; k < to && k < i + 24; ++k) {
      if (tokens[k].kind != TokenKind::kWord) {
        if (word(k) != ",") break;
        continue;
      }
      if (lower[k] == "according" && k + 1 < to && lower[k + 1] == "to") {
        std::size_t e = k + 2;
        while (e < to && !is_punct(e)) ++e;
        if (e == k + 2) return false;
        q.verb = "according to";
        resolve(k + 2, e - 1, q);
        return true;
      }
      if (!reporting_verb(lower[k])) continue;
      q.verb = reporting_verb_text(k);
      if (k == i) {
        // "said Ned Price, the spokesman": the phrase after the verb, up to a
        // comma or a time or place phrase ("said Kipchoge after the run").
        std::size_t e = k + 1;
        while (e < to && !is_punct(e) &&
               !(e > k + 1 && (lower[e] == "after" || lower[e] == "before" || lower[e] == "on" ||
                               lower[e] == "in" || lower[e] == "at" || lower[e] == "during" ||
                               lower[e] == "when" || lower[e] == "while" || lower[e] == "as" ||
                               lower[e] == "to" || lower[e] == "in"))) {
          ++e;
        }
        if (e == k + 1) return false;
        resolve(k + 1, e - 1, q);
      } else {
        // "a senior administration official, speaking on ..., told": up to the
        // first comma.
        std::size_t e = i;
        while (e < k && word(e) != ",") ++e;
        resolve(i, e - 1, q);
      }
      return true;
    }
    return false;
  }

  // X said “…” | X said that Y “…” | X said: “…”  (tokens before the quote).
  bool before(std::size_t from, std::size_t to, Quote& q) const {
    for (std::size_t k = to; k-- > from;) {
      if (tokens[k].kind != TokenKind::kWord) continue;
      if (lower[k] == "according" && k + 1 < to && lower[k + 1] == "to") {
        std::size_t e = k + 2;
        while (e < to && !is_punct(e)) ++e;
        if (e == k + 2) continue;
        q.verb = "according to";
        resolve(k + 2, e - 1, q);
        return true;
      }
      if (!reporting_verb(lower[k])) continue;
      q.verb = reporting_verb_text(k);
      // The subject: the words before the verb, back to a comma or the start.
      std::size_t s = k;
      while (s > from && word(s - 1) != "," && word(s - 1) != ";" && lower[s - 1] != "and" &&
             lower[s - 1] != "but" && lower[s - 1] != "that") {
        --s;
      }
      if (s == k) return false;
      resolve(s, k - 1, q);
      return true;
    }
    return false;
  }

  std::string_view reporting_verb_text(std::size_t k) const { return word(k); }

  void run() {
    for (const Span& span : quote_spans(text)) {
      std::size_t first_inside = token_at(span.begin), after_inside = token_at(span.end);
      std::size_t words = 0;
      for (std::size_t t = first_inside; t < after_inside; ++t) {
        words += tokens[t].kind == TokenKind::kWord || tokens[t].kind == TokenKind::kNumber;
      }
      if (words < QuotesStage::kMinWords) continue;
      Quote q;
      q.begin = span.begin;
      q.end = span.end;
      // Trim the quote's own surrounding spaces.
      while (q.begin < q.end && text[q.begin] == ' ') ++q.begin;
      q.partial = q.begin < q.end && text[q.begin] >= 'a' && text[q.begin] <= 'z';
      const core::Sentence* open_sentence = sentence_of(span.open);
      const core::Sentence* close_sentence = sentence_of(span.end > 0 ? span.end - 1 : 0);
      bool found = false;
      if (close_sentence) {
        std::size_t from = token_at(span.close);
        std::size_t to = close_sentence->first_token + close_sentence->token_count;
        // Stop at the next quote in the same sentence.
        std::size_t next_open = text.find_first_of("\"\xE2\xC2", span.close);
        if (next_open != std::string_view::npos && next_open < close_sentence->end) {
          to = std::min(to, token_at(static_cast<std::uint32_t>(next_open)));
        }
        if (from < to) found = after(from, to, q);
      }
      if (!found && open_sentence) {
        std::size_t from = open_sentence->first_token, to = token_at(span.open);
        if (from < to) found = before(from, to, q);
      }
      if (!found && !quotes.empty()) {
        // A quote paragraph on its own goes on with the previous speaker.
        bool starts_paragraph = span.open == 0 || text[span.open - 1] == '\n';
        if (starts_paragraph && !quotes.back().speaker.empty()) {
          q.speaker = quotes.back().speaker;
          q.mention_begin = q.mention_end = 0;
        }
      }
      quotes.push_back(std::move(q));
    }
  }
};

}  // namespace

std::vector<Quote> find_quotes(std::string_view text, const std::vector<core::Token>& tokens,
                               const std::vector<core::Sentence>& sentences) {
  Finder f{text, tokens, sentences, lexical::LowerTokens(text, tokens), {}};
  f.run();
  return std::move(f.quotes);
}

core::Status QuotesStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  if (!english_or_unknown(article)) return core::Status::skipped(not_english_reason(article));
  auto quotes = find_quotes(article.text, article.tokens, article.sentences);
  if (quotes.size() > max_items_) {
    article.note_truncated("quotes", quotes.size() - max_items_);
    quotes.resize(max_items_);
  }
  std::string_view text = article.text;
  std::string& out = article.add_enrichment("quotes").json;
  using namespace core::json;
  out += '[';
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    const Quote& q = quotes[i];
    if (i) out += ',';
    out += '{';
    append_span(out, text, q.begin, q.end);
    out += ",\"partial\":";
    out += q.partial ? "true" : "false";
    out += ",\"speaker\":";
    append_string_or_null(out, q.speaker);
    out += ',';
    append_span(out, text, q.mention_begin, q.mention_end, "speaker_mention", "speaker_");
    out += ",\"verb\":";
    append_string_or_null(out, q.verb);
    out += '}';
  }
  out += ']';
  return {};
}

}  // namespace wirefeed::stages
