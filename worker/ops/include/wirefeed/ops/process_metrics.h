// The standard process_* metrics (CPU, memory, file descriptors, start time),
// which prometheus-cpp does not provide. Dashboards and alerts use the same
// names as every other Prometheus client library.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace wirefeed::ops {

// Reads /proc/self at call time (a scrape): process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds. A metric whose
// source cannot be read is left out rather than reported as 0.
std::vector<prometheus::MetricFamily> collect_process_metrics();

}  // namespace wirefeed::ops
