#include "server/http/http_cache.hpp"

#include <ctime>
#include <string_view>

#include "model/base/crypto.hpp"
#include "model/base/timestamp.hpp"
#include "model/base/text.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"

namespace probity {
namespace {
// Smaller bodies gain little and cost a compression each.
constexpr std::size_t kCompressAbove = 1024;

template <typename F>
void for_each_list_item(std::string_view list, F&& f) {
  while (!list.empty()) {
    auto comma = list.find(',');
    f(trim_blanks(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// cpp-httplib's set_header adds a second header of the same name rather than replacing it.
void replace_header(httplib::Response& res, const std::string& name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

std::optional<std::string> gzip(const std::string& body) {
  httplib::detail::gzip_compressor compressor;
  std::string out;
  bool ok = compressor.compress(body.data(), body.size(), true, [&](const char* data, std::size_t n) {
    out.append(data, n);
    return true;
  });
  if (!ok) return std::nullopt;
  return out;
}
}  // namespace

bool etag_listed(std::string_view if_none_match, std::string_view etag) {
  bool found = false;
  for_each_list_item(if_none_match, [&](std::string_view tag) {
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);  // If-None-Match compares weakly
    if (tag == "*" || tag == etag) found = true;
  });
  return found;
}

bool compression_worthwhile(std::size_t size) { return size > kCompressAbove; }

bool accepts_gzip(std::string_view accept_encoding) {
  bool accepted = false;
  for_each_list_item(accept_encoding, [&](std::string_view item) {
    auto semi = item.find(';');
    auto coding = trim_blanks(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") return;
    bool refused = false;
    if (semi != std::string_view::npos) {
      auto param = trim_blanks(item.substr(semi + 1));
      if (param.rfind("q=", 0) == 0) {
        auto q = param.substr(2);
        refused = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (!refused) accepted = true;
  });
  return accepted;
}

std::string http_date(const std::string& iso_instant) {
  auto t = parse_instant(iso_instant);
  if (!t) return "";
  std::time_t seconds = std::chrono::system_clock::to_time_t(*t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  // strftime's %a and %b follow the C locale, which is what HTTP dates need.
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

namespace {
// Whether to send a body of `size` bytes gzip-compressed: the client takes gzip and it is worth
// it. A Range request is served from the plain body.
bool gzip_wanted(const httplib::Request& req, std::size_t size) {
  return req.ranges.empty() && compression_worthwhile(size) && accepts_gzip(req.get_header_value("Accept-Encoding"));
}

// True when cpp-httplib compresses this Content-Type itself for a client that accepts gzip.
bool library_compresses(const httplib::Response& res) {
  httplib::Request probe;
  probe.headers.emplace("Accept-Encoding", "gzip");
  return httplib::detail::encoding_type(probe, res) != httplib::detail::EncodingType::None;
}
}  // namespace

CacheableBody make_cacheable(httplib::Response& res, const std::optional<std::string>& last_recorded, bool precompress) {
  CacheableBody c;
  c.content_type = res.get_header_value("Content-Type");
  if (res.has_header("Content-Disposition")) c.extra_headers.emplace("Content-Disposition", res.get_header_value("Content-Disposition"));
  if (last_recorded) c.last_modified = http_date(*last_recorded);
  c.sha256 = sha256_hex(res.body);
  if (precompress && compression_worthwhile(res.body.size())) c.gzip_body = gzip(res.body);
  c.body = std::move(res.body);
  res.body.clear();
  return c;
}

CacheableBody make_cacheable_identified(httplib::Response& res, const std::string& identity, bool precompress) {
  // Made once per process: an ETag from before a restart never matches after it.
  static const std::string process = random_hex(16);
  CacheableBody c;
  c.content_type = res.get_header_value("Content-Type");
  if (res.has_header("Content-Disposition")) c.extra_headers.emplace("Content-Disposition", res.get_header_value("Content-Disposition"));
  c.sha256 = sha256_hex(process + "\n" + identity);
  if (precompress && compression_worthwhile(res.body.size())) c.gzip_body = gzip(res.body);
  c.body = std::move(res.body);
  res.body.clear();
  return c;
}

namespace {
// The body goes out from a content provider, which cpp-httplib sends as it is: it neither copies
// it nor compresses it again (it would brotli-compress any text/* body on every request, at
// quality 11: 20 ms for the register page). `owner` keeps the bytes alive until sent.
void send_bytes(httplib::Response& res, std::shared_ptr<const void> owner, const std::string& bytes, const std::string& content_type) {
  res.body.clear();
  res.headers.erase("Content-Type");
  if (bytes.empty()) {  // cpp-httplib keeps no provider for an empty body
    res.set_header("Content-Type", content_type);
    return;
  }
  const char* data = bytes.data();
  res.set_content_provider(bytes.size(), content_type,
                           [owner = std::move(owner), data](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(data + offset, length);
                           });
}
}  // namespace

namespace {
// What send_cacheable and send_streamed both send: the status, the body's own headers, Vary,
// Cache-Control, Last-Modified and the ETag of the coding chosen. True, with the response made a
// 304 without body, when If-None-Match names that ETag.
bool answer_headers(const httplib::Request& req, httplib::Response& res, const CacheableBody& c, bool gzipped) {
  res.status = 200;
  for (const auto& [name, value] : c.extra_headers) replace_header(res, name, value);
  replace_header(res, "Vary", "Accept-Encoding");
  replace_header(res, "Cache-Control", "no-cache");  // may be stored, but ask us each time: the register changes
  if (!c.last_modified.empty()) replace_header(res, "Last-Modified", c.last_modified);
  const std::string etag = "\"" + c.sha256 + (gzipped ? "-gzip" : "") + "\"";
  replace_header(res, "ETag", etag);
  if ((req.method == "GET" || req.method == "HEAD") && req.has_header("If-None-Match") &&
      etag_listed(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    res.body.clear();
    res.headers.erase("Content-Type");
    return true;
  }
  return false;
}
}  // namespace

void send_cacheable(const httplib::Request& req, httplib::Response& res, std::shared_ptr<const CacheableBody> c) {
  // gzip for every type: the copy made once when cached, or made now.
  std::shared_ptr<const std::string> gz;
  if (gzip_wanted(req, c->body.size())) {
    if (c->gzip_body) gz = std::shared_ptr<const std::string>(c, &*c->gzip_body);
    else if (auto made = gzip(c->body)) gz = std::make_shared<const std::string>(std::move(*made));
  }
  if (answer_headers(req, res, *c, gz != nullptr)) return;
  if (gz) {
    replace_header(res, "Content-Encoding", "gzip");
    send_bytes(res, gz, *gz, c->content_type);
  } else {
    send_bytes(res, c, c->body, c->content_type);
  }
}

bool send_streamed(const httplib::Request& req, httplib::Response& res, const CacheableBody& tagged, NextPiece next) {
  // No size to weigh: a streamed body is large by nature.
  const bool gzipped = accepts_gzip(req.get_header_value("Accept-Encoding"));
  if (answer_headers(req, res, tagged, gzipped)) return false;
  res.headers.erase("Content-Type");  // the provider sets it
  if (gzipped) replace_header(res, "Content-Encoding", "gzip");
  // cpp-httplib compresses a chunked text body itself (brotli at quality 11) for a client that
  // accepts a coding, judging by the request alone: it must not see the Accept-Encoding of a body
  // sent as it is, or gzipped here. The request is the library's own object, not a constant one,
  // and nothing reads its headers after the handler.
  const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
  struct Streaming {
    NextPiece next;
    std::optional<httplib::detail::gzip_compressor> gz;
    std::string piece, packed;
    std::string path;
  };
  auto st = std::make_shared<Streaming>(Streaming{std::move(next), std::nullopt, {}, {}, req.path});
  if (gzipped) st->gz.emplace();
  res.set_chunked_content_provider(tagged.content_type, [st](std::size_t, httplib::DataSink& sink) {
    try {
      st->piece.clear();
      const bool more = st->next(st->piece);
      if (st->gz) {
        st->packed.clear();
        if (!st->gz->compress(st->piece.data(), st->piece.size(), !more, [&](const char* data, std::size_t n) {
              st->packed.append(data, n);
              return true;
            }))
          throw std::runtime_error("gzip failed");
        if (!st->packed.empty() && !sink.write(st->packed.data(), st->packed.size())) return false;
      } else if (!st->piece.empty() && !sink.write(st->piece.data(), st->piece.size())) {
        return false;  // the client went away
      }
      if (!more) sink.done();
      return true;
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "download_failed", {{"path", st->path}, {"error", e.what()}});
      return false;  // the connection closes without the last chunk
    }
  });
  return true;
}

void compress_response(const httplib::Request& req, httplib::Response& res) {
  if (res.body.empty() || res.has_header("Content-Encoding") || !library_compresses(res)) return;
  auto body = std::make_shared<std::string>(std::move(res.body));
  if (gzip_wanted(req, body->size())) {
    if (auto made = gzip(*body)) {
      *body = std::move(*made);
      res.set_header("Content-Encoding", "gzip");
      replace_header(res, "Vary", "Accept-Encoding");
    }
  }
  const std::string type = res.get_header_value("Content-Type");
  const std::string& bytes = *body;
  send_bytes(res, std::move(body), bytes, type);
}

void finish_cacheable(const httplib::Request& req, httplib::Response& res, const std::optional<std::string>& last_recorded) {
  if (res.status != 200 && res.status != -1) return;
  send_cacheable(req, res, std::make_shared<const CacheableBody>(make_cacheable(res, last_recorded, false)));
}

void StaticFileCache::answer(const httplib::Request& req, httplib::Response& res) {
  if (res.status != 200 && res.status != -1) return;
  std::shared_ptr<const CacheableBody> kept;
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(req.path); it != files_.end() && it->second->body == res.body) kept = it->second;
  }
  if (!kept) {
    auto made = std::make_shared<const CacheableBody>(make_cacheable(res, std::nullopt, true));
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(req.path); it != files_.end()) {  // replaced on disk
      bytes_ -= it->second->size();
      files_.erase(it);
    }
    if (bytes_ + made->size() <= max_bytes_) {
      bytes_ += made->size();
      files_.emplace(req.path, made);
    }
    kept = std::move(made);
  }
  send_cacheable(req, res, std::move(kept));
}

bool ResponseCache::current(long long generation, const std::string& day) {
  if (generation == generation_ && day == day_) return true;
  if (generation < generation_ || (generation == generation_ && day < day_)) return false;  // an older snapshot
  entries_.clear();
  bytes_ = 0;
  confirmed_commits_.reset();
  generation_ = generation;
  day_ = day;
  return true;
}

namespace {
// A response served from memory, counted for the metrics (server/http/metrics.hpp).
std::shared_ptr<const CacheableBody> counted_hit(const std::shared_ptr<const CacheableBody>& body) {
  service_counters().cache_hits.fetch_add(1, std::memory_order_relaxed);
  return body;
}
}  // namespace

std::shared_ptr<const CacheableBody> ResponseCache::find(const std::string& key, long long generation, const std::string& day) {
  std::lock_guard lock(mutex_);
  if (!current(generation, day)) return nullptr;
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<const CacheableBody> ResponseCache::find_or_claim(const std::string& key, long long generation, const std::string& day,
                                                                  bool& claimed, std::chrono::milliseconds wait) {
  claimed = false;
  {
    // The usual case, a hit in the current state, under a shared lock: readers do not queue on
    // each other (a std::mutex here was a large part of the futex waits under load).
    std::shared_lock shared(mutex_);
    if (generation == generation_ && day == day_)
      if (auto it = entries_.find(key); it != entries_.end()) return counted_hit(it->second);
  }
  service_counters().cache_misses.fetch_add(1, std::memory_order_relaxed);  // built, or waited for
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!current(generation, day)) return nullptr;
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
    auto b = building_.find(key);
    if (b == building_.end() || b->second < generation) {
      building_[key] = generation;
      claimed = true;
      return nullptr;
    }
    if (b->second > generation) return nullptr;  // a newer state is being built: ours cannot be cached
    if (built_.wait_until(lock, deadline) == std::cv_status::timeout) return nullptr;
  }
}

void ResponseCache::confirm(std::uint64_t commits, long long generation, const std::string& day) {
  {
    std::shared_lock shared(mutex_);
    if (generation == generation_ && day == day_ && confirmed_commits_ == commits) return;
  }
  std::lock_guard lock(mutex_);
  if (current(generation, day)) confirmed_commits_ = commits;
}

std::shared_ptr<const CacheableBody> ResponseCache::find_unchanged(const std::string& key, std::uint64_t commits,
                                                                   const std::string& day) {
  std::shared_lock shared(mutex_);
  if (confirmed_commits_ != commits || day != day_) return nullptr;
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : counted_hit(it->second);
}

void ResponseCache::release(const std::string& key, long long generation) {
  {
    std::lock_guard lock(mutex_);
    auto b = building_.find(key);
    if (b != building_.end() && b->second == generation) building_.erase(b);
  }
  built_.notify_all();
}

void ResponseCache::store(const std::string& key, long long generation, const std::string& day,
                          std::shared_ptr<const CacheableBody> body) {
  std::lock_guard lock(mutex_);
  if (!current(generation, day) || entries_.contains(key)) return;
  // Full (e.g. many different searches): keep what is there rather than churn.
  if (entries_.size() >= max_entries_ || bytes_ + body->size() > max_bytes_) return;
  bytes_ += body->size();
  entries_.emplace(key, std::move(body));
}

}  // namespace probity
