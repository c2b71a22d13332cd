#include "server/http/prepared_answer.hpp"

#include <algorithm>
#include <array>
#include <mutex>

#include "model/base/text.hpp"
#include "model/store/commit_watch.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"

namespace probity {
namespace {

bool same_ascii_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return low(x) == low(y);
         });
}

bool starts_ascii_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && same_ascii_ci(text.substr(0, prefix.size()), prefix);
}

// Request headers known to change nothing in a cached public response: what browsers, feed
// readers, crawlers and proxies commonly send. Any other header (Cookie, Authorization, Range,
// If-Range, Expect, Content-Length, Origin, a request id...) sends the request down the normal
// path, so a header the application starts to read later cannot be ignored here by mistake.
constexpr std::array<std::string_view, 14> kHarmless = {
    "Host", "User-Agent", "Accept", "Accept-Language", "Referer", "Cache-Control", "Pragma", "DNT",
    "Upgrade-Insecure-Requests", "If-Modified-Since", "Priority", "X-Forwarded-For", "X-Forwarded-Proto", "X-Real-IP"};
// Families of harmless headers sent by browsers (fetch metadata, client hints).
constexpr std::array<std::string_view, 2> kHarmlessPrefixes = {"Sec-Fetch-", "Sec-CH-"};

bool harmless(std::string_view name) {
  return std::any_of(kHarmless.begin(), kHarmless.end(), [&](std::string_view h) { return same_ascii_ci(name, h); }) ||
         std::any_of(kHarmlessPrefixes.begin(), kHarmlessPrefixes.end(),
                     [&](std::string_view p) { return starts_ascii_ci(name, p); });
}

// cpp-httplib's response writer: the status line, then each header as "name: value" in the
// order of its case-insensitive multimap, then a blank line.
std::string response_head(const char* status_line, const httplib::Headers& headers) {
  std::string out = status_line;
  for (const auto& [name, value] : headers) out.append(name).append(": ").append(value).append("\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace

// Every response carries its request's id (server/http/request_log.hpp). A prepared head holds
// this placeholder in the place cpp-httplib's order gives the header; each answer writes a fresh
// id over it.
constexpr std::string_view kRequestIdPlaceholder = "0000000000000000";
constexpr std::string_view kRequestIdField = "\r\nX-Request-Id: ";

// One cached response in each form it can take, indexed [gzip][304][HEAD].
struct PreparedAnswers::Prepared {
  std::shared_ptr<const CacheableBody> body;
  std::string etag[2];  // identity, gzip
  std::string head[2][2][2];
  std::size_t id_at[2][2][2] = {};  // where the request id goes in each head
  int route = -1;                   // the route that built it, for the log and the metrics
};

namespace {
std::atomic<std::uint64_t> g_prepared_serial{0};

// The day last asked for on this thread: by which PreparedAnswers, in which second.
struct DayOnThread {
  std::uint64_t serial = 0;
  std::int64_t second = -1;
  std::string day;
};
thread_local DayOnThread t_day;
}  // namespace

PreparedAnswers::PreparedAnswers(httplib::Headers always, long long keep_alive_timeout_seconds,
                                 std::size_t keep_alive_max_count, std::size_t max_entries)
    : always_(std::move(always)),
      keep_alive_("timeout=" + std::to_string(keep_alive_timeout_seconds) + ", max=" + std::to_string(keep_alive_max_count)),
      max_entries_(max_entries),
      serial_(g_prepared_serial.fetch_add(1, std::memory_order_relaxed) + 1) {}

// A day begins on a whole second, so the day read in one second holds for all of it. Asking the
// publication rules for the day on every answer (the clock, a date made and written out as text)
// cost more than looking the answer up.
const std::string& PreparedAnswers::today() const {
  const auto second =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (t_day.serial != serial_ || t_day.second != second) {
    t_day.day = day_of_();
    t_day.serial = serial_;
    t_day.second = second;
  }
  return t_day.day;
}

void PreparedAnswers::set_source(const CommitWatch* watch, std::function<std::string()> day) {
  if (watch_.load(std::memory_order_acquire) || !watch || !watch->available()) return;
  day_of_ = std::move(day);
  watch_.store(watch, std::memory_order_release);  // after day_of_: a poller that sees the watch sees it
}

std::shared_ptr<const PreparedAnswers::Prepared> PreparedAnswers::prepare(std::shared_ptr<const CacheableBody> body) const {
  auto p = std::make_shared<Prepared>();
  const CacheableBody& c = *body;
  for (int gz = 0; gz < 2; ++gz) {
    if (gz && !c.gzip_body) continue;
    // As send_cacheable sets them (server/http/http_cache.cpp), then cpp-httplib's writer.
    p->etag[gz] = "\"" + c.sha256 + (gz ? "-gzip" : "") + "\"";
    for (int not_modified = 0; not_modified < 2; ++not_modified) {
      for (int head_only = 0; head_only < 2; ++head_only) {
        httplib::Headers h = always_;
        for (const auto& [name, value] : c.extra_headers) {
          h.erase(name);
          h.emplace(name, value);
        }
        h.emplace("Vary", "Accept-Encoding");
        h.emplace("Cache-Control", "no-cache");
        if (!c.last_modified.empty()) h.emplace("Last-Modified", c.last_modified);
        h.emplace("ETag", p->etag[gz]);
        if (not_modified) {
          h.emplace("Content-Length", "0");
        } else {
          if (gz) h.emplace("Content-Encoding", "gzip");
          h.emplace("Content-Type", c.content_type);
          h.emplace("Content-Length", std::to_string(gz ? c.gzip_body->size() : c.body.size()));
        }
        h.emplace("Keep-Alive", keep_alive_);
        if (head_only) h.emplace("Accept-Ranges", "bytes");
        h.erase("X-Request-Id");
        h.emplace("X-Request-Id", std::string(kRequestIdPlaceholder));
        std::string& head = p->head[gz][not_modified][head_only];
        head = response_head(not_modified ? "HTTP/1.1 304 Not Modified\r\n" : "HTTP/1.1 200 OK\r\n", h);
        p->id_at[gz][not_modified][head_only] = head.find(kRequestIdField) + kRequestIdField.size();
      }
    }
  }
  p->body = std::move(body);
  return p;
}

void PreparedAnswers::offer(const std::string& target, std::shared_ptr<const CacheableBody> body, std::uint64_t commits,
                            const std::string& day) {
  // An empty body is sent by cpp-httplib without a provider, and so with other headers.
  if (!body || body->body.empty() || target.empty() || target.front() != '/') return;
  {
    std::shared_lock shared(mutex_);
    if (commits == commits_ && day == day_ && (entries_.contains(target) || entries_.size() >= max_entries_)) return;
  }
  auto prepared = prepare(std::move(body));
  std::const_pointer_cast<Prepared>(prepared)->route = current_request_route();
  std::lock_guard lock(mutex_);
  if (commits != commits_ || day != day_) {
    entries_.clear();
    commits_ = commits;
    day_ = day;
  }
  if (entries_.size() < max_entries_) entries_.try_emplace(target, std::move(prepared));
}

std::size_t PreparedAnswers::size() const {
  std::shared_lock shared(mutex_);
  return entries_.size();
}

bool PreparedAnswers::answer(std::string_view head, httplib::Stream& out) const {
  const auto start = std::chrono::steady_clock::now();
  const CommitWatch* watch = watch_.load(std::memory_order_acquire);
  if (!watch) return false;

  // Blank lines before the request line are allowed (request_head.cpp skips them too).
  while (head.size() >= 2 && head[0] == '\r' && head[1] == '\n') head.remove_prefix(2);
  auto eol = head.find("\r\n");
  if (eol == std::string_view::npos) return false;
  const std::string_view line = head.substr(0, eol);
  bool head_only = false;
  std::string_view rest;
  if (line.rfind("GET ", 0) == 0) {
    rest = line.substr(4);
  } else if (line.rfind("HEAD ", 0) == 0) {
    rest = line.substr(5);
    head_only = true;
  } else {
    return false;
  }
  const auto sp = rest.find(' ');
  if (sp == std::string_view::npos || rest.substr(sp + 1) != "HTTP/1.1") return false;
  const std::string_view target = rest.substr(0, sp);

  std::string_view accept_encoding, if_none_match;
  bool have_encoding = false, have_inm = false, have_connection = false;
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos || eol == pos) break;  // the blank line ends the head
    const std::string_view field = head.substr(pos, eol - pos);
    pos = eol + 2;
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view name = field.substr(0, colon);
    const std::string_view value = trim_blanks(field.substr(colon + 1));
    if (same_ascii_ci(name, "Accept-Encoding")) {
      if (have_encoding) return false;
      have_encoding = true;
      accept_encoding = value;
    } else if (same_ascii_ci(name, "If-None-Match")) {
      if (have_inm) return false;
      have_inm = true;
      if_none_match = value;
    } else if (same_ascii_ci(name, "Connection")) {
      // Keep-alive is HTTP/1.1's default; anything else (close, upgrade) is the library's to handle.
      if (have_connection || !same_ascii_ci(value, "keep-alive")) return false;
      have_connection = true;
    } else if (!harmless(name)) {
      return false;
    }
  }

  const auto commits = watch->version();
  if (!commits) return false;  // the header is being rewritten: read the database instead
  const std::string& today_is = today();
  std::shared_ptr<const Prepared> p;
  {
    std::shared_lock shared(mutex_);
    if (*commits != commits_ || entries_.empty()) return false;
    if (today_is != day_) return false;  // the publication rules' day has moved on
    auto it = entries_.find(target);
    if (it == entries_.end()) return false;
    p = it->second;
  }

  const CacheableBody& c = *p->body;
  // As send_cacheable chooses (a Range request never comes here).
  const int gz = have_encoding && compression_worthwhile(c.body.size()) && accepts_gzip(accept_encoding) ? 1 : 0;
  if (gz && !c.gzip_body) return false;  // the normal path would compress it now
  const int not_modified = have_inm && etag_listed(if_none_match, p->etag[gz]) ? 1 : 0;
  const int form = head_only ? 1 : 0;
  const std::string& prepared_head = p->head[gz][not_modified][form];
  const std::size_t id_at = p->id_at[gz][not_modified][form];
  char id[16];
  new_request_id_into(id);
  answered_.fetch_add(1, std::memory_order_relaxed);
  service_counters().cache_hits.fetch_add(1, std::memory_order_relaxed);
  ResponseRecord record;
  record.method = head_only ? "HEAD" : "GET";
  record.target = target;
  record.route = p->route;
  record.status = not_modified ? 304 : 200;
  record.start = start;
  record.request_id = std::string_view(id, sizeof id);
  // The head in three writes (before the id, the id, after it): the stream buffers them.
  if (out.write(prepared_head.data(), id_at) < 0 || out.write(id, sizeof id) < 0 ||
      out.write(prepared_head.data() + id_at + sizeof id, prepared_head.size() - id_at - sizeof id) < 0) {
    record_response(record);
    return true;  // failed: the loop closes the connection
  }
  if (!not_modified && !head_only) {
    const std::string& body = gz ? *c.gzip_body : c.body;
    out.write(body.data(), body.size());
    record.bytes = body.size();
  }
  record_response(record);
  return true;
}

}  // namespace probity
