#include "server/http/metrics.hpp"

#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "model/mail/outbox_delivery.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/year_store.hpp"
#include "probity_version.hpp"
#include "server/http/app.hpp"
#include "server/http/request_log.hpp"
#include "server/http/year_config.hpp"

namespace probity {
namespace {

// Upper bounds of the latency buckets, in seconds: a cached page takes well under a millisecond,
// a sign-in a third of a second (scrypt), a large export seconds.
constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1.0,   2.5,   5.0,  10.0};
constexpr int kMaxRoutes = 1024;

struct RouteSlot {
  std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx .. 5xx
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // the last: above every bound
  std::atomic<std::uint64_t> micros{0};
  std::atomic<std::uint64_t> bytes{0};
};

// Route names are written once, at registration, before the index is handed out; counting reads
// only the slots, so it needs no lock.
struct RouteTable {
  std::mutex mutex;
  std::map<std::string, int, std::less<>> index;  // "METHOD pattern"
  std::array<std::string, kMaxRoutes> method;
  std::array<std::string, kMaxRoutes> pattern;
  std::atomic<int> count{0};
  std::array<RouteSlot, kMaxRoutes> slots;

  RouteTable() {
    add("GET", "/assets/*");
    add("GET", "/public/*");
    add("*", "(unmatched)");
    add("*", "(refused)");
  }
  int add(std::string_view m, std::string_view p) {
    std::lock_guard lock(mutex);
    std::string key = std::string(m) + " " + std::string(p);
    if (auto it = index.find(key); it != index.end()) return it->second;
    const int n = count.load();
    if (n >= kMaxRoutes) return 2;  // counted as unmatched rather than lost
    method[static_cast<std::size_t>(n)] = std::string(m);
    pattern[static_cast<std::size_t>(n)] = std::string(p);
    index.emplace(std::move(key), n);
    count.store(n + 1, std::memory_order_release);
    return n;
  }
};

RouteTable& route_table() {
  static RouteTable* table = new RouteTable();  // never destroyed: threads may count during exit
  return *table;
}

// Label values escaped as the text format requires: backslash, double quote and newline.
std::string label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string metric_number(double v) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.17g", v);
  return text;
}

void metric_header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void metric_sample(std::string& out, const std::string& name, const std::string& labels, const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

// A metric with one sample and no labels: its HELP and TYPE lines, then the value, under the
// one name.
void single_metric(std::string& out, const char* name, const char* type, const char* help, const std::string& value) {
  metric_header(out, name, type, help);
  metric_sample(out, name, "", value);
}

std::string route_labels(int i) {
  auto& t = route_table();
  const auto n = static_cast<std::size_t>(i);
  return "method=\"" + label_value(t.method[n]) + "\",route=\"" + label_value(t.pattern[n]) + "\"";
}

// The declaration year's states, worked out at most once a minute (a pass over everyone's
// records: about a second for 100,000 people).
// The figures belong to one service and its database: another App in the same process (the tests
// run many, one after another) works them out afresh rather than reading the last one's.
struct YearFigures {
  std::mutex mutex;
  std::chrono::steady_clock::time_point at;
  bool ready = false;
  const App* app = nullptr;
  std::string database;
  std::map<std::string, long long> by_state;
};

YearFigures& year_figures() {
  static YearFigures f;
  return f;
}

std::map<std::string, long long> year_states(App& app) {
  auto& f = year_figures();
  std::lock_guard lock(f.mutex);
  const auto now = std::chrono::steady_clock::now();
  if (f.ready && f.app == &app && f.database == app.config().database && now - f.at < std::chrono::minutes(1)) return f.by_state;
  std::map<std::string, long long> counts = {{"up_to_date", 0}, {"due", 0}, {"overdue", 0}, {"never_declared", 0}};
  auto db = app.pool().acquire();
  const Date on = year_today(app.config());
  const YearRules rules = year_rules(app.config());
  for (const auto& r : load_year_records(*db)) {
    const PersonYear y = year_state_on(r, on, rules);
    if (y.has_left && y.state == YearState::up_to_date) continue;  // as the compliance dashboard counts
    ++counts[std::string(to_string(y.state))];
  }
  f.by_state = counts;
  f.at = now;
  f.ready = true;
  f.app = &app;
  f.database = app.config().database;
  return counts;
}

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

double start_time_seconds() {
  static const double at =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  return at;
}

}  // namespace

int route_index(std::string_view method, std::string_view pattern) { return route_table().add(method, pattern); }
int assets_route() noexcept { return 0; }
int public_files_route() noexcept { return 1; }
int unmatched_route() noexcept { return 2; }
int refused_route() noexcept { return 3; }

std::string_view route_label(int route) noexcept {
  auto& t = route_table();
  if (route < 0 || route >= t.count.load(std::memory_order_acquire)) return "(unmatched)";
  return t.pattern[static_cast<std::size_t>(route)];
}

std::string_view route_method(int route) noexcept {
  auto& t = route_table();
  if (route < 0 || route >= t.count.load(std::memory_order_acquire)) return "*";
  return t.method[static_cast<std::size_t>(route)];
}

void count_response(int route, int status, std::uint64_t bytes, double seconds) noexcept {
  auto& t = route_table();
  if (route < 0 || route >= kMaxRoutes) route = unmatched_route();
  auto& slot = t.slots[static_cast<std::size_t>(route)];
  const int cls = std::clamp(status / 100, 1, 5) - 1;
  slot.by_class[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  slot.buckets[b].fetch_add(1, std::memory_order_relaxed);
  slot.micros.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e6), std::memory_order_relaxed);
  slot.bytes.fetch_add(bytes, std::memory_order_relaxed);
}

ServiceCounters& service_counters() noexcept {
  static ServiceCounters* counters = new ServiceCounters();  // never destroyed, as the route table
  return *counters;
}

std::string render_metrics(App& app) {
  (void)start_time_seconds();
  std::string out;
  out.reserve(64 * 1024);
  auto& c = service_counters();
  auto& t = route_table();
  const int routes = t.count.load(std::memory_order_acquire);
  // The gauge is read before the counts: a request leaves flight only after it is counted
  // (end_request), so a scrape that reads none in flight then reads every finished one counted.
  const auto in_flight = c.in_flight.load(std::memory_order_acquire);

  metric_header(out, "probity_build_info", "gauge", "The running release (always 1).");
  metric_sample(out, "probity_build_info", "version=\"" + label_value(kVersion) + "\"", "1");
  single_metric(out, "process_start_time_seconds", "gauge", "When the process started, in seconds since 1970 (UTC).", metric_number(start_time_seconds()));
  single_metric(out, "process_resident_memory_bytes", "gauge", "Memory the process holds (resident set).", std::to_string(resident_bytes()));

  metric_header(out, "probity_http_requests_total", "counter", "Responses by route pattern and status class.");
  static constexpr const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  for (int i = 0; i < routes; ++i) {
    const auto& slot = t.slots[static_cast<std::size_t>(i)];
    for (std::size_t k = 0; k < 5; ++k) {
      const auto n = slot.by_class[k].load(std::memory_order_relaxed);
      if (n) metric_sample(out, "probity_http_requests_total", route_labels(i) + ",status_class=\"" + kClasses[k] + "\"", std::to_string(n));
    }
  }
  metric_header(out, "probity_http_request_duration_seconds", "histogram",
         "Time from a request's head being read to its response being written, by route pattern.");
  for (int i = 0; i < routes; ++i) {
    const auto& slot = t.slots[static_cast<std::size_t>(i)];
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) total += counts[b] = slot.buckets[b].load(std::memory_order_relaxed);
    if (total == 0) continue;
    const std::string labels = route_labels(i);
    std::uint64_t running = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      running += counts[b];
      metric_sample(out, "probity_http_request_duration_seconds_bucket", labels + ",le=\"" + metric_number(kBuckets[b]) + "\"", std::to_string(running));
    }
    metric_sample(out, "probity_http_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", std::to_string(total));
    metric_sample(out, "probity_http_request_duration_seconds_sum", labels,
           metric_number(static_cast<double>(slot.micros.load(std::memory_order_relaxed)) / 1e6));
    metric_sample(out, "probity_http_request_duration_seconds_count", labels, std::to_string(total));
  }
  metric_header(out, "probity_http_response_bytes_total", "counter", "Response body bytes sent, by route pattern.");
  for (int i = 0; i < routes; ++i) {
    const auto& slot = t.slots[static_cast<std::size_t>(i)];
    std::uint64_t any = 0;
    for (const auto& k : slot.by_class) any += k.load(std::memory_order_relaxed);
    if (any) metric_sample(out, "probity_http_response_bytes_total", route_labels(i), std::to_string(slot.bytes.load(std::memory_order_relaxed)));
  }
  single_metric(out, "probity_http_requests_in_flight", "gauge", "Requests being served now.", std::to_string(in_flight));

  single_metric(out, "probity_response_cache_hits_total", "counter", "Public and conflicts-check responses served from memory.", std::to_string(c.cache_hits.load()));
  single_metric(out, "probity_response_cache_misses_total", "counter", "Public and conflicts-check responses built because memory did not hold them.", std::to_string(c.cache_misses.load()));

  single_metric(out, "probity_db_pool_idle_connections", "gauge", "Database connections open and waiting in the reading pool.", std::to_string(app.pool().idle()));
  const auto writer = app.writer().stats();
  single_metric(out, "probity_db_writer_queued_writes", "gauge", "Writes waiting for the group-commit writer's next transaction.", std::to_string(writer.queued));
  single_metric(out, "probity_db_writer_commits_total", "counter", "Transactions the group-commit writer has committed.", std::to_string(writer.batches));
  single_metric(out, "probity_db_writer_writes_total", "counter", "Writes committed by the group-commit writer.", std::to_string(writer.writes));

  {
    auto db = app.pool().acquire();
    metric_header(out, "probity_mail_outbox_messages", "gauge", "Messages in the outbox by status (pending and sending are the queue).");
    for (const auto& [status, count] : outbox_counts(*db))
      metric_sample(out, "probity_mail_outbox_messages", "status=\"" + label_value(status) + "\"", std::to_string(count));
  }
  single_metric(out, "probity_mail_sent_total", "counter", "Messages this process delivered.", std::to_string(c.mail_sent.load()));
  single_metric(out, "probity_mail_retries_total", "counter", "Delivery attempts by this process that failed and will be tried again.", std::to_string(c.mail_retried.load()));
  single_metric(out, "probity_mail_failures_total", "counter", "Messages this process gave up on (recorded as failed).", std::to_string(c.mail_failed.load()));

  const auto states = year_states(app);
  single_metric(out, "probity_declarations_overdue", "gauge", "People overdue with a declaration (annual confirmation or an event's 28 days), worked out at most once a minute.", std::to_string(states.at("overdue")));
  metric_header(out, "probity_people_by_year_state", "gauge", "People on the register by their declaration year's state (as the compliance dashboard counts).");
  for (const auto& [state, count] : states) metric_sample(out, "probity_people_by_year_state", "state=\"" + label_value(state) + "\"", std::to_string(count));

  metric_header(out, "probity_sign_in_failures_total", "counter", "Password sign-ins refused, by reason.");
  metric_sample(out, "probity_sign_in_failures_total", "reason=\"bad_credentials\"", std::to_string(c.sign_in_bad_credentials.load()));
  metric_sample(out, "probity_sign_in_failures_total", "reason=\"locked\"", std::to_string(c.sign_in_locked.load()));
  metric_sample(out, "probity_sign_in_failures_total", "reason=\"disabled\"", std::to_string(c.sign_in_disabled.load()));
  single_metric(out, "probity_log_write_errors_total", "counter", "Log lines that could not be written.", std::to_string(c.log_write_errors.load()));
  return out;
}

// cpp-httplib's stop() does nothing before its loop runs, and must not be called twice while it
// runs; so stopping marks the endpoint first (a loop not yet begun never begins) and stops the
// loop once it is seen running.
struct MetricsEndpoint::Impl {
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<bool> done{false};
  std::mutex stop_mutex;
  bool stopped = false;

  void stop_once() {
    std::lock_guard lock(stop_mutex);
    stopping = true;
    if (!stopped && server.is_running()) {
      server.stop();
      stopped = true;
    }
  }
};

MetricsEndpoint::MetricsEndpoint(App& app, int port) : impl_(std::make_unique<Impl>()) {
  (void)start_time_seconds();
  auto& s = impl_->server;
  s.new_task_queue = [] { return new httplib::ThreadPool(2); };
  s.set_tcp_nodelay(true);
  s.Get("/metrics", [&app](const httplib::Request&, httplib::Response& res) {
    try {
      res.set_content(render_metrics(app), "text/plain; version=0.0.4; charset=utf-8");
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "metrics_failed", {{"error", e.what()}});
      res.status = 500;
      res.set_content("The metrics could not be read; the log says why.\n", "text/plain; charset=utf-8");
    }
  });
  if (port == 0) {
    port_ = s.bind_to_any_port("127.0.0.1");
    if (port_ < 0) throw std::runtime_error("cannot listen for metrics on 127.0.0.1");
  } else {
    if (!s.bind_to_port("127.0.0.1", port))
      throw std::runtime_error("cannot listen for metrics on 127.0.0.1:" + std::to_string(port) + " (is another server using that port?)");
    port_ = port;
  }
  Impl* impl = impl_.get();
  impl_->thread = std::thread([impl] {
    if (!impl->stopping) impl->server.listen_after_bind();
    impl->done = true;
  });
}

MetricsEndpoint::~MetricsEndpoint() {
  while (!impl_->done) {
    impl_->stop_once();
    if (!impl_->done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->thread.join();
}

void MetricsEndpoint::stop() { impl_->stop_once(); }

}  // namespace probity
