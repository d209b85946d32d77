#include "quotes/quotes.h"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include "common/lexical.h"
#include "language/language.h"
#include "resources/resources.h"
#include "wirefeed/core/json_writer.h"

namespace wirefeed::stages {

namespace {

using core::TokenKind;
using lexical::token_text;

// A capital first letter: ASCII or Latin-1 (U+00C0..U+00DE, C3 80..C3 9E: "Álvaro").
bool capitalized(std::string_view w) {
  if (w.empty()) return false;
  if (w[0] >= 'A' && w[0] <= 'Z') return true;
  const auto d = w.size() > 1 ? static_cast<unsigned char>(w[1]) : 0;
  return static_cast<unsigned char>(w[0]) == 0xC3 && d >= 0x80 && d <= 0x9E && d != 0x97;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }
bool is_letter_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
}

struct Span {
  std::uint32_t open;   // offset of the opening mark
  std::uint32_t begin;  // first byte inside
  std::uint32_t end;    // one past the last byte inside
  std::uint32_t close;  // one past the closing mark (== end if unterminated)
};

// An opening straight single quote starts a word after a space ('…'); an
// apostrophe inside or after a word ("l'accordo", "Airbus'") is none.
// Nor is the apostrophe of Dutch "'s" and "'t" ("auto 's", "'s avonds").
bool single_opens(std::string_view text, std::size_t i) {
  if (!((i == 0 || is_space(text[i - 1]) || text[i - 1] == '(') && i + 1 < text.size() &&
        is_letter_byte(text[i + 1]))) {
    return false;
  }
  const bool clitic = (text[i + 1] == 's' || text[i + 1] == 't') &&
                      (i + 2 >= text.size() || !is_letter_byte(text[i + 2]));
  return !clitic;
}
bool single_closes(std::string_view text, std::size_t i) {
  return i > 0 && !is_space(text[i - 1]) && (i + 1 >= text.size() || !is_letter_byte(text[i + 1]));
}

// The next `mark` at or after `from` that can close a quote.
std::size_t find_close(std::string_view text, std::string_view mark, std::size_t from) {
  for (std::size_t at = text.find(mark, from); at != std::string_view::npos;
       at = text.find(mark, at + 1)) {
    if (mark != "'" || single_closes(text, at)) return at;
  }
  return std::string_view::npos;
}

std::vector<Span> quote_spans(std::string_view text, const QuoteWords& words) {
  std::vector<Span> spans;
  // The first paragraph break at or after a position, remembered: without
  // breaks (one-paragraph text) every quote would search to the end again.
  std::size_t para_from = std::string_view::npos, para_at = std::string_view::npos;
  const auto next_para = [&](std::size_t from) {
    if (para_from == std::string_view::npos || from < para_from ||
        (para_at != std::string_view::npos && from > para_at)) {
      para_from = from;
      para_at = text.find("\n\n", from);
    }
    return para_at;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!words.opens[static_cast<unsigned char>(text[i])]) {
      ++i;
      continue;
    }
    std::string_view rest = text.substr(i);
    std::string_view open_mark;
    for (const auto& m : words.marks) {
      if (rest.starts_with(m.open)) {
        open_mark = m.open;
        break;
      }
    }
    if (open_mark.empty() || (open_mark == "'" && !single_opens(text, i))) {
      ++i;
      continue;
    }
    // A symmetric mark (" or ') cannot tell an opening from a closing one, so a
    // quote with it never runs over a paragraph break.
    bool symmetric = false;
    for (const auto& m : words.marks) symmetric |= m.open == open_mark && m.close == open_mark;
    const std::size_t open_len = open_mark.size();
    std::size_t begin = i + open_len;
    std::size_t search = begin;
    for (;;) {
      std::size_t close = std::string_view::npos, close_len = 0;
      for (const auto& m : words.marks) {
        if (m.open != open_mark) continue;
        std::size_t at = find_close(text, m.close, search);
        if (at < close) {
          close = at;
          close_len = m.close.size();
        }
      }
      std::size_t para = next_para(search);
      if (close != std::string_view::npos && (para == std::string_view::npos || close < para)) {
        spans.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(begin),
                         static_cast<std::uint32_t>(close),
                         static_cast<std::uint32_t>(close + close_len)});
        i = close + close_len;
        break;
      }
      // The paragraph ends inside the quote. News style reopens the quote at the
      // next paragraph when the same speaker goes on; otherwise it was a stray mark.
      if (para != std::string_view::npos && !symmetric &&
          text.substr(para + 2).starts_with(open_mark)) {
        search = para + 2 + open_len;
        continue;
      }
      if (!symmetric && para != std::string_view::npos) {
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
  const QuoteWords& w;
  lexical::LowerTokens lower;
  std::vector<Quote> quotes;

  std::string_view word(std::size_t i) const { return token_text(text, tokens[i]); }
  bool in(const WordSet& set, std::size_t i) const { return set.contains(lower[i]); }

  // First token at or after byte `offset`.
  std::size_t token_at(std::uint32_t offset) const {
    return static_cast<std::size_t>(
        std::lower_bound(tokens.begin(), tokens.end(), offset,
                         [](const core::Token& t, std::uint32_t o) { return t.begin < o; }) -
        tokens.begin());
  }
  const core::Sentence* sentence_of(std::uint32_t offset) const {
    // Sentences are in text order: the last one starting at or before offset.
    auto it =
        std::upper_bound(sentences.begin(), sentences.end(), offset,
                         [](std::uint32_t o, const core::Sentence& s) { return o < s.begin; });
    if (it == sentences.begin()) return nullptr;
    --it;
    return offset < it->end ? &*it : nullptr;
  }
  bool is_punct(std::size_t i) const { return tokens[i].kind == TokenKind::kPunct; }
  bool stopword(std::size_t i) const {
    return w.english ? lexical::is_stopword(lower[i]) || lexical::number_word(lower[i]).has_value()
                     : w.stopwords.contains(lower[i]);
  }
  bool adverb(std::size_t i) const {
    std::string_view l = lower[i];
    return w.adverbs.contains(l) ||
           (!w.adverb_suffix.empty() && l.size() > w.adverb_suffix.size() + 2 &&
            l.ends_with(w.adverb_suffix));
  }
  // The words of an "according to" phrase starting at token k (0 if none).
  // The phrase as the data writes it ("according to") is the verb.
  std::string_view according_text(std::size_t k, std::size_t n) const {
    for (const auto& phrase : w.according) {
      if (phrase.words.size() == n && phrase.words[0] == lower[k]) return phrase.text;
    }
    return {};
  }
  std::size_t according_at(std::size_t k, std::size_t to) const {
    for (const auto& phrase : w.according) {
      std::size_t n = 0;
      while (n < phrase.words.size() && k + n < to && lower[k + n] == phrase.words[n]) ++n;
      if (n == phrase.words.size()) return n;
    }
    return 0;
  }
  // The nearest earlier speaker, for a pronoun or a verb without a subject at
  // token `at`: a name that is the subject of a reporting verb after the last
  // attributed quote ("Henderson stated that ... . He said, “…”"), else that
  // quote's speaker.
  bool previous_speaker(Quote& q, std::size_t at) const {
    std::uint32_t since = 0;
    for (auto it = quotes.rbegin(); it != quotes.rend(); ++it) {
      if (!it->speaker.empty()) {
        since = it->end;
        break;
      }
    }
    auto name_word = [&](std::size_t i) {
      return tokens[i].begin >= since && tokens[i].kind == TokenKind::kWord &&
             capitalized(word(i)) && !in(w.pronouns, i) && !stopword(i) && !in(w.titles, i) &&
             !in(w.determiners, i) && !in(w.definites, i);
    };
    const std::size_t stop = at > 80 ? at - 80 : 0;
    for (std::size_t k = at; k-- > stop + 1 && tokens[k].begin >= since;) {
      if (!in(w.verbs, k)) continue;
      std::size_t b = k;
      while (b > stop && in(w.auxiliaries, b - 1)) --b;
      // "Alan Mulally, the chief executive, commented": the name before the
      // apposition.
      if (b > stop + 2 && word(b - 1) == ",") {
        std::size_t c = b - 2;
        while (c > stop && c + 10 > b && word(c) != ",") --c;
        if (word(c) == ",") b = c;
      }
      std::size_t n = b;
      while (n > stop && name_word(n - 1)) --n;
      if (n < b && b - n <= 4) {
        q.speaker = std::string(text.substr(tokens[n].begin, tokens[b - 1].end - tokens[n].begin));
        return true;
      }
    }
    for (auto it = quotes.rbegin(); it != quotes.rend(); ++it) {
      if (!it->speaker.empty()) {
        q.speaker = it->speaker;
        return true;
      }
    }
    return false;
  }

  // What a speaker phrase turned out to be.
  enum class Found { kNothing, kPronoun, kName, kDescription, kBareDescription };

  // The speaker noun phrase [first, last] -> mention offsets and the speaker.
  // A description without a determiner is kBareDescription ("Più volte",
  // "Rivolgendosi al pubblico"): in a language that drops subjects, a fronted
  // phrase rather than a speaker.
  Found resolve(std::size_t first, std::size_t last, Quote& q) const {
    while (first <= last && is_punct(first)) ++first;
    while (last > first && is_punct(last)) --last;
    // Adverbs around the verb are not the speaker: "She also", "X reportedly".
    while (last > first && adverb(last)) --last;
    if (first > last || last - first > 10 || tokens[first].kind != TokenKind::kWord) {
      return Found::kNothing;
    }
    // A pronoun next to the verb after a fronted phrase is the subject:
    // "Speaking to the public he said", "Regarding the process he said".
    if (first < last && in(w.pronouns, last) && !in(w.prepositions, last - 1)) first = last;
    // "on Sunday", "to reporters": not a speaker.
    if (in(w.not_subject, first)) return Found::kNothing;
    q.mention_begin = tokens[first].begin;
    q.mention_end = tokens[last].end;
    // A pronoun: the nearest earlier speaker.
    if (first == last && in(w.pronouns, first)) {
      previous_speaker(q, first);
      return Found::kPronoun;
    }
    // A name: a run of capitalized words (initials and particles allowed
    // inside) at the end of the phrase, after any title ("State Department
    // spokesman Ned Price", "Secretary of State Antony J. Blinken", "President
    // Biden"); before "of" when the phrase names an affiliation ("Jennifer Lu of
    // the Coalition"). A phrase that starts with a determiner and goes on with a
    // preposition ("a source within the Interior Ministry") is a description.
    auto name_word = [&](std::size_t i) {
      std::string_view t = word(i);
      return tokens[i].kind == TokenKind::kWord && capitalized(t) &&
             (!w.english || (!lexical::month_of(t) && lexical::weekday_of(t) < 0));
    };
    bool determiner_start = in(w.determiners, first) || in(w.definites, first);
    bool has_preposition = false;
    for (std::size_t i = first; i <= last; ++i) has_preposition |= in(w.prepositions, i);
    std::size_t run_end = last + 1, run_begin = run_end;
    auto run_ending_at = [&](std::size_t end_exclusive) {
      std::size_t b = end_exclusive;
      while (b > first && (name_word(b - 1) || (in(w.particles, b - 1) && b < end_exclusive &&
                                                b - 1 > first && name_word(b - 2)))) {
        --b;
      }
      return b;
    };
    auto strip = [&](std::size_t& b, std::size_t e) {
      // Everything up to the last title ("Boeing Executive Vice President Scott
      // Carson"), and the capitalized first word of a sentence ("The", "One").
      for (std::size_t i = e; i-- > b;) {
        if (in(w.titles, i)) {
          b = i + 1;
          break;
        }
      }
      while (b < e && (stopword(b) || in(w.determiners, b) || in(w.definites, b))) ++b;
    };
    if (!(determiner_start && has_preposition)) {
      // First choice: the name before an affiliation ("Xiaogang Wei of the
      // Institute"); then the run that ends the phrase.
      for (std::size_t i = first + 1; i <= last && run_begin == run_end; ++i) {
        if (in(w.prepositions, i) && name_word(i - 1)) {
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
      return Found::kName;
    }
    // A description: "a senior administration official", "the official".
    std::size_t head = last;
    std::size_t start = first;
    bool definite = in(w.definites, start);
    while (start < last && (in(w.determiners, start) || in(w.definites, start))) ++start;
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
          return Found::kDescription;
        }
      }
    }
    q.speaker = std::move(description);
    return start == first ? Found::kBareDescription : Found::kDescription;
  }

  // resolve() into `q` only when the phrase names someone (a name or a
  // pronoun); `q` is left as it was otherwise.
  bool resolve_name(std::size_t first, std::size_t last, Quote& q) const {
    Quote trial = q;
    const Found found = resolve(first, last, trial);
    if (found != Found::kName && found != Found::kPronoun) return false;
    q = std::move(trial);
    return true;
  }

  // The reporting verb at token k, with the auxiliaries before it ("ha
  // detto"), as [first, k]; first > k when token k is none.
  std::size_t verb_start(std::size_t from, std::size_t k) const {
    if (!in(w.verbs, k)) return k + 1;
    // After an article it is a noun: "un comunicato", "el dicho".
    if (k > from && (in(w.determiners, k - 1) || in(w.definites, k - 1))) return k + 1;
    // Adverbs may sit between them: "had already stated", "ha poi detto".
    std::size_t b = k;
    for (std::size_t a = k; a > from;) {
      if (in(w.auxiliaries, a - 1)) {
        b = --a;
      } else if (adverb(a - 1) && a - 1 > from && in(w.auxiliaries, a - 2)) {
        --a;
      } else {
        break;
      }
    }
    return b;
  }
  void set_verb(std::size_t b, std::size_t k, Quote& q) const {
    q.verb = text.substr(tokens[b].begin, tokens[k].end - tokens[b].begin);
  }

  // The phrase after a verb ("said Ned Price, the spokesman"), up to a comma,
  // a time or place phrase ("said Kipchoge after the run") or `stop`.
  std::size_t subject_after(std::size_t k, std::size_t to) const {
    std::size_t e = k + 1;
    while (e < to && !is_punct(e) && !(e > k + 1 && in(w.subject_end, e))) ++e;
    return e;
  }

  // The end of an "according to" source starting at token b: up to
  // punctuation, or the end of the name it starts with ("Volgens Howard zal
  // ...", "Según Jobs, ...").
  std::size_t according_end(std::size_t b, std::size_t to) const {
    std::size_t e = b;
    // A title or description before the name: "volgens analiste Maryann Keller".
    if (!w.english) {
      std::size_t n = b;
      while (n < to && n < b + 4 && tokens[n].kind == TokenKind::kWord && !capitalized(word(n))) {
        ++n;
      }
      if (n > b && n < to && tokens[n].kind == TokenKind::kWord && capitalized(word(n))) e = n;
    }
    if (!w.english && e < to && tokens[e].kind == TokenKind::kWord && capitalized(word(e))) {
      while (e < to && tokens[e].kind == TokenKind::kWord &&
             (capitalized(word(e)) ||
              (in(w.particles, e) && e + 1 < to && capitalized(word(e + 1))))) {
        ++e;
      }
      return e;
    }
    while (e < to && !is_punct(e)) ++e;
    return e;
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
      if (std::size_t n = according_at(k, to)) {
        const std::size_t e = according_end(k + n, to);
        if (e == k + n) return false;
        q.verb = according_text(k, n);
        resolve(k + n, e - 1, q);
        return true;
      }
      const std::size_t b = verb_start(i, k);
      if (b > k) continue;
      set_verb(b, k, q);
      if (b == i) {
        // "“…” claimed that X ...": the words after "that" are the reported
        // clause, not the speaker.
        std::size_t e = k + 1 < to && in(w.subject_break, k + 1) ? k + 1 : subject_after(k, to);
        if (e == k + 1) {
          // "“…”, dijo, …": the subject is the verb's ending.
          if (!w.pro_drop) return false;
          previous_speaker(q, i);
          return true;
        }
        const Found found = resolve(k + 1, e - 1, q);
        // "dijo el CEO de Apple Inc., Steve Jobs": a short name in apposition
        // after a description.
        if (found != Found::kName && found != Found::kPronoun && e < to && word(e) == ",") {
          std::size_t e2 = e + 1;
          while (e2 < to && !is_punct(e2)) ++e2;
          if (e2 > e + 1 && e2 - e - 1 <= 4 && capitalized(word(e + 1))) {
            resolve_name(e + 1, e2 - 1, q);
          }
        }
      } else {
        // "a senior administration official, speaking on ..., told": up to the
        // first comma.
        std::size_t e = i;
        while (e < b && word(e) != ",") ++e;
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
      if (std::size_t n = according_at(k, to)) {
        const std::size_t e = according_end(k + n, to);
        if (e == k + n) continue;
        q.verb = according_text(k, n);
        resolve(k + n, e - 1, q);
        return true;
      }
      const std::size_t b = verb_start(from, k);
      if (b > k) continue;
      set_verb(b, k, q);
      // The subject: the words before the verb, back to a comma or the start.
      std::size_t s = b;
      while (s > from && word(s - 1) != "," && word(s - 1) != ";" && !in(w.subject_break, s - 1)) {
        --s;
      }
      // "Scott Carson, president and CEO of Boeing Commercial Airplanes said":
      // the name before a coordinated description.
      if (s > from + 1 && s < b && in(w.coordinators, s - 1)) {
        std::size_t joined = s - 1;
        while (joined > from && word(joined - 1) != "," && !in(w.subject_break, joined - 1)) {
          --joined;
        }
        if (joined > from + 1 && word(joined - 1) == "," && name_in_parts(from, joined, q)) {
          return true;
        }
      }
      if (s == b && s > from + 1 && word(s - 1) == ",") {
        // "Scott Carson, presidente de Boeing, dijo que", "Whitey MacDonald,
        // presidente di Local 1520, sindacato canadese, ha dichiarato": the
        // first of up to three comma-separated phrases before the verb that is
        // a name, else the nearest one.
        std::array<std::pair<std::size_t, std::size_t>, 3> parts{};
        std::size_t n_parts = 0;
        std::size_t end = s - 1;  // the comma
        while (n_parts < parts.size()) {
          std::size_t begin = end;
          while (begin > from && word(begin - 1) != "," && !in(w.subject_break, begin - 1)) {
            --begin;
          }
          // "Art Levinson, chairman of Genentech and a member of the board,
          // adds": a coordinated description is one part, after the name.
          if (begin > from + 1 && in(w.coordinators, begin - 1)) {
            std::size_t joined = begin - 1;
            while (joined > from && word(joined - 1) != "," && !in(w.subject_break, joined - 1)) {
              --joined;
            }
            if (joined > from + 1 && word(joined - 1) == ",") begin = joined;
          }
          if (begin == end) break;
          parts[n_parts++] = {begin, end};
          if (!(begin > from + 1 && word(begin - 1) == ",")) break;
          end = begin - 1;
        }
        for (std::size_t p = n_parts; p-- > 1;) {
          if (resolve_name(parts[p].first, parts[p].second - 1, q)) return true;
        }
        if (n_parts > 0) {
          Quote trial = q;
          const Found found = resolve(parts[0].first, parts[0].second - 1, trial);
          if (w.english || (found != Found::kNothing && found != Found::kBareDescription)) {
            q = std::move(trial);
            return true;
          }
        }
      }
      if (s == b && w.english) return false;
      Found found = Found::kNothing;
      Quote trial = q;
      std::size_t t = s;
      while (t < b && (adverb(t) || in(w.not_subject, t) || stopword(t))) ++t;
      if (s < b && (t < b || w.english)) found = resolve(s, b - 1, trial);
      if (w.english || (found != Found::kNothing && found != Found::kBareDescription)) {
        q = std::move(trial);
        return true;
      }
      // No subject before the verb: it follows ("Daarnaast zei Mannion dat"),
      // or the verb's ending is the subject ("Declaró:").
      std::size_t e = k + 1;
      while (e < to && !is_punct(e) && !in(w.subject_break, e)) ++e;
      if (e > k + 1 && resolve_name(k + 1, e - 1, q)) return true;
      // "Art Levinson, presidente de Genentech y miembro de la junta, añade".
      if (name_in_parts(from, b, q)) return true;
      if (w.pro_drop) {
        previous_speaker(q, b);
        return true;
      }
      if (found == Found::kBareDescription) {
        q = std::move(trial);
        return true;
      }
      return false;
    }
    // No verb, but a colon: "Charlie Smith, responsable de inversiones: “…”".
    if (to > from + 1 && word(to - 1) == ":" && name_in_parts(from, to - 1, q)) {
      return true;
    }
    return false;
  }

  // The leftmost of up to three comma-separated phrases in [from, end) that
  // names someone, resolved into `q`.
  bool name_in_parts(std::size_t from, std::size_t end, Quote& q) const {
    std::array<std::pair<std::size_t, std::size_t>, 3> parts{};
    std::size_t n_parts = 0;
    if (end > from && word(end - 1) == ",") --end;
    while (n_parts < parts.size() && end > from) {
      std::size_t begin = end;
      while (begin > from && word(begin - 1) != "," && word(begin - 1) != ";") --begin;
      if (begin < end) parts[n_parts++] = {begin, end};
      if (begin == from) break;
      end = begin - 1;
    }
    for (std::size_t p = n_parts; p-- > 0;) {
      if (parts[p].second - parts[p].first <= 6 &&
          resolve_name(parts[p].first, parts[p].second - 1, q)) {
        return true;
      }
    }
    return false;
  }

  void run() {
    std::uint32_t previous_close = 0;  // one past the previous quote's closing mark
    for (const Span& span : quote_spans(text, w)) {
      const std::uint32_t last_close = previous_close;
      previous_close = span.close;
      std::size_t first_inside = token_at(span.begin), after_inside = token_at(span.end);
      std::size_t words = 0;
      for (std::size_t t = first_inside; t < after_inside; ++t) {
        words += tokens[t].kind == TokenKind::kWord || tokens[t].kind == TokenKind::kNumber;
      }
      if (words < QuotesStage::kMinWords) continue;
      // Marks around an attribution rather than speech ("“Jobs schreef het
      // volgende:” “…”", or the text between two quotes when marks pair up
      // wrongly, "” X said: “"): speech does not end in a colon. Its words
      // stay visible to the next quote's speaker search.
      if (after_inside > first_inside) {
        std::size_t last = after_inside - 1;
        while (last > first_inside && is_punct(last) && word(last) != ":") --last;
        if (word(last) == ":") {
          previous_close = last_close;
          continue;
        }
      }
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
        std::size_t next_open = text.find_first_of(w.mark_starts, span.close);
        if (next_open != std::string_view::npos && next_open < close_sentence->end) {
          to = std::min(to, token_at(static_cast<std::uint32_t>(next_open)));
        }
        if (from < to) found = after(from, to, q);
      }
      if (!found && open_sentence) {
        // Not into the previous quote of the same sentence ("“…” ha ribadito
        // Merkle “…”"): its words are no speaker.
        std::size_t from = open_sentence->first_token, to = token_at(span.open);
        if (!w.english && last_close > open_sentence->begin)
          from = std::max(from, token_at(last_close));
        if (from < to) found = before(from, to, q);
      }
      if (!found && !quotes.empty()) {
        // A quote paragraph on its own goes on with the previous speaker.
        // So does a quote that opens the sentence after an attributed quote
        // ("“…,” said X. “…”").
        bool starts_paragraph = span.open == 0 || text[span.open - 1] == '\n';
        bool follows_quote = false;
        if (!starts_paragraph && !quotes.back().verb.empty() && span.open > quotes.back().end &&
            span.open - quotes.back().end < 240) {
          std::size_t p = span.open;
          while (p > quotes.back().end && is_space(text[p - 1])) --p;
          follows_quote = p > quotes.back().end &&
                          (text[p - 1] == '.' || text[p - 1] == '!' || text[p - 1] == '?');
        }
        if ((starts_paragraph || follows_quote) && !quotes.back().speaker.empty()) {
          q.speaker = quotes.back().speaker;
          q.mention_begin = q.mention_end = 0;
        }
      }
      quotes.push_back(std::move(q));
    }
  }
};

}  // namespace

QuoteWords::QuoteWords(std::string_view file, std::string_view stopword_file) {
  lexical::for_each_tsv_line(file, [&](const std::vector<std::string_view>& f) {
    const auto fail = [&] {
      throw std::runtime_error("quotes.tsv: bad line starting '" + std::string(f[0]) + "'");
    };
    if (f.size() < 2 || f[1].empty()) fail();
    const std::string value(f[1]);
    if (f[0] == "mark") {
      if (f.size() != 3 || f[2].empty()) fail();
      marks.push_back({value, std::string(f[2])});
      opens[static_cast<unsigned char>(value[0])] = true;
      // A straight apostrophe is too common to end the search for a speaker.
      if (value != "'" && mark_starts.find(value[0]) == std::string::npos) {
        mark_starts += value[0];
      }
      return;
    }
    if (f.size() != 2) fail();
    if (f[0] == "according") {
      Phrase p{value, {}};
      for (std::size_t at = 0; at <= value.size();) {
        std::size_t sp = value.find(' ', at);
        if (sp == std::string::npos) sp = value.size();
        if (sp > at) p.words.emplace_back(value.substr(at, sp - at));
        at = sp + 1;
      }
      according.push_back(std::move(p));
    } else if (f[0] == "adverb_suffix") {
      adverb_suffix = value;
    } else if (f[0] == "pro_drop") {
      if (value != "yes" && value != "no") fail();
      pro_drop = value == "yes";
    } else {
      static const std::map<std::string_view, WordSet QuoteWords::*> kSets = {
          {"verb", &QuoteWords::verbs},
          {"auxiliary", &QuoteWords::auxiliaries},
          {"pronoun", &QuoteWords::pronouns},
          {"title", &QuoteWords::titles},
          {"particle", &QuoteWords::particles},
          {"determiner", &QuoteWords::determiners},
          {"definite", &QuoteWords::definites},
          {"preposition", &QuoteWords::prepositions},
          {"adverb", &QuoteWords::adverbs},
          {"not_subject", &QuoteWords::not_subject},
          {"subject_end", &QuoteWords::subject_end},
          {"subject_break", &QuoteWords::subject_break},
          {"coordinator", &QuoteWords::coordinators}};
      auto it = kSets.find(f[0]);
      if (it == kSets.end()) fail();
      (this->*(it->second)).insert(value);
    }
  });
  if (marks.empty() || verbs.empty()) {
    throw std::runtime_error("quotes.tsv: no mark or no verb lines");
  }
  for (std::size_t pos = 0; pos < stopword_file.size();) {
    std::size_t end = stopword_file.find('\n', pos);
    if (end == std::string_view::npos) end = stopword_file.size();
    std::string_view line = stopword_file.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#' && line.front() != '-') stopwords.insert(line);
  }
}

const QuoteWords& english_quote_words() {
  static const QuoteWords kEnglish = [] {
    QuoteWords words(resources::find("lang/en/quotes.tsv"));
    words.english = true;
    return words;
  }();
  return kEnglish;
}

std::vector<Quote> find_quotes(std::string_view text, const std::vector<core::Token>& tokens,
                               const std::vector<core::Sentence>& sentences,
                               const QuoteWords& words, std::string_view lower) {
  Finder f{text, tokens, sentences, words, lexical::LowerTokens::of(text, tokens, lower), {}};
  f.run();
  return std::move(f.quotes);
}

QuotesStage::QuotesStage(std::size_t max_items)
    : max_items_(max_items), words_("quotes.tsv", [](std::string_view code, std::string_view file) {
        return QuoteWords(file, resources::find("lang/" + std::string(code) + "/stopwords.txt"));
      }) {}

core::Status QuotesStage::process(core::Article& article, core::Scratch&) const {
  if (!article.segmented) return core::Status::skipped("needs the segment stage");
  const QuoteWords* words = &english_quote_words();
  if (!english_or_unknown(article)) {
    words = words_.find(core::content_language(article));
    if (words == nullptr) return core::Status::skipped(not_english_reason(article));
  }
  auto quotes =
      find_quotes(article.text, article.tokens, article.sentences, *words, article.lower_text);
  if (quotes.size() > max_items_) {
    article.note_truncated("quotes", quotes.size() - max_items_);
    quotes.resize(max_items_);
  }
  std::string_view text = article.text;
  core::json::Writer w(article.add_enrichment("quotes").json);
  w.begin_array();
  for (const Quote& q : quotes) {
    w.begin_object()
        .span(text, q.begin, q.end)
        .member("partial", q.partial)
        .member_or_null("speaker", q.speaker)
        .span(text, q.mention_begin, q.mention_end, "speaker_mention", "speaker_")
        .member_or_null("verb", q.verb)
        .end_object();
  }
  w.end_array();
  return {};
}

}  // namespace wirefeed::stages
