// wirefeed broker: an embedded Kafka cluster held open for other processes.
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "wirefeed/kafka/embedded_cluster.h"

namespace wirefeed::app {

namespace {

constexpr const char* kHelp =
    R"(usage: wirefeed broker [--brokers N] [--partitions P] [--topics a,b,c]

Starts librdkafka's mock Kafka cluster (the real protocol on loopback) and keeps
it open for kcat, workers, tests and benchmarks. The first line of stdout is the
bootstrap address. Runs until SIGTERM or SIGINT, or until stdin closes.
Topics are created with P partitions (default 4); others are auto-created on
first produce. Data is in memory, about 5 MiB per partition at most.

options:
  --brokers N      brokers in the cluster (default 1)
  --partitions P   partitions of each --topics topic (default 4)
  --topics LIST    topics to create, comma-separated
)";

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

struct BrokerArgs {
  long long brokers = 1, partitions = 4;
  std::vector<std::string> topics;
};

int broker(const BrokerArgs& a) {
  const long long brokers = a.brokers, partitions = a.partitions;
  std::vector<std::string> topics;
  for (const auto& t : a.topics) {
    if (!t.empty()) topics.push_back(t);
  }
  kafka::EmbeddedCluster cluster(static_cast<int>(brokers));
  for (const auto& t : topics) {
    cluster.create_topic(t, static_cast<int>(partitions), static_cast<int>(std::min(brokers, 3LL)));
  }
  std::cout << cluster.bootstrap() << std::endl;  // first line: the bootstrap address

  struct sigaction sa {};
  sa.sa_handler = &on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  // Watch stdin for EOF (the parent went away) unless it is /dev/null, as for a
  // background job in a script: that would end the broker at once.
  struct stat in_stat {
  }, null_stat{};
  bool stdin_open = !(fstat(STDIN_FILENO, &in_stat) == 0 && stat("/dev/null", &null_stat) == 0 &&
                      S_ISCHR(in_stat.st_mode) && in_stat.st_rdev == null_stat.st_rdev);
  while (!g_stop) {
    if (!stdin_open) {
      pause();  // until a signal
      continue;
    }
    pollfd pfd{STDIN_FILENO, POLLIN, 0};
    int r = ::poll(&pfd, 1, 200);
    if (r > 0) {
      char buf[256];
      ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n == 0) break;  // stdin closed: the parent is gone
      if (n < 0) stdin_open = false;
    } else if (r < 0 && errno != EINTR) {
      stdin_open = false;
    }
  }
  return 0;
}

}  // namespace

Runner declare_broker(CLI::App& sub) {
  sub.description(kHelp);
  auto a = std::make_shared<BrokerArgs>();
  sub.add_option("--brokers", a->brokers, "brokers in the cluster")->check(at_least(1));
  sub.add_option("--partitions", a->partitions, "partitions of each --topics topic")
      ->check(at_least(1));
  sub.add_option("--topics", a->topics, "topics to create, comma-separated")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  return [a] { return broker(*a); };
}

}  // namespace wirefeed::app
