// wirefeed eval extract: main-text extraction quality of the html stage.
#include <simdjson.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>

#include "cli.h"
#include "eval.h"
#include "html/html.h"

namespace wirefeed::app {

namespace {

constexpr const char* kUsage = R"(usage: wirefeed eval extract --dir DIR [--verbose]

Scores the html stage's main-text extraction on a directory laid out like
../shared/data/article-extraction: html/<id>.html.gz pages and ground-truth.json
mapping each id to {"articleBody": ...}. For every page, the extracted body and
the expected articleBody are split at whitespace, and the overlap of the two
token multisets gives precision, recall and F1; the figures printed are their
means over the pages. Throughput is MB of (decompressed) HTML per second of
extraction on one thread, parsing included.

options:
  --dir DIR     the benchmark directory (required)
  --verbose     one line per page: id, precision, recall, F1, body source
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

}  // namespace

int eval_extract(Args args) {
  std::string dir;
  bool verbose = false;
  while (!args.done()) {
    std::string a = args.next();
    if (a == "--dir") {
      dir = args.value(a);
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
  std::string truth_path = dir + "/ground-truth.json";
  if (!std::filesystem::exists(truth_path)) {
    std::cerr << "eval extract: " << truth_path
              << " not found (the benchmark lives in ../shared/data/article-extraction)\n";
    return 1;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object truth;
  if (parser.load(truth_path).get(truth)) {
    std::cerr << "eval extract: cannot parse " << truth_path << "\n";
    return 1;
  }
  // Sorted ids: the same order, and output, on every run.
  std::map<std::string, std::string> expected;
  for (auto [id, entry] : truth) {
    std::string_view body;
    if (entry["articleBody"].get(body)) continue;
    expected.emplace(std::string(id), std::string(body));
  }
  Score sum;
  std::size_t pages = 0, html_bytes = 0, json_ld = 0;
  double seconds = 0;
  std::string html;
  for (const auto& [id, body] : expected) {
    if (!read_gzip(dir + "/html/" + id + ".html.gz", html)) {
      std::cerr << "eval extract: cannot read html/" << id << ".html.gz\n";
      return 1;
    }
    auto start = std::chrono::steady_clock::now();
    stages::HtmlExtraction x = stages::extract_html(html);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    html_bytes += html.size();
    Score s = token_f1(x.body, body);
    sum.precision += s.precision;
    sum.recall += s.recall;
    sum.f1 += s.f1;
    json_ld += x.body_source == "json-ld";
    ++pages;
    if (verbose) {
      std::printf("%s  P %.3f  R %.3f  F1 %.3f  %s\n", id.c_str(), s.precision, s.recall, s.f1,
                  x.body_source.c_str());
    }
  }
  if (pages == 0) {
    std::cerr << "eval extract: no pages\n";
    return 1;
  }
  std::printf(
      "pages %zu  precision %.4f  recall %.4f  F1 %.4f  (json-ld bodies %zu)\n"
      "html %.1f MB in %.3f s: %.1f MB/s on one thread\n",
      pages, sum.precision / pages, sum.recall / pages, sum.f1 / pages, json_ld, html_bytes / 1e6,
      seconds, html_bytes / 1e6 / seconds);
  return 0;
}

}  // namespace wirefeed::app
