#pragma once
// The service's figures in the Prometheus text exposition format (version 0.0.4), served at
// GET /metrics on a port of its own bound to loopback (config "metrics_port"; off when absent):
// scraped from the same machine, it needs no token and never passes through the public proxy.
// docs/operations.md lists every metric.
//
// Counting is lock-free: each route has a slot of relaxed atomic counters, found by the index the
// Router gave it when it was registered, so the label set is bounded by the routes (never the raw
// path). Figures that need the database (mail queue, people overdue) are read when scraped, the
// year's states at most once a minute.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace probity {

class App;

/// A route's index for the metrics, the same for the same method and pattern every time (tests
/// build many apps in one process). Thread-safe; meant for start-up. Throws std::bad_alloc.
int route_index(std::string_view method, std::string_view pattern);
/// Routes without a handler of their own: static files, nothing matched, refused by the
/// connection loop before any handler (request_head.hpp).
int assets_route() noexcept;
int public_files_route() noexcept;
int unmatched_route() noexcept;
int refused_route() noexcept;

/// The label of a route index: "GET /people/(\\d+)" shows as route "/people/(\\d+)". Throws nothing.
std::string_view route_label(int route) noexcept;
std::string_view route_method(int route) noexcept;

/// Counts one response: its route, status, body bytes and seconds taken. Throws nothing.
void count_response(int route, int status, std::uint64_t bytes, double seconds) noexcept;

/// Counters the areas bump as things happen.
struct ServiceCounters {
  std::atomic<std::int64_t> in_flight{0};           // requests being served now
  std::atomic<std::uint64_t> cache_hits{0};         // public and conflicts responses served from memory
  std::atomic<std::uint64_t> cache_misses{0};       // ... built because they were not there
  std::atomic<std::uint64_t> sign_in_bad_credentials{0};
  std::atomic<std::uint64_t> sign_in_locked{0};     // refused because the address is locked
  std::atomic<std::uint64_t> sign_in_disabled{0};
  std::atomic<std::uint64_t> mail_sent{0};
  std::atomic<std::uint64_t> mail_retried{0};       // a failed attempt to be tried again
  std::atomic<std::uint64_t> mail_failed{0};        // a message given up on
  std::atomic<std::uint64_t> log_write_errors{0};   // lines the log could not write
};
ServiceCounters& service_counters() noexcept;

/// The whole exposition: build info, requests, latency, in flight, caches, database pool and
/// writer, mail outbox, the declaration year's states, sign-in failures. Throws
/// SQLite::Exception when the database cannot be read.
std::string render_metrics(App& app);

/// The loopback listener for GET /metrics, with a thread of its own.
class MetricsEndpoint {
 public:
  /// Binds 127.0.0.1:`port` (0: any free port). Throws std::runtime_error when it cannot.
  MetricsEndpoint(App& app, int port);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;
  int port() const { return port_; }
  /// Stops listening (safe to call more than once, and before the thread has begun).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace probity
