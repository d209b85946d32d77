// Helpers shared by the test suites.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wirefeed/core/article.h"
#include "wirefeed/core/pipeline.h"
#include "wirefeed/stages/registry.h"

namespace wirefeed::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(WIREFEED_SOURCE_DIR) + "/" + relative;
}

// A file name under the test temp dir that no other test (or parallel ctest
// process) uses: the current test's name and the pid are part of it.
inline std::string temp_path(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
  return ::testing::TempDir() + "wirefeed-" + test + "-" + std::to_string(getpid()) + "-" + name;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Runs the default pipeline on one raw value.
struct Enriched {
  core::Article article;
  core::RunResult result;
};

inline Enriched enrich(std::string_view raw, std::vector<std::string> stages = {},
                       bool default_stages = true) {
  static stages::StageOptions options;
  auto pipeline =
      stages::build_pipeline(default_stages ? stages::default_stage_names() : stages, options);
  core::Pipeline::ThreadState state(*pipeline);
  Enriched e;
  e.article.raw = raw;
  e.result = pipeline->run(e.article, state);
  return e;
}

// The JSON an enrichment stage added under `key`, or "" if it added none.
inline std::string enrichment(const core::Article& article, std::string_view key) {
  for (std::size_t i = 0; i < article.enrichment_count; ++i) {
    if (article.enrichments[i].key == key) return article.enrichments[i].json;
  }
  return {};
}

// Validates JSON documents against a schema in schemas/ with Debian's
// python3-jsonschema. Returns the validator's output; `ok` tells the verdict.
inline bool validate_against_schema(const std::vector<std::string>& documents,
                                    const std::string& schema, std::string* output = nullptr) {
  char path[] = "/tmp/wirefeed-schema-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return false;
  std::string all;
  for (const auto& d : documents) all += d + "\n";
  (void)!::write(fd, all.data(), all.size());
  ::close(fd);
  std::string cmd = "/usr/bin/python3 " + source_path("tests/schema/validate.py") + " " +
                    source_path("schemas/" + schema) + " " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  int status = p ? pclose(p) : -1;
  std::remove(path);
  if (output) *output = out;
  return status == 0;
}

// A plain HTTP/1.1 GET on 127.0.0.1:port. Returns the status code (-1 on error)
// and fills body.
// `ipv4_host` is in host byte order; every 127.x.y.z address is loopback on
// Linux, so a second one (127.0.0.2) probes a server bound to 127.0.0.1 only.
inline int http_get(int port, const std::string& path, std::string& body,
                    std::uint32_t ipv4_host = INADDR_LOOPBACK) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(ipv4_host);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) resp.append(buf, static_cast<size_t>(n));
  ::close(fd);
  auto sp = resp.find(' ');
  auto hdr_end = resp.find("\r\n\r\n");
  if (sp == std::string::npos || hdr_end == std::string::npos) return -1;
  body = resp.substr(hdr_end + 4);
  return std::atoi(resp.c_str() + sp + 1);
}

}  // namespace wirefeed::testing
