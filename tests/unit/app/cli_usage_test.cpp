// The CLI's contract: --help everywhere, wrong usage exits 2 with one line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "process.h"
#include "test_support.h"

namespace wirefeed::testing {

namespace {

const std::string kBin = WIREFEED_BINARY;

struct Result {
  int code;
  std::string out;
};

Result run(const std::string& args) {
  Result r;
  r.code = run_shell(kBin + " " + args + " 2>&1 </dev/null", &r.out);
  return r;
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(Cli, every_command_has_help) {
  // Every command the usage lists, and each evaluation of eval.
  for (const char* cmd : {"run", "enrich", "replay", "demo", "broker", "redrive", "eval",
                          "eval extract", "eval ner", "version"}) {
    for (const char* flag : {" --help", " -h"}) {
      Result r = run(std::string(cmd) + flag);
      EXPECT_EQ(r.code, 0) << cmd << flag << ": " << r.out;
      EXPECT_TRUE(r.out.starts_with("usage: wirefeed " + std::string(cmd))) << cmd << ": " << r.out;
    }
  }
  Result usage = run("--help");
  EXPECT_EQ(usage.code, 0);
  for (const char* cmd :
       {"run", "enrich", "replay", "demo", "broker", "redrive", "eval", "version"}) {
    EXPECT_NE(usage.out.find(std::string("\n  ") + cmd + " "), std::string::npos) << cmd;
  }
  Result v = run("version");
  EXPECT_EQ(v.code, 0);
  EXPECT_TRUE(v.out.starts_with("wirefeed 0.1.0 (pipeline ")) << v.out;
}

TEST(Cli, wrong_usage_exits_2_with_one_line) {
  for (const char* args :
       {"", "frobnicate", "run", "run --config", "demo --articles many", "broker --partitions 0",
        "enrich --bogus", "run --config x --what", "replay --config x", "enrich --threads=0",
        "eval", "eval bogus", "eval ner --bogus", "--bogus", "run --check extra"}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << args << ": " << r.out;
  }
}

TEST(Cli, options_take_their_value_after_an_equals_sign_too) {
  // --config=FILE reaches the loader (which names the file), --x=v reaches the
  // validators (which name the option), and a repeated --set applies in order.
  Result missing = run("run --config=/nonexistent.yaml");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.out, "wirefeed: config file '/nonexistent.yaml' cannot be read\n");
  Result bad = run("demo --articles=many");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out,
            "wirefeed demo: --articles: expects an integer >= 1, got 'many' (see wirefeed demo "
            "--help)\n");
  Result enrich =
      run("enrich --input=" + source_path("data/samples/seed.txt") +
          " --set=pipeline.stages=normalize,segment,stats --set pipeline.threads=1 --threads=1");
  EXPECT_EQ(enrich.code, 0) << enrich.out;
  EXPECT_NE(enrich.out.find(R"("stages":["decode","normalize","segment","stats","encode"])"),
            std::string::npos)
      << enrich.out;
}

TEST(Cli, bad_config_fails_at_start_with_one_line_naming_the_key) {
  std::string path = write_temp("bad.yaml", R"(
kafka:
  common: {bootstrap.servers: "127.0.0.1:1"}
  consumer: {group.id: g, fetch.max.wait.ms: 5}
topics: {input: a, output: b, dlq: c}
)");
  Result r = run("run --config " + path);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out,
            "wirefeed: kafka consumer property 'fetch.max.wait.ms': No such configuration "
            "property: \"fetch.max.wait.ms\"\n");
  Result unknown = run("run --config " + path + " --set limits.max_inflight=4");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(unknown.out, "wirefeed: --set: unknown config key 'limits.max_inflight'\n");
  Result missing = run("run --config /nonexistent.yaml");
  EXPECT_EQ(missing.out, "wirefeed: config file '/nonexistent.yaml' cannot be read\n");
}

TEST(Cli, check_prints_the_effective_config_with_secrets_redacted) {
  std::string path = write_temp("ok.yaml", R"(
kafka:
  common:
    bootstrap.servers: 127.0.0.1:1
    security.protocol: SASL_PLAINTEXT
    sasl.mechanism: SCRAM-SHA-256
    sasl.username: wirefeed
  consumer: {group.id: g}
topics: {input: a, output: b, dlq: c}
)");
  std::string out;
  int code = run_shell("WIREFEED_KAFKA_COMMON_SASL_PASSWORD=topsecret " + kBin + " run --config " +
                           path + " --check 2>&1",
                       &out);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.find("topsecret"), std::string::npos);
  EXPECT_NE(out.find("sasl.password: \"[redacted]\""), std::string::npos) << out;
  EXPECT_NE(
      out.find("stages: [validate, html, normalize, language, segment, topics, stats, fingerprint, "
               "simhash, dates, amounts, entities, quotes, keywords, tone, summary]"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("# ok:"), std::string::npos);
}

// A running worker logs at debug level, fails to reach its (absent) broker and
// stops on SIGTERM: none of its log lines may carry the SASL password.
TEST(Cli, logs_never_print_the_sasl_password) {
  std::string path = write_temp("secret.yaml", R"(
kafka:
  common:
    bootstrap.servers: 127.0.0.1:1
    security.protocol: SASL_PLAINTEXT
    sasl.mechanism: SCRAM-SHA-512
    sasl.username: wirefeed
  consumer: {group.id: g}
topics: {input: a, output: b, dlq: c}
metrics: {enabled: false}
log: {level: debug, format: json}
)");
  // SIGTERM once the worker says it started (loading the models takes a while
  // on a loaded machine: no fixed delay) and a second of its client logs, then
  // every line it wrote.
  const std::string log = temp_path("secret.log");
  std::string out;
  run_shell("WIREFEED_KAFKA_COMMON_SASL_PASSWORD=s3cr3t-Pa55 " + kBin + " run --config " + path +
                " >" + log +
                " 2>&1 & pid=$!; for i in $(seq 1200); do grep -q '\"worker started' " + log +
                " && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done; " +
                "sleep 1; kill -TERM $pid 2>/dev/null; wait $pid; cat " + log,
            &out);
  EXPECT_NE(out.find(R"("msg":"worker started")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("msg":"worker stopped")"), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cr3t-Pa55"), std::string::npos) << out;
}

TEST(Cli, enrich_turns_json_lines_into_schema_valid_records_and_reports_failures) {
  std::string input =
      write_temp("in.jsonl", read_file(source_path("data/samples/articles.jsonl")) + "{\"broken\n");
  std::string output = temp_path("out.jsonl");
  std::string err;
  int code = run_shell(kBin + " enrich --input " + input + " --output " + output + " 2>&1", &err);
  EXPECT_EQ(code, 1);  // one record failed
  EXPECT_NE(err.find(R"("code":"malformed_json")"), std::string::npos) << err;
  EXPECT_NE(err.find(R"("enriched":60,"failed":1)"), std::string::npos) << err;
  auto lines = read_lines(output);
  EXPECT_EQ(lines.size(), 60u);
  std::string report;
  EXPECT_TRUE(validate_against_schema(lines, "enriched_article.schema.json", &report)) << report;
}

TEST(Cli, enrich_reads_one_plain_text_article_from_stdin) {
  std::string out;
  int code =
      run_shell(kBin + " enrich < " + source_path("data/samples/seed.txt") + " 2>/dev/null", &out);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_NE(out.find(R"("published_at":"2021-12-29")"), std::string::npos);
  EXPECT_NE(out.find(R"("source":null)"), std::string::npos);
}

TEST(Cli, enrich_output_is_byte_identical_across_runs_and_thread_counts) {
  std::string a, b;
  std::string in = source_path("data/samples/articles.jsonl");
  run_shell(kBin + " enrich --input " + in + " --threads 1 2>/dev/null", &a);
  run_shell(kBin + " enrich --input " + in + " --threads 3 2>/dev/null", &b);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

}  // namespace wirefeed::testing

namespace wirefeed::testing {

TEST(Cli, eval_ner_scores_a_conll_file_per_type) {
  Result r = run("eval ner --conll " + source_path("tests/fixtures/ner/mini.conll"));
  ASSERT_EQ(r.code, 0) << r.out;
  // Seven gold entities in the fixture, all found with exact spans and types.
  EXPECT_NE(r.out.find("overall     100.00    100.00    100.00       7       0       0"),
            std::string::npos)
      << r.out;
  for (const char* type : {"PER ", "ORG ", "LOC ", "MISC "})
    EXPECT_NE(r.out.find(std::string("\n") + type), std::string::npos) << type;
  EXPECT_NE(r.out.find("tokens 29"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tokens/s on one thread"), std::string::npos) << r.out;
  EXPECT_EQ(run("eval ner").code, 2);
  EXPECT_EQ(run("eval ner --conll /nonexistent/eng.testa").code, 2);
  EXPECT_EQ(
      run("eval ner --conll " + source_path("tests/fixtures/ner/mini.conll") + " --language xx")
          .code,
      2);
}

TEST(Cli, eval_ner_reads_kind_and_scores_only_its_types) {
  // Written here, in KIND's layout (token TAB tag, no MISC).
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "wirefeed_cli_kind_test.tsv";
  std::ofstream(file) << "Il\tO\nsindaco\tO\nMario\tB-PER\nRossi\tI-PER\nha\tO\n"
                         "visitato\tO\nMilano\tB-LOC\n.\tO\n\n";
  Result r = run("eval ner --conll " + file.string() + " --language it");
  std::filesystem::remove(file);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\nPER "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nLOC "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nORG "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nMISC "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tokens 8"), std::string::npos) << r.out;
}

}  // namespace wirefeed::testing

namespace wirefeed::testing {

TEST(Cli, redrive_has_help_and_refuses_wrong_usage_with_one_line) {
  Result help = run("redrive --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: wirefeed redrive"), std::string::npos) << help.out;
  EXPECT_NE(run("--help").out.find("redrive"), std::string::npos);
  for (const char* args : {"redrive", "redrive --config", "redrive --config x --from nowhere",
                           "redrive --config x --max-rate fast", "redrive --config x --name a/b"}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << args << ": " << r.out;
  }
}

}  // namespace wirefeed::testing

namespace wirefeed::testing {

namespace {

// A page as the benchmarks store it: gzip, through the shell's gzip.
void write_gzip(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path plain = path.string() + ".plain";
  std::ofstream(plain) << text;
  ASSERT_EQ(run_shell("gzip -nc " + plain.string() + " > " + path.string(), nullptr), 0);
  std::filesystem::remove(plain);
}

constexpr const char* kPage =
    "<html><head><title>Flood closes the river road</title>"
    "<meta name=\"author\" content=\"Ana Ruiz\">"
    "<meta property=\"article:published_time\" content=\"2024-03-14T09:00:00Z\"></head><body>"
    "<nav><a href=\"/\">Home</a> <a href=\"/about\">About us</a></nav><article>"
    "<p>The river rose two metres overnight, and the council closed the road along its bank "
    "before dawn, officials said on Thursday.</p>"
    "<p>Residents of the lower town were asked to move their cars, and the school will stay "
    "shut until the water falls, the mayor said.</p></article>"
    "<footer>Copyright Example News. All rights reserved.</footer></body></html>";

}  // namespace

TEST(Cli, eval_extract_scores_the_snippet_layout_as_trafilatura_does) {
  const std::filesystem::path dir = temp_path("trafilatura-eval");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "html");
  write_gzip(dir / "html" / "a.html.gz", kPage);
  write_gzip(dir / "html" / "b.html.gz", kPage);
  // Page a: two main-text snippets (one with its spaces changed, which the
  // normalization absorbs), one boilerplate snippet, and metadata. Page b: a
  // snippet that is not on the page, and a boilerplate one that is kept.
  std::ofstream(dir / "evaldata.json") << R"({
    "https://example.org/a": {"file": "a.html", "title": "Flood closes the river road!",
      "author": "ana ruiz", "date": "2024-03-14",
      "with": ["The river rose two   metres overnight", "the school will stay shut"],
      "without": ["All rights reserved"]},
    "https://example.org/b": {"file": "b.html", "title": "Another title",
      "with": ["a sentence the page does not have"],
      "without": ["the council closed the road"]}
  })";
  Result r = run("eval extract --dir " + dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("trafilatura-eval: pages 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(TP 2 FN 1 FP 1 TN 1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("F1 0.6667"), std::string::npos) << r.out;  // 2TP / (2TP + FP + FN)
  EXPECT_NE(r.out.find("title 0.500 (2 pages)  author 1.000 (1)  date 1.000 (1)"),
            std::string::npos)
      << r.out;

  Result folds = run("eval extract --dir " + dir.string() + " --folds 2");
  ASSERT_EQ(folds.code, 0) << folds.out;
  EXPECT_NE(folds.out.find("fold 1/2: pages 1  F1 1.0000"), std::string::npos) << folds.out;
  EXPECT_NE(folds.out.find("fold 2/2: pages 1  F1 0.0000"), std::string::npos) << folds.out;
  EXPECT_NE(folds.out.find("2 folds: F1 0.5000 +- 0.7071"), std::string::npos) << folds.out;
  EXPECT_EQ(run("eval extract --dir " + dir.string() + " --folds 3").code, 2);
  EXPECT_EQ(run("eval extract --dir " + dir.string() + " --folds one").code, 2);
  std::filesystem::remove_all(dir);
}

TEST(Cli, eval_extract_scores_the_article_body_layout_by_token_overlap) {
  const std::filesystem::path dir = temp_path("article-extraction");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "html");
  write_gzip(dir / "html" / "p1.html.gz", kPage);
  std::ofstream(dir / "ground-truth.json")
      << R"({"p1": {"articleBody": "The river rose two metres overnight, and the council closed the road along its bank before dawn, officials said on Thursday.\n\nResidents of the lower town were asked to move their cars, and the school will stay shut until the water falls, the mayor said."}})";
  Result r = run("eval extract --dir " + dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("article-extraction: pages 1  precision 1.0000  recall 1.0000  F1 1.0000"),
            std::string::npos)
      << r.out;
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run("eval extract --dir " + dir.string()).code, 1);  // neither layout
}

}  // namespace wirefeed::testing
