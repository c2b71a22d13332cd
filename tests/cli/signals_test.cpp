// `probity serve` and its signals, on the real binary: SIGTERM lets a request in flight finish and
// then the process exits 0 promptly; SIGHUP reopens the log file (logrotate) and is harmless when
// logging to stdout. The request in flight is a sign-in held by the failure delay, seen in flight
// through GET /metrics before the signal is sent: no sleeping to guess when it has started.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "support.hpp"

namespace {
using probity::testing::ChildProcess;
using probity::testing::TempDir;
using Clock = std::chrono::steady_clock;

// Sets an environment variable for the processes started while it lives (the test's log file
// instead of the suite's), and puts the old value back.
struct EnvOverride {
  std::string name;
  std::optional<std::string> old;
  EnvOverride(std::string n, const std::optional<std::string>& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    if (value) ::setenv(name.c_str(), value->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
  ~EnvOverride() {
    if (old) ::setenv(name.c_str(), old->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What a test's own log held also goes to the suite's log, which the log-secrets check reads.
void keep_for_secrets_check(const std::string& text, const std::optional<std::string>& suite_log) {
  if (suite_log) std::ofstream(*suite_log, std::ios::app) << text;
}

struct Served {
  int port = 0;
  int metrics_port = 0;
};

// Reads the start-up lines: "Metrics at ..." (when on), then "Probity is serving ...".
Served read_ports(ChildProcess& server) {
  static const std::regex metrics(R"(Metrics at http://127\.0\.0\.1:(\d+)/metrics)");
  static const std::regex serving(R"(Probity is serving .* at https?://[^:/]+:(\d+)/)");
  Served s;
  for (std::string line; !(line = server.read_line()).empty();) {
    std::smatch m;
    if (std::regex_search(line, m, metrics)) s.metrics_port = std::stoi(m[1].str());
    if (std::regex_search(line, m, serving)) {
      s.port = std::stoi(m[1].str());
      break;
    }
  }
  return s;
}

double in_flight(int metrics_port) {
  httplib::Client c("127.0.0.1", metrics_port);
  auto res = c.Get("/metrics");
  if (!res || res->status != 200) return -1;
  static const std::regex line(R"(\nprobity_http_requests_in_flight (\d+)\n)");
  std::smatch m;
  return std::regex_search(res->body, m, line) ? std::stod(m[1].str()) : -1;
}

std::optional<std::string> suite_log() {
  const char* v = std::getenv("PROBITY_LOG_FILE");
  return v ? std::optional<std::string>(v) : std::nullopt;
}

}  // namespace

TEST_CASE("serve: SIGTERM lets the request in flight finish, then exits 0 within a few seconds", "[signals]") {
  TempDir dir;
  const std::string log = dir.file("probity.log");
  const auto suite = suite_log();
  // A failed sign-in waits failure_delay_ms before it answers: a request in flight for 2 s.
  const std::string config = dir.file("probity.json");
  std::ofstream(config) << R"({"metrics_port": 0, "drain_seconds": 10, "log": {"file": ")" << log
                        << R"("}, "accounts": {"scrypt": {"log2_n": 10, "r": 8, "p": 1}, "failure_delay_ms": 2000, "failure_delay_max_ms": 2000}})";
  std::optional<ChildProcess> server;
  {
    EnvOverride env("PROBITY_LOG_FILE", log);
    server.emplace(std::vector<std::string>{"--config", config, "--database", dir.file("r.db"), "serve", "--port", "0"}, true, true);
  }
  const Served ports = read_ports(*server);
  REQUIRE(ports.port != 0);
  REQUIRE(ports.metrics_port != 0);

  // A signed-out sign-in form: its CSRF cookie and token.
  httplib::Client client("127.0.0.1", ports.port);
  client.set_read_timeout(30);
  auto form = client.Get("/sign-in");
  REQUIRE(form);
  const std::string cookie = form->get_header_value("Set-Cookie").substr(0, form->get_header_value("Set-Cookie").find(';'));
  std::smatch m;
  static const std::regex token(R"re(name="csrf_token" value="([0-9a-f.]+)")re");
  REQUIRE(std::regex_search(form->body, m, token));
  const std::string body = "email=someone%40example.nhs.uk&password=not+the+password&csrf_token=" + m[1].str();

  int status = 0;
  std::string failure;  // why the sign-in got no answer, if it did not
  Clock::time_point answered;
  std::thread slow([&] {
    httplib::Client c("127.0.0.1", ports.port);
    c.set_read_timeout(30);
    auto res = c.Post("/sign-in", {{"Cookie", cookie}}, body, "application/x-www-form-urlencoded");
    answered = Clock::now();
    status = res ? res->status : -1;
    if (!res) failure = httplib::to_string(res.error());
  });
  // Until the metrics say it is being served (bounded: the delay alone is 2 s).
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (in_flight(ports.metrics_port) != 1 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  REQUIRE(in_flight(ports.metrics_port) == 1);
  const auto signalled = Clock::now();
  server->signal(SIGTERM);
  const int code = server->wait();
  const auto exited = Clock::now();
  slow.join();

  CHECK(code == 0);
  INFO("the sign-in's client said: " << failure);
  CHECK(status == 422);          // the sign-in's own answer (wrong password), not a reset connection
  CHECK(answered > signalled);   // it was still in flight when the signal came
  CHECK(exited - signalled < std::chrono::seconds(5));
  // New connections are refused once it has stopped.
  CHECK_FALSE(httplib::Client("127.0.0.1", ports.port).Get("/healthz"));

  const std::string text = read_file(log);
  keep_for_secrets_check(text, suite);
  CHECK_THAT(text, Catch::Contains(R"("event":"stopping","signal":"SIGTERM")"));
  CHECK_THAT(text, Catch::Contains(R"("event":"stopped")"));
  CHECK_THAT(text, Catch::Contains(R"("path":"/sign-in","route":"/sign-in","status":422)"));
  CHECK(text.find("not+the+password") == std::string::npos);
  CHECK(text.find("someone") == std::string::npos);
}

TEST_CASE("serve: SIGHUP reopens the log file after it has been moved away", "[signals]") {
  TempDir dir;
  const std::string log = dir.file("probity.log");
  const auto suite = suite_log();
  std::optional<ChildProcess> server;
  {
    EnvOverride env("PROBITY_LOG_FILE", log);
    server.emplace(std::vector<std::string>{"--database", dir.file("r.db"), "serve", "--port", "0"}, true, true);
  }
  const Served ports = read_ports(*server);
  REQUIRE(ports.port != 0);
  httplib::Client client("127.0.0.1", ports.port);
  REQUIRE(client.Get("/healthz?before=1")->status == 200);
  // A poller writes its request lines when it runs out of ready requests, a moment after the
  // answer (docs/operations.md): rotate once the line is in the file, as it will be by the time
  // logrotate comes (bounded wait, no fixed sleep).
  const auto written = Clock::now() + std::chrono::seconds(10);
  while (read_file(log).find(R"("path":"/healthz?before")") == std::string::npos && Clock::now() < written)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  std::filesystem::rename(log, log + ".1");  // as logrotate does
  server->signal(SIGHUP);
  // The file is made again as soon as the signal has been taken (bounded wait, no fixed sleep).
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!std::filesystem::exists(log) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(std::filesystem::exists(log));
  REQUIRE(client.Get("/healthz?after=1")->status == 200);
  server->signal(SIGTERM);
  CHECK(server->wait() == 0);

  const std::string old_text = read_file(log + ".1");
  const std::string new_text = read_file(log);
  keep_for_secrets_check(old_text + new_text, suite);
  CHECK_THAT(old_text, Catch::Contains(R"("path":"/healthz?before")"));
  CHECK_THAT(new_text, Catch::Contains(R"("event":"signal","signal":"SIGHUP","log_reopened":true)"));
  CHECK_THAT(new_text, Catch::Contains(R"("path":"/healthz?after")"));
  CHECK(new_text.find("before") == std::string::npos);
}

TEST_CASE("serve: SIGHUP while logging to stdout leaves the service running", "[signals]") {
  TempDir dir;
  std::optional<ChildProcess> server;
  {
    EnvOverride env("PROBITY_LOG_FILE", std::nullopt);
    // stdout is read for the port, then left: the log lines of the requests below stay few.
    server.emplace(std::vector<std::string>{"--database", dir.file("r.db"), "serve", "--port", "0"}, true, true);
  }
  const Served ports = read_ports(*server);
  REQUIRE(ports.port != 0);
  server->signal(SIGHUP);
  httplib::Client client("127.0.0.1", ports.port);
  // The signal thread takes it within a moment; the service answers before and after.
  for (int i = 0; i < 5; ++i) REQUIRE(client.Get("/healthz")->status == 200);
  // Its event is on stdout among the request lines.
  bool seen = false;
  for (std::string line; !seen && !(line = server->read_line(std::chrono::seconds(10))).empty();)
    seen = line.find(R"("event":"signal","signal":"SIGHUP","log_reopened":false)") != std::string::npos;
  CHECK(seen);
  CHECK_FALSE(server->has_exited());
  server->signal(SIGTERM);
  CHECK(server->wait() == 0);
}

TEST_CASE("serve runs with glibc's thread cache enlarged, keeping the operator's own tunables", "[signals]") {
  const std::vector<std::pair<std::optional<std::string>, std::string>> cases = {
      {std::nullopt, "glibc.malloc.tcache_count=2048"},
      {"glibc.malloc.mxfast=0", "glibc.malloc.mxfast=0:glibc.malloc.tcache_count=2048"},
      {"glibc.malloc.tcache_count=7", "glibc.malloc.tcache_count=7"},  // the operator's choice stands
  };
  const auto suite = suite_log();
  for (const auto& [given, expected] : cases) {
    CAPTURE(given.value_or("(unset)"));
    TempDir dir;
    const std::string log = dir.file("probity.log");
    std::optional<ChildProcess> server;
    {
      EnvOverride env("GLIBC_TUNABLES", given);
      EnvOverride log_file("PROBITY_LOG_FILE", log);
      server.emplace(std::vector<std::string>{"--database", dir.file("r.db"), "serve", "--port", "0"}, true, true);
    }
    const Served ports = read_ports(*server);
    REQUIRE(ports.port != 0);
    // Started again with the setting (same process id): it answers on the port it announced,
    // and says what it runs with. (glibc cuts the variable's original text in place when it reads
    // it, and getenv then returns its own copy, so /proc/PID/environ is no witness.)
    httplib::Client client("127.0.0.1", ports.port);
    auto res = client.Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    server->signal(SIGTERM);
    CHECK(server->wait() == 0);
    const std::string text = read_file(log);
    keep_for_secrets_check(text, suite);
    CHECK_THAT(text, Catch::Contains(R"("event":"serving")"));
    CHECK_THAT(text, Catch::Contains(R"("glibc_tunables":")" + expected + "\""));
  }
}
