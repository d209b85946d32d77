// wirefeed eval extract: main-text extraction quality of the html stage.
#include <simdjson.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli.h"
#include "eval.h"
#include "wirefeed/stages/html_extraction.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed eval extract --dir DIR [--folds K] [--verbose]

Scores the html stage's main-text extraction on a directory in one of two
layouts, each with its own metric:

  article-extraction (../shared/data/article-extraction): html/<id>.html.gz and
    ground-truth.json mapping each id to {"articleBody": ...}. The extracted
    body and the expected articleBody are split at whitespace; the overlap of
    the two token multisets gives precision, recall and F1 per page, and the
    figures printed are their means over the pages.

  trafilatura-eval (../shared/data/trafilatura-eval): html/<file>.gz and
    evaldata.json mapping each page to {"file", "with", "without"} snippets,
    scored as trafilatura scores it: output and snippets whitespace-normalized,
    a "with" snippet found in the output is a true positive (else a false
    negative), a "without" snippet found is a false positive (else a true
    negative), counts summed over the pages; precision, recall, accuracy and
    F1 = 2TP/(2TP+FP+FN). Pages with title, author or date fields also score
    the metadata: title and author equal after case and punctuation folding,
    date equal to the first ten characters of the publication date.

Throughput is MB of (decompressed) HTML per second of extraction on one
thread, parsing included.

--folds K splits the pages (sorted by id, page i in fold i mod K) and prints
each fold's score with the mean and standard deviation over the folds. The
extractor's heuristics are fixed, not fitted, so no fold is trained on: the
spread says how much the figure moves from one set of pages to the next.

options:
  --dir DIR     the benchmark directory (required)
  --folds K     per-fold scores, mean and spread (K from 2 to 100)
  --verbose     one line per page
)";

bool read_gzip(const std::string& path, std::string& out) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  out.clear();
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  bool ok = n == 0;
  gzclose(f);
  return ok;
}

std::unordered_map<std::string_view, int> bag(std::string_view text, std::size_t& total) {
  std::unordered_map<std::string_view, int> counts;
  total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) {
      ++counts[text.substr(start, i - start)];
      ++total;
    }
  }
  return counts;
}

struct Score {
  double precision = 0, recall = 0, f1 = 0;
};

Score token_f1(std::string_view predicted, std::string_view expected) {
  std::size_t np = 0, ne = 0;
  auto p = bag(predicted, np);
  auto e = bag(expected, ne);
  std::size_t overlap = 0;
  for (const auto& [token, count] : p) {
    auto it = e.find(token);
    if (it != e.end()) overlap += static_cast<std::size_t>(std::min(count, it->second));
  }
  Score s;
  if (np == 0 && ne == 0) return {1, 1, 1};
  s.precision = np ? static_cast<double>(overlap) / np : 0;
  s.recall = ne ? static_cast<double>(overlap) / ne : 0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

// Whitespace runs become one space, ends trimmed (trafilatura's normalization).
std::string normalize_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// Titles and authors compare as html's fold_for_matching() folds them, and a
// trailing ellipsis (U+2026) folds away too: "Alles Neue mach der Mai…" and
// "alles neue mach der mai" fold alike.
std::string fold(std::string_view text) {
  std::string out = stages::fold_for_matching(text);
  // A trailing ellipsis or dash folds away with the punctuation; so does U+2026.
  const std::string_view ellipsis = "\xe2\x80\xa6";
  while (out.size() >= ellipsis.size() &&
         std::string_view(out).substr(out.size() - ellipsis.size()) == ellipsis) {
    out.resize(out.size() - ellipsis.size());
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

// One page of a data set, scored.
struct PageScore {
  std::string id;
  Score tokens;                                // article-extraction
  bool json_ld = false;                        // the body came from the page's JSON-LD articleBody
  std::size_t tp = 0, fn = 0, fp = 0, tn = 0;  // trafilatura-eval snippets
  // Metadata (trafilatura-eval): fields the page has (non-empty), and matched.
  int title_n = 0, title_ok = 0, author_n = 0, author_ok = 0, date_n = 0, date_ok = 0;
};

struct Totals {
  std::size_t pages = 0, html_bytes = 0;
  double seconds = 0;
};

double ratio(double a, double b) { return b > 0 ? a / b : 0; }

// The headline figure of a set of pages: mean token F1 (article-extraction) or
// snippet F1 (trafilatura-eval).
double headline(const std::vector<const PageScore*>& pages, bool snippets) {
  if (!snippets) {
    double f1 = 0;
    for (const PageScore* p : pages) f1 += p->tokens.f1;
    return ratio(f1, static_cast<double>(pages.size()));
  }
  std::size_t tp = 0, fp = 0, fn = 0;
  for (const PageScore* p : pages) tp += p->tp, fp += p->fp, fn += p->fn;
  return ratio(2.0 * tp, 2.0 * tp + fp + fn);
}

void print_summary(const std::vector<PageScore>& scores, bool snippets, const Totals& t) {
  if (!snippets) {
    Score sum;
    std::size_t json_ld = 0;
    for (const PageScore& p : scores) {
      json_ld += p.json_ld;
      sum.precision += p.tokens.precision;
      sum.recall += p.tokens.recall;
      sum.f1 += p.tokens.f1;
    }
    const double n = static_cast<double>(scores.size());
    std::printf(
        "article-extraction: pages %zu  precision %.4f  recall %.4f  F1 %.4f  (json-ld bodies "
        "%zu)\n",
        scores.size(), sum.precision / n, sum.recall / n, sum.f1 / n, json_ld);
  } else {
    PageScore sum;
    for (const PageScore& p : scores) {
      sum.tp += p.tp, sum.fn += p.fn, sum.fp += p.fp, sum.tn += p.tn;
      sum.title_n += p.title_n, sum.title_ok += p.title_ok;
      sum.author_n += p.author_n, sum.author_ok += p.author_ok;
      sum.date_n += p.date_n, sum.date_ok += p.date_ok;
    }
    const double all = static_cast<double>(sum.tp + sum.fn + sum.fp + sum.tn);
    std::printf(
        "trafilatura-eval: pages %zu  precision %.4f  recall %.4f  accuracy %.4f  F1 %.4f  "
        "(TP %zu FN %zu FP %zu TN %zu)\n"
        "metadata: title %.3f (%d pages)  author %.3f (%d)  date %.3f (%d)\n",
        scores.size(), ratio(sum.tp, sum.tp + sum.fp), ratio(sum.tp, sum.tp + sum.fn),
        ratio(sum.tp + sum.tn, all), ratio(2.0 * sum.tp, 2.0 * sum.tp + sum.fp + sum.fn), sum.tp,
        sum.fn, sum.fp, sum.tn, ratio(sum.title_ok, sum.title_n), sum.title_n,
        ratio(sum.author_ok, sum.author_n), sum.author_n, ratio(sum.date_ok, sum.date_n),
        sum.date_n);
  }
  std::printf("html %.1f MB in %.3f s: %.1f MB/s on one thread\n", t.html_bytes / 1e6, t.seconds,
              ratio(t.html_bytes / 1e6, t.seconds));
}

void print_folds(const std::vector<PageScore>& scores, bool snippets, std::size_t folds) {
  std::vector<double> f1s;
  for (std::size_t k = 0; k < folds; ++k) {
    std::vector<const PageScore*> fold_pages;
    for (std::size_t i = k; i < scores.size(); i += folds) fold_pages.push_back(&scores[i]);
    f1s.push_back(headline(fold_pages, snippets));
    std::printf("fold %zu/%zu: pages %zu  F1 %.4f\n", k + 1, folds, fold_pages.size(), f1s.back());
  }
  double mean = 0, var = 0;
  for (double f : f1s) mean += f;
  mean /= static_cast<double>(f1s.size());
  for (double f : f1s) var += (f - mean) * (f - mean);
  const double sd = std::sqrt(var / static_cast<double>(f1s.size() > 1 ? f1s.size() - 1 : 1));
  std::printf("%zu folds: F1 %.4f +- %.4f (mean +- standard deviation)\n", folds, mean, sd);
}

// Times one extraction and adds it to the totals.
stages::HtmlExtraction timed_extract(const std::string& html, Totals& t) {
  auto start = std::chrono::steady_clock::now();
  stages::HtmlExtraction x = stages::extract_html(html);
  t.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.html_bytes += html.size();
  ++t.pages;
  return x;
}

// article-extraction: ground-truth.json {id: {"articleBody": ...}}.
int score_article_extraction(const std::string& dir, bool verbose, std::vector<PageScore>& out,
                             Totals& totals) {
  const std::string truth_path = dir + "/ground-truth.json";
  simdjson::dom::parser parser;
  simdjson::dom::object truth;
  if (parser.load(truth_path).get(truth)) {
    std::cerr << "eval extract: cannot parse " << truth_path << "\n";
    return 1;
  }
  // Sorted ids: the same order, folds and output on every run.
  std::map<std::string, std::string> expected;
  for (auto [id, entry] : truth) {
    std::string_view body;
    if (entry["articleBody"].get(body)) continue;
    expected.emplace(std::string(id), std::string(body));
  }
  std::string html;
  for (const auto& [id, body] : expected) {
    if (!read_gzip(dir + "/html/" + id + ".html.gz", html)) {
      std::cerr << "eval extract: cannot read html/" << id << ".html.gz\n";
      return 1;
    }
    stages::HtmlExtraction x = timed_extract(html, totals);
    PageScore& p = out.emplace_back();
    p.id = id;
    p.tokens = token_f1(x.body, body);
    p.json_ld = x.body_source == "json-ld";
    if (verbose) {
      std::printf("%s  P %.3f  R %.3f  F1 %.3f  %s\n", id.c_str(), p.tokens.precision,
                  p.tokens.recall, p.tokens.f1, x.body_source.c_str());
    }
  }
  return 0;
}

// trafilatura-eval: evaldata.json {key: {"file", "with", "without", "title"?, ...}}.
int score_trafilatura_eval(const std::string& dir, bool verbose, std::vector<PageScore>& out,
                           Totals& totals) {
  const std::string truth_path = dir + "/evaldata.json";
  simdjson::dom::parser parser;
  simdjson::dom::object truth;
  if (parser.load(truth_path).get(truth)) {
    std::cerr << "eval extract: cannot parse " << truth_path << "\n";
    return 1;
  }
  struct Entry {
    std::string file, title, author, date;
    std::vector<std::string> with, without;
  };
  const auto text_field = [](simdjson::dom::object e, std::string_view key) {
    std::string_view v;
    return e[key].get(v) ? std::string() : std::string(v);
  };
  std::map<std::string, Entry> entries;  // sorted keys
  for (auto [key, value] : truth) {
    simdjson::dom::object e;
    if (value.get(e)) continue;
    Entry entry;
    entry.file = text_field(e, "file");
    entry.title = text_field(e, "title");
    entry.author = text_field(e, "author");
    entry.date = text_field(e, "date");
    for (auto [side, list] :
         {std::pair{"with", &entry.with}, std::pair{"without", &entry.without}}) {
      simdjson::dom::array snippets;
      if (e[side].get(snippets)) continue;
      for (auto snippet : snippets) {
        std::string_view v;
        if (!snippet.get(v)) list->push_back(normalize_space(v));
      }
    }
    if (!entry.file.empty()) entries.emplace(std::string(key), std::move(entry));
  }
  std::string html;
  for (const auto& [key, e] : entries) {
    if (!read_gzip(dir + "/html/" + e.file + ".gz", html)) {
      std::cerr << "eval extract: cannot read html/" << e.file << ".gz\n";
      return 1;
    }
    stages::HtmlExtraction x = timed_extract(html, totals);
    const std::string text = normalize_space(x.body);
    PageScore& p = out.emplace_back();
    p.id = key;
    for (const std::string& w : e.with) (text.find(w) != std::string::npos ? p.tp : p.fn) += 1;
    for (const std::string& w : e.without) (text.find(w) != std::string::npos ? p.fp : p.tn) += 1;
    if (!e.title.empty()) {
      p.title_n = 1;
      p.title_ok = fold(x.title) == fold(e.title);
    }
    if (!e.author.empty()) {
      std::string authors;
      for (const std::string& a : x.authors) authors += (authors.empty() ? "" : " ") + a;
      p.author_n = 1;
      p.author_ok = fold(authors) == fold(e.author);
    }
    if (!e.date.empty()) {
      p.date_n = 1;
      p.date_ok = x.published.substr(0, 10) == e.date.substr(0, 10);
    }
    if (verbose) {
      std::printf("%s  with %zu/%zu  without %zu/%zu  title %s  author %s  date %s\n", key.c_str(),
                  p.tp, p.tp + p.fn, p.fp, p.fp + p.tn,
                  p.title_n ? (p.title_ok ? "ok" : "miss") : "-",
                  p.author_n ? (p.author_ok ? "ok" : "miss") : "-",
                  p.date_n ? (p.date_ok ? "ok" : "miss") : "-");
      // What a miss found, against what the page's fields say.
      if (p.title_n && !p.title_ok) {
        std::printf("  title: got '%s', want '%s'\n", x.title.c_str(), e.title.c_str());
      }
      if (p.author_n && !p.author_ok) {
        std::string authors;
        for (const std::string& a : x.authors) authors += (authors.empty() ? "" : "; ") + a;
        std::printf("  author: got '%s', want '%s'\n", authors.c_str(), e.author.c_str());
      }
      if (p.date_n && !p.date_ok) {
        std::printf("  date: got '%s', want '%s'\n", x.published.c_str(), e.date.c_str());
      }
    }
  }
  return 0;
}

}  // namespace

int eval_extract(Args args) {
  std::string dir;
  bool verbose = false;
  std::size_t folds = 0;
  while (!args.done()) {
    std::string a = args.next();
    if (a == "--dir") {
      dir = args.value(a);
    } else if (a == "--folds") {
      const std::string v = args.value(a);
      char* end = nullptr;
      const long k = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || k < 2 || k > 100) {
        throw UsageError("eval extract: --folds takes an integer from 2 to 100, not '" + v + "'");
      }
      folds = static_cast<std::size_t>(k);
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      args.unknown(a);
    }
  }
  if (dir.empty()) throw UsageError("eval extract: --dir is required (see --help)");
  const bool snippets = std::filesystem::exists(dir + "/evaldata.json");
  if (!snippets && !std::filesystem::exists(dir + "/ground-truth.json")) {
    std::cerr << "eval extract: " << dir
              << " has neither ground-truth.json nor evaldata.json (the benchmarks live in "
                 "../shared/data/article-extraction and ../shared/data/trafilatura-eval)\n";
    return 1;
  }
  std::vector<PageScore> scores;
  Totals totals;
  const int rc = snippets ? score_trafilatura_eval(dir, verbose, scores, totals)
                          : score_article_extraction(dir, verbose, scores, totals);
  if (rc != 0) return rc;
  if (scores.empty()) {
    std::cerr << "eval extract: no pages\n";
    return 1;
  }
  print_summary(scores, snippets, totals);
  if (folds > 0) {
    if (folds > scores.size()) {
      throw UsageError("eval extract: --folds " + std::to_string(folds) + " is more than the " +
                       std::to_string(scores.size()) + " pages");
    }
    print_folds(scores, snippets, folds);
  }
  return 0;
}

}  // namespace wirefeed::app
