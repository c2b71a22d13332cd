#include "server/http/request_log.hpp"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "model/public/json_text.hpp"
#include "server/http/metrics.hpp"

namespace probity {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxValueBytes = 1024;  // a field's text beyond this is cut
constexpr std::size_t kMaxPathBytes = 512;
constexpr std::size_t kMaxQueryNames = 20;
constexpr std::size_t kMaxPathBytesForFile = 4096;

// The process's log. Lines read format, requests and fd without a lock; only configuring takes
// the mutex. Once a file has been opened its descriptor number stays the file's for good: a new
// file (or the same name reopened) is dup2'd onto it, atomically, so a writer that has just read
// the number never writes to a closed or reused descriptor.
struct LogState {
  std::atomic<int> format{static_cast<int>(LogFormat::json)};
  std::atomic<bool> requests{true};
  std::atomic<int> fd{1};
  int file_fd = -1;              // the file's descriptor, once a file has been opened
  std::atomic<bool> to_file{false};
  char path[kMaxPathBytesForFile] = {};  // for reopen_log_file, which must not allocate
  std::mutex mutex;
  LogSettings settings;
  int stream_fd = 1;

  LogState() {
    // Until configured (tests that build an App in-process, say): JSON to PROBITY_LOG_FILE or stdout.
    if (const char* file = std::getenv("PROBITY_LOG_FILE"); file && *file) {
      LogSettings s;
      s.file = file;
      try {
        apply(s, 1);
      } catch (const ConfigError&) {
        // Left on stdout: nowhere better to say so than the line itself.
      }
    }
  }

  int open_file(const std::string& name) const {
    return ::open(name.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  }

  void apply(const LogSettings& s, int stream) {
    std::lock_guard lock(mutex);
    if (!s.file.empty()) {
      if (s.file.size() >= sizeof(path)) throw ConfigError("config: log.file is too long a path");
      const int opened = open_file(s.file);
      if (opened < 0) throw ConfigError("config: cannot open the log file " + s.file + ": " + std::strerror(errno));
      if (file_fd < 0) {
        file_fd = opened;
      } else {
        ::dup2(opened, file_fd);
        ::close(opened);
      }
      std::memcpy(path, s.file.c_str(), s.file.size() + 1);
      to_file.store(true);
      fd.store(file_fd);
    } else {
      to_file.store(false);
      fd.store(stream);
    }
    settings = s;
    stream_fd = stream;
    format.store(static_cast<int>(s.format));
    requests.store(s.requests);
  }
};

LogState& log_state() {
  static LogState s;
  return s;
}

void write_log_line(int fd, const char* data, std::size_t size) noexcept {
  if (fd < 0) return;  // a command that logs only to a file, with none set
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      service_counters().log_write_errors.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// The request lines a connection poller logs, kept and written together: one write(2) for up to
// PIPE_BUF bytes of whole lines (so a pipe still never mixes them with another thread's), made
// when the next line would not fit, when the poller is about to sleep or block
// (flush_log_lines), or when the thread ends. Other threads write each line as it comes.
struct LineBatch {
  bool on = false;
  int fd = -1;
  std::size_t used = 0;
  char data[PIPE_BUF];
  void flush() noexcept {
    if (used == 0) return;
    write_log_line(fd, data, used);
    used = 0;
  }
  ~LineBatch() { flush(); }
};
thread_local LineBatch t_batch;

void emit_line(int fd, const char* data, std::size_t size) noexcept {
  if (!t_batch.on || size > sizeof t_batch.data) {
    t_batch.flush();  // the thread's earlier lines first
    write_log_line(fd, data, size);
    return;
  }
  if (fd != t_batch.fd || t_batch.used + size > sizeof t_batch.data) {
    t_batch.flush();
    t_batch.fd = fd;
  }
  std::memcpy(t_batch.data + t_batch.used, data, size);
  t_batch.used += size;
}

// An event's line: written at once (after what the thread has kept), so that an event is in the
// log by the time the request that caused it is answered.
void emit_now(int fd, const char* data, std::size_t size) noexcept {
  t_batch.flush();
  write_log_line(fd, data, size);
}

void append_hex_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// Text inside double quotes, escaped for JSON (logfmt's quoted values use the same escapes);
// invalid UTF-8 becomes U+FFFD so that every line stays valid JSON.
void append_escaped(std::string& out, std::string_view text) {
  if (text.size() > kMaxValueBytes) text = text.substr(0, kMaxValueBytes);
  for (std::size_t i = 0; i < text.size();) {
    // A run of printable ASCII other than '"' and '\\' (nearly every value) is appended at once:
    // a byte at a time was a fifth of the instructions of a 304 answered from a prepared answer.
    std::size_t run = i;
    while (run < text.size()) {
      const auto b = static_cast<unsigned char>(text[run]);
      if (b < 0x20 || b >= 0x7F || b == '"' || b == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (const std::size_t len = utf8_sequence_length(text, i)) {  // as nlohmann reads it back
        out.append(text.substr(i, len));
        i += len;
      } else {
        out += "\\ufffd";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) append_hex_escape(out, c);
        else out += static_cast<char>(c);
    }
    ++i;
  }
}

bool logfmt_needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == '=' || c == '"' || c == '\\' || c >= 0x7F) return true;
  }
  return false;
}

// One line being written, in either format.
class LogLine {
 public:
  LogLine(std::string& out, LogFormat format) : out_(out), json_(format == LogFormat::json) {
    out_.clear();
    if (json_) out_ += '{';
  }
  void text(std::string_view key, std::string_view value) {
    start(key);
    if (json_ || logfmt_needs_quotes(value)) {
      out_ += '"';
      append_escaped(out_, value);
      out_ += '"';
    } else {
      out_.append(value.substr(0, kMaxValueBytes));
    }
  }
  void number(std::string_view key, std::int64_t value) {
    start(key);
    out_ += std::to_string(value);
  }
  void raw_number(std::string_view key, std::string_view digits) {
    start(key);
    out_ += digits;
  }
  // Text known to need neither escapes nor, in logfmt, quotes (not empty; only letters, digits
  // and "-:._"): written as text() would write it, without looking at each byte.
  void plain(std::string_view key, std::string_view value) {
    start(key);
    if (json_) {
      out_ += '"';
      out_ += value;
      out_ += '"';
    } else {
      out_ += value;
    }
  }
  void boolean(std::string_view key, bool value) {
    start(key);
    out_ += value ? "true" : "false";
  }
  void finish() { out_ += json_ ? "}\n" : "\n"; }

 private:
  void start(std::string_view key) {
    if (!first_) out_ += json_ ? ',' : ' ';
    first_ = false;
    if (json_) {
      out_ += '"';
      out_ += key;
      out_ += "\":";
    } else {
      out_ += key;
      out_ += '=';
    }
  }
  std::string& out_;
  bool json_;
  bool first_ = true;
};

// "2026-12-03T15:56:04.123Z": the seconds formatted once per second per thread.
void append_time(std::string& out) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32] = {};
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t second = static_cast<std::time_t>(ms / 1000);
  if (second != cached_second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    std::strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  const int milli = static_cast<int>(ms % 1000);
  const char millis[6] = {'.', static_cast<char>('0' + milli / 100), static_cast<char>('0' + milli / 10 % 10),
                          static_cast<char>('0' + milli % 10), 'Z', '\0'};
  out += cached;
  out += millis;
}

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "info";
}

// Starts a line with its time, level and event.
void begin_line(LogLine& line, LogLevel level, std::string_view event) {
  thread_local std::string time = [] {
    std::string t;
    t.reserve(32);
    return t;
  }();
  time.clear();
  append_time(time);
  line.plain("time", time);
  line.plain("level", level_name(level));
  line.text("event", event);
}

// The request being served on this thread.
struct RequestContext {
  bool active = false;
  SteadyClock::time_point start;
  int route = -1;
  char id[65] = {};
  std::size_t id_size = 0;
};
thread_local RequestContext t_request;

std::string& line_buffer() {
  thread_local std::string buffer = [] {
    std::string b;
    b.reserve(512);
    return b;
  }();
  return buffer;
}

// A cheap per-thread generator for request ids (they need to be unique, not secret).
std::uint64_t next_id_bits() {
  thread_local std::uint64_t x = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
           static_cast<std::uint64_t>(SteadyClock::now().time_since_epoch().count());
  }();
  x += 0x9E3779B97F4A7C15ull;  // splitmix64
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void write_request_id(char* out) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = next_id_bits();
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[bits & 0xF];
    bits >>= 4;
  }
}

void new_request_id(RequestContext& c) {
  write_request_id(c.id);
  c.id[16] = '\0';
  c.id_size = 16;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '%' ||
         c == '.' || c == '~';
}

// A path segment or query name that may be a credential: 32 characters or more, or 16 or more
// of token characters with at least 6 digits (hex and base64 tokens; never a slug or an id).
bool looks_like_token(std::string_view s) {
  if (s.size() >= 32) return true;
  if (s.size() < 16) return false;
  int digits = 0;
  for (char c : s) {
    if (!is_token_char(c)) return false;
    if (c >= '0' && c <= '9') ++digits;
  }
  return digits >= 6;
}

}  // namespace

LogSettings log_settings(const Config& config) {
  LogSettings s;
  if (config.raw.contains("log")) {
    const auto& section = config.raw.at("log");
    if (!section.is_object()) throw ConfigError("config: log must be an object");
    if (section.contains("format")) {
      const auto& f = section.at("format");
      if (f == "json") s.format = LogFormat::json;
      else if (f == "logfmt") s.format = LogFormat::logfmt;
      else throw ConfigError("config: log.format must be \"json\" or \"logfmt\"");
    }
    if (section.contains("requests")) {
      if (!section.at("requests").is_boolean()) throw ConfigError("config: log.requests must be true or false");
      s.requests = section.at("requests").get<bool>();
    }
    if (section.contains("file")) {
      if (!section.at("file").is_string()) throw ConfigError("config: log.file must be a path (text)");
      s.file = section.at("file").get<std::string>();
    }
  }
  if (const char* v = std::getenv("PROBITY_LOG_FILE"); v && *v) s.file = v;
  if (const char* v = std::getenv("PROBITY_LOG_FORMAT"); v && *v) {
    if (std::string_view(v) == "json") s.format = LogFormat::json;
    else if (std::string_view(v) == "logfmt") s.format = LogFormat::logfmt;
    else throw ConfigError("PROBITY_LOG_FORMAT must be json or logfmt");
  }
  return s;
}

void configure_log(const LogSettings& settings, int stream_fd) { log_state().apply(settings, stream_fd); }

void batch_log_lines() noexcept { t_batch.on = true; }

void flush_log_lines() noexcept { t_batch.flush(); }

LogSettings current_log_settings() {
  auto& s = log_state();
  std::lock_guard lock(s.mutex);
  return s.settings;
}

bool reopen_log_file() noexcept {
  auto& s = log_state();
  if (!s.to_file.load() || s.file_fd < 0) return false;
  const int opened = ::open(s.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (opened < 0) return false;
  ::dup2(opened, s.file_fd);
  ::close(opened);
  return true;
}

void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) noexcept {
  try {
    auto& s = log_state();
    std::string& buffer = line_buffer();
    LogLine line(buffer, static_cast<LogFormat>(s.format.load(std::memory_order_relaxed)));
    begin_line(line, level, event);
    if (t_request.active) line.text("request_id", std::string_view(t_request.id, t_request.id_size));
    for (const auto& f : fields) {
      if (const auto* text = std::get_if<std::string_view>(&f.value)) line.text(f.key, *text);
      else if (const auto* n = std::get_if<std::int64_t>(&f.value)) line.number(f.key, *n);
      else line.boolean(f.key, std::get<bool>(f.value));
    }
    line.finish();
    emit_now(s.fd.load(std::memory_order_relaxed), buffer.data(), buffer.size());
  } catch (...) {
    service_counters().log_write_errors.fetch_add(1, std::memory_order_relaxed);
  }
}

std::string loggable_target(std::string_view target) {
  const auto q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string out;
  out.reserve(std::min(path.size(), kMaxPathBytes) + 16);
  bool truncated = false;
  if (path.size() > kMaxPathBytes) {
    path = path.substr(0, kMaxPathBytes);
    truncated = true;
  }
  std::string_view previous;
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] == '/') {
      out += '/';
      ++i;
      continue;
    }
    const auto end = std::min(path.find('/', i), path.size());
    const std::string_view segment = path.substr(i, end - i);
    // A set-password link's token is the credential itself, whatever it looks like.
    if (previous == "set-password" || looks_like_token(segment)) out += ":redacted";
    else out += segment;
    previous = segment;
    i = end;
  }
  if (truncated) out += "...";
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  std::size_t names = 0;
  char separator = '?';
  while (!query.empty() && names < kMaxQueryNames) {
    const auto amp = std::min(query.find('&'), query.size());
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    std::string_view name = pair.substr(0, pair.find('='));
    if (name.empty()) continue;
    out += separator;
    separator = '&';
    ++names;
    if (looks_like_token(name) || name.size() > 40) {
      out += ":redacted";
      continue;
    }
    for (char c : name) out += is_token_char(c) || c == '[' || c == ']' ? c : '_';
  }
  if (!query.empty()) out += "&...";
  return out;
}

bool safe_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

void begin_request(const httplib::Request& req, httplib::Response& res) {
  auto& c = t_request;
  if (!c.active) {
    c.active = true;
    c.start = SteadyClock::now();
    service_counters().in_flight.fetch_add(1, std::memory_order_relaxed);
  }
  c.route = -1;
  const auto it = req.headers.find("X-Request-Id");
  if (it != req.headers.end() && safe_request_id(it->second)) {
    std::memcpy(c.id, it->second.data(), it->second.size());
    c.id[it->second.size()] = '\0';
    c.id_size = it->second.size();
  } else {
    new_request_id(c);
  }
  res.set_header("X-Request-Id", std::string(c.id, c.id_size));
}

void end_request(const httplib::Request& req, const httplib::Response& res) noexcept {
  auto& c = t_request;
  ResponseRecord r;
  r.method = req.method;
  r.target = req.target.empty() ? std::string_view(req.path) : std::string_view(req.target);
  r.status = res.status;
  if (req.method != "HEAD") r.bytes = res.body.empty() ? res.content_length_ : res.body.size();
  if (c.active) {
    r.route = c.route;
    r.start = c.start;
  } else {
    // The library answered before our first handler (a request line it could not parse).
    r.start = SteadyClock::now();
    new_request_id(c);
  }
  r.request_id = std::string_view(c.id, c.id_size);
  record_response(r);
  // Out of flight only once counted and logged: a scrape that sees none in flight sees them all.
  if (c.active) service_counters().in_flight.fetch_sub(1, std::memory_order_release);
  c.active = false;
  c.route = -1;
  c.id_size = 0;
}

void set_request_route(int route) noexcept { t_request.route = route; }

int current_request_route() noexcept { return t_request.active ? t_request.route : -1; }

void new_request_id_into(char (&out)[16]) noexcept { write_request_id(out); }

std::string_view current_request_id() noexcept {
  return t_request.active ? std::string_view(t_request.id, t_request.id_size) : std::string_view();
}

void record_response(const ResponseRecord& r) noexcept {
  const auto elapsed = SteadyClock::now() - r.start;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  int route = r.route;
  if (route < 0) {
    if (r.target.rfind("/assets/", 0) == 0) route = assets_route();
    else if (r.target.rfind("/public/", 0) == 0) route = public_files_route();
    else route = unmatched_route();
  }
  count_response(route, r.status, r.bytes, seconds);
  auto& s = log_state();
  if (!s.requests.load(std::memory_order_relaxed)) return;
  try {
    std::string& buffer = line_buffer();
    const LogLevel level = r.status >= 500 ? LogLevel::error : LogLevel::info;
    LogLine line(buffer, static_cast<LogFormat>(s.format.load(std::memory_order_relaxed)));
    begin_line(line, level, "request");
    line.text("request_id", r.request_id);
    line.text("method", r.method.empty() ? std::string_view("-") : r.method);
    line.text("path", r.target.empty() ? std::string("-") : loggable_target(r.target));
    line.text("route", route_label(route));
    line.number("status", r.status);
    line.number("bytes", static_cast<std::int64_t>(r.bytes));
    // Milliseconds with three decimals, as "%.3f" writes them, from whole microseconds.
    const auto micros = static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds) * 1e6));
    char duration[32];
    const auto whole = std::to_chars(duration, duration + 24, micros / 1000).ptr;
    const auto frac = micros % 1000;
    whole[0] = '.';
    whole[1] = static_cast<char>('0' + frac / 100);
    whole[2] = static_cast<char>('0' + frac / 10 % 10);
    whole[3] = static_cast<char>('0' + frac % 10);
    line.raw_number("duration_ms", std::string_view(duration, static_cast<std::size_t>(whole + 4 - duration)));
    line.finish();
    emit_line(s.fd.load(std::memory_order_relaxed), buffer.data(), buffer.size());
  } catch (...) {
    service_counters().log_write_errors.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace probity
