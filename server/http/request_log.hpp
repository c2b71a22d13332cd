#pragma once
// The service's log: one structured line per request and one per notable event, in JSON or
// logfmt (the config's "log" section), to standard output (journald reads it) or to a file that
// SIGHUP reopens. docs/operations.md shows the lines and lists the events.
//
// On every request, so it is cheap: each line is formatted into a buffer of the thread's own and
// written with a single write(2), with no lock held (lines from several threads never mix: a
// file is opened O_APPEND, and a line is kept under PIPE_BUF for a pipe). The connection pollers
// write their request lines together, a write per PIPE_BUF bytes at most, before they sleep.
// What is never written: a request's query values (only the names of its parameters), a path
// segment that looks like a token, passwords, session ids, CSRF or API tokens, set-password
// links, withheld details.
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "server/http/config.hpp"

namespace probity {

enum class LogFormat { json, logfmt };

struct LogSettings {
  LogFormat format = LogFormat::json;
  bool requests = true;  // one line per request; events are always logged
  std::string file;      // empty: standard output (serve; other commands then log nowhere)
};

/// The config's "log" section ({"format": "json"|"logfmt", "requests": true, "file": "..."}),
/// then PROBITY_LOG_FILE and PROBITY_LOG_FORMAT from the environment. Throws ConfigError naming
/// the field that is wrong.
LogSettings log_settings(const Config& config);

/// Sets how and where the whole process logs from now on. `stream_fd` is where lines go when no
/// file is set (1 for `serve`; -1: nowhere, for commands whose output is their answer). Throws
/// ConfigError when the file cannot be opened. Before the first call, the process logs JSON
/// lines to PROBITY_LOG_FILE when it is set, otherwise to stdout.
void configure_log(const LogSettings& settings, int stream_fd = 1);
/// The settings in force (for tests that change them and put them back).
LogSettings current_log_settings();
/// Opens the log file again under its name (after logrotate has moved it) and writes to the new
/// one from the next line; does nothing when logging to a stream. Async-signal-safe (open, dup2,
/// close only); true when it reopened a file.
bool reopen_log_file() noexcept;

/// From now on this thread keeps the request lines it logs and writes them together, up to PIPE_BUF
/// bytes a write, until flush_log_lines() (or when the thread ends): for the connection pollers,
/// which flush before they sleep or run a handler that may block. A write per request was one of
/// the five system calls of a 304. Events are written at once.
void batch_log_lines() noexcept;
/// Writes what this thread has kept (nothing when it keeps nothing).
void flush_log_lines() noexcept;

enum class LogLevel { info, warning, error };

/// One field of an event line: text, a whole number or a yes/no.
struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, bool> value;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, std::int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  LogField(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
};

/// Writes one event line: time, level, event name, the request id when called while serving a
/// request, then `fields` in order. Never pass a secret or a withheld detail. Throws nothing.
void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {}) noexcept;

/// A response that has been written, for the request log and the metrics. The connection loop
/// (through cpp-httplib's logger) fills it for every response; a path that answers without the
/// library calls record_response with its own.
struct ResponseRecord {
  std::string_view method;
  std::string_view target;  // as received: logged as its path (tokens redacted) and its query's parameter names
  int route = -1;           // the Router's route index (route_index), or -1: worked out from the path
  int status = 0;
  std::uint64_t bytes = 0;  // body bytes sent
  std::chrono::steady_clock::time_point start;
  std::string_view request_id;
};

/// Logs the request line (when requests are logged) and counts the response in the metrics.
/// Throws nothing.
void record_response(const ResponseRecord& response) noexcept;

/// Called first for every request the library handles (the pre-routing handler): starts its
/// clock, takes its id (the client's X-Request-Id when short and safe, otherwise a new one) and
/// sends the id back in X-Request-Id. Throws nothing but std::bad_alloc.
void begin_request(const httplib::Request& req, httplib::Response& res);
/// Called once the response is written (cpp-httplib's logger): record_response for it.
void end_request(const httplib::Request& req, const httplib::Response& res) noexcept;
/// The route that is answering the request on this thread (set by the Router before a handler).
void set_request_route(int route) noexcept;
/// The route answering the request on this thread (set_request_route), or -1. Throws nothing.
int current_request_route() noexcept;
/// Writes a new request id (16 lower-case hex digits) into `out`: for a response answered
/// without the library (server/http/prepared_answer.hpp). Throws nothing.
void new_request_id_into(char (&out)[16]) noexcept;
/// The id of the request being served on this thread; empty outside a request.
std::string_view current_request_id() noexcept;

/// What the log shows of a request target: the path with token-like segments replaced by
/// ":redacted", and "?" with the names of the query's parameters, without their values
/// ("/register?page&q"). Throws nothing but std::bad_alloc.
std::string loggable_target(std::string_view target);
/// True for an incoming X-Request-Id that may be used as it is: 1 to 64 characters of letters,
/// digits, '-', '_', '.' and ':'. Throws nothing.
bool safe_request_id(std::string_view id) noexcept;

}  // namespace probity
