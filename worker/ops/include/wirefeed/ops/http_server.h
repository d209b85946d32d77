// The HTTP endpoint: /metrics (Prometheus text format), /healthz, /readyz.
#pragma once

#include <prometheus/metric_family.h>

#include <functional>
#include <memory>
#include <string>

#include "wirefeed/core/worker_observer.h"

class CivetServer;  // civetweb's, kept out of this header

namespace wirefeed::ops {

// Serves on exactly `listen` (host:port; port 0 picks a free port) and nowhere
// else. Threads are civetweb's; the collect and health functions must be
// thread-safe and outlive the server. Throws std::runtime_error if it cannot bind.
class HttpServer {
 public:
  using HealthFn = std::function<core::Health()>;
  using CollectFn = std::function<std::vector<prometheus::MetricFamily>()>;
  HttpServer(const std::string& listen, CollectFn collect, HealthFn health);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

 private:
  class Handlers;
  std::unique_ptr<Handlers> handlers_;
  std::unique_ptr<::CivetServer> server_;
  int port_ = 0;
};

}  // namespace wirefeed::ops
