#include "wirefeed/ops/http_server.h"

#include <CivetServer.h>
#include <prometheus/text_serializer.h>

#include <stdexcept>
#include <vector>

namespace wirefeed::ops {

namespace {

void reply(mg_connection* conn, int status, std::string_view content_type, std::string_view body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %.*s\r\nContent-Length: %zu\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            status, status == 200 ? "OK" : "Service Unavailable",
            static_cast<int>(content_type.size()), content_type.data(), body.size());
  mg_write(conn, body.data(), body.size());
}

}  // namespace

class HttpServer::Handlers {
 public:
  class Metrics : public CivetHandler {
   public:
    explicit Metrics(CollectFn collect) : collect_(std::move(collect)) {}
    bool handleGet(CivetServer*, mg_connection* conn) override {
      prometheus::TextSerializer serializer;
      std::string body = serializer.Serialize(collect_());
      reply(conn, 200, "text/plain; version=0.0.4; charset=utf-8", body);
      return true;
    }

   private:
    CollectFn collect_;
  };

  class Health : public CivetHandler {
   public:
    Health(HealthFn fn, bool readiness) : fn_(std::move(fn)), readiness_(readiness) {}
    bool handleGet(CivetServer*, mg_connection* conn) override {
      core::Health h = fn_();
      bool ok = readiness_ ? h.ready : h.alive;
      std::string body = ok ? "ok\n" : h.reason + "\n";
      reply(conn, ok ? 200 : 503, "text/plain; charset=utf-8", body);
      return true;
    }

   private:
    HealthFn fn_;
    bool readiness_;
  };

  Handlers(CollectFn collect, HealthFn health)
      : metrics(std::move(collect)), healthz(health, false), readyz(health, true) {}
  Metrics metrics;
  Health healthz;
  Health readyz;
};

HttpServer::HttpServer(const std::string& listen, CollectFn collect, HealthFn health)
    : handlers_(std::make_unique<Handlers>(std::move(collect), std::move(health))) {
  std::vector<std::string> options = {"listening_ports",   listen, "num_threads", "2",
                                      "enable_keep_alive", "no"};
  try {
    server_ = std::make_unique<CivetServer>(options);
  } catch (const CivetException& e) {
    throw std::runtime_error("metrics.listen '" + listen + "': cannot listen (" + e.what() + ")");
  }
  if (!server_->getContext()) {
    throw std::runtime_error("metrics.listen '" + listen + "': cannot listen");
  }
  server_->addHandler("/metrics", handlers_->metrics);
  server_->addHandler("/healthz", handlers_->healthz);
  server_->addHandler("/readyz", handlers_->readyz);
  std::vector<int> ports = server_->getListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
}

HttpServer::~HttpServer() {
  if (server_) server_->close();
}

}  // namespace wirefeed::ops
