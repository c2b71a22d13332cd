#pragma once
// The service's configuration: built-in defaults, then a JSON file, then environment variables,
// then command-line flags (applied by the caller). Areas read their own sections from `raw`.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace probity {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string database = "var/probity.db";
  std::string assets_dir = "node_modules/nhsuk-frontend/dist/nhsuk";  // installed by npm, served at /assets
  std::string public_dir = "public";                                   // our own static files, served at /public
  std::string organisation_name = "NHS Example Integrated Care Board";
  std::string base_url;  // absolute URL of the service for feeds and links; empty: http://host:port
  // How the public and members reach the governance team (the contact page, the accessibility
  // statement and the privacy notice); empty: not shown.
  std::string contact_email;
  std::string contact_phone;
  bool review_required = false;  // declarations need governance approval before they are published
  // The day the publication rules treat as today (YYYY-MM-DD), so tests and demos are
  // deterministic; empty: the real date (Date::today(), UTC).
  std::string today;
  // cpp-httplib 0.11.4 defaults are slow for small responses and unbounded in places
  // (see docs/reliability.md); these bound them.
  int threads = 128;
  std::size_t max_body_bytes = 1024 * 1024;
  // What a client may send before the request is refused (server/http/request_head.hpp): the head
  // (request line, header lines) in bytes and lines, the time for the head and for the whole
  // request from its first byte, and the bodies being received on all connections together.
  std::size_t max_head_bytes = 16 * 1024;
  int max_header_lines = 100;
  int head_timeout_seconds = 10;
  int request_timeout_seconds = 30;
  std::size_t max_buffered_body_bytes = 64 * 1024 * 1024;
  // Plain HTTP reads whole requests in the connection loop (the timeouts above); this is the
  // read timeout of the built-in TLS server, which keeps cpp-httplib's own loop.
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  int keep_alive_max_count = 1000;
  int keep_alive_timeout_seconds = 5;
  // Keep rendered public register responses in memory until the register changes (docs/benchmarks.md).
  bool public_cache = true;
  // Keep each meeting's conflicts check (GET /api/v1/meetings/{id}/conflicts) until the register
  // changes; off: every request builds it (the benchmarks measure both).
  bool conflicts_cache = true;
  std::string tls_cert;
  std::string tls_key;
  // Mark the session cookie Secure although Probity itself speaks plain HTTP: for a proxy that
  // terminates TLS in front of it (README, Deploying). With tls_cert set it is Secure anyway.
  bool secure_cookies = false;
  // Take the client's address (logged with sign-in events) from the last X-Forwarded-For entry,
  // the one the proxy appended. Only behind a proxy that sets that header: otherwise any client
  // could write what is logged.
  bool trusted_proxy = false;
  // GET /metrics on 127.0.0.1:metrics_port (server/http/metrics.hpp); absent: no metrics
  // listener; 0: any free port (tests; the port is printed at start-up).
  std::optional<int> metrics_port;
  // After SIGTERM, how long requests in flight may take before the process exits anyway.
  int drain_seconds = 10;
  nlohmann::json raw = nlohmann::json::object();  // the whole file, for sections other areas own
  // Tests only (never read from a file): run by a meeting change after the handler has read the
  // request and before the action's write transaction, inside which the action checks who may
  // make it and that the meeting is still editable; a test can publish the meeting in between.
  std::function<void(std::int64_t meeting_id)> after_meeting_checks;

  std::string effective_base_url() const;
};

/// Reads a JSON config file over the defaults (empty path: defaults only), then PROBITY_*
/// environment variables. Throws ConfigError naming the file and field that is wrong.
Config load_config(const std::string& path);

}  // namespace probity
