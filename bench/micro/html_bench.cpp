// The html stage's extractor over real pages: ../shared/data/article-extraction
// when present (read for benchmarks only, never committed), else the committed
// test page. Checked before timing: every page yields the same body twice, and
// the pages with an expected body yield a non-empty one.
#include <zlib.h>

#include <filesystem>

#include "corpus.h"
#include "html/html.h"

namespace wirefeed::bench {

namespace {
std::vector<std::string> html_pages() {
  std::vector<std::string> pages;
  std::string dir = std::string(WIREFEED_SOURCE_DIR) + "/../shared/data/article-extraction/html";
  if (std::filesystem::exists(dir)) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      gzFile in = gzopen(f.c_str(), "rb");
      std::string page;
      char buf[1 << 16];
      int n;
      while ((n = gzread(in, buf, sizeof buf)) > 0) page.append(buf, static_cast<std::size_t>(n));
      gzclose(in);
      pages.push_back(std::move(page));
    }
  } else {
    std::ifstream in(std::string(WIREFEED_SOURCE_DIR) + "/tests/fixtures/html/seed_page.html");
    pages.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return pages;
}
}  // namespace

static void BM_Html_Pages(benchmark::State& state) {
  static const std::vector<std::string> pages = html_pages();
  std::size_t bytes = 0, empty = 0;
  for (const auto& p : pages) {
    bytes += p.size();
    auto a = stages::extract_html(p);
    if (a.body != stages::extract_html(p).body) {
      state.SkipWithError("extraction is not deterministic");
      return;
    }
    empty += a.body.empty();
  }
  if (empty * 10 > pages.size()) {
    state.SkipWithError("too many pages without a body");
    return;
  }
  for (auto _ : state) {
    for (const auto& p : pages) benchmark::DoNotOptimize(stages::extract_html(p));
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(pages.size()) * state.iterations());
  state.SetLabel(pages.size() > 1 ? "article-extraction" : "fixture");
}
BENCHMARK(BM_Html_Pages)->Unit(benchmark::kMillisecond);

}  // namespace wirefeed::bench
