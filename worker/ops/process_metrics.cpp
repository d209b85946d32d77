#include "wirefeed/ops/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace wirefeed::ops {

namespace {

prometheus::MetricFamily single(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  return family;
}

std::string read_all(const char* path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Seconds since the epoch at which the system booted (/proc/stat "btime").
bool boot_time(double& out) {
  std::istringstream in(read_all("/proc/stat"));
  std::string key;
  while (in >> key) {
    if (key == "btime") return static_cast<bool>(in >> out);
    in.ignore(1 << 20, '\n');
  }
  return false;
}

}  // namespace

std::vector<prometheus::MetricFamily> collect_process_metrics() {
  std::vector<prometheus::MetricFamily> out;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  // /proc/self/stat: the command name (field 2) may hold spaces and parentheses,
  // so fields are counted from the last ')'.
  std::string stat = read_all("/proc/self/stat");
  auto close = stat.rfind(')');
  if (close != std::string::npos && ticks > 0) {
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    // After ')': field 3 (state) is index 0; utime is field 14, stime 15,
    // starttime 22, vsize 23, rss 24.
    double utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
    for (int index = 3; fields >> field && index <= 24; ++index) {
      if (index == 14) utime = std::stod(field);
      if (index == 15) stime = std::stod(field);
      if (index == 22) starttime = std::stod(field);
      if (index == 23) vsize = std::stod(field);
      if (index == 24) {
        rss = std::stod(field);
        out.push_back(single("process_cpu_seconds_total", "User and system CPU time spent",
                             prometheus::MetricType::Counter, (utime + stime) / ticks));
        out.push_back(single("process_resident_memory_bytes", "Resident memory size",
                             prometheus::MetricType::Gauge, rss * page));
        out.push_back(single("process_virtual_memory_bytes", "Virtual memory size",
                             prometheus::MetricType::Gauge, vsize));
        double boot = 0;
        if (boot_time(boot)) {
          out.push_back(single("process_start_time_seconds",
                               "Start time of the process since the Unix epoch",
                               prometheus::MetricType::Gauge, boot + starttime / ticks));
        }
      }
    }
  }

  if (DIR* dir = opendir("/proc/self/fd")) {
    double open = 0;
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++open;
    }
    closedir(dir);
    // The directory stream itself held one descriptor while counting.
    out.push_back(single("process_open_fds", "Open file descriptors", prometheus::MetricType::Gauge,
                         open - 1));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    out.push_back(single("process_max_fds", "Maximum number of open file descriptors",
                         prometheus::MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace wirefeed::ops
