#pragma once
// Cached public GETs answered from the poller with bytes prepared once per cache entry.
//
// A cached public read that goes through cpp-httplib costs its parser (a header map compared
// through tolower), routing (std::regex over the routes), the handler, the post-routing handler
// and the response writer (a multimap of headers, a snprintf per line, several allocations) for a
// response whose bytes are the same every time. Here the status line, headers and body of each
// cached response are written out once, in every form it can take (identity or gzip, 200 or
// 304, GET or HEAD), and a request that plainly asks for one of them is answered by copying
// those bytes, in the poller, before the library sees it.
//
// Only a plain request takes this path; anything else is served as before:
// - the connection loop has already checked the head's limits and framing (request_head.hpp),
//   the request has no body and the connection stays open after it (the last request of a
//   keep-alive connection, or one asking to close, goes through the library, which says so);
// - GET or HEAD, HTTP/1.1, every header one whose effect is known (see kHarmless in the .cpp):
//   a Cookie, an Authorization, a Range, an Expect or any header not on that list takes the
//   normal path, as does a repeated Accept-Encoding, If-None-Match or Connection;
// - the target, byte for byte, was answered by the normal path from the response cache while the
//   commit watch read the same version on the same day of the publication rules (the
//   ResponseCache's own rule for a hit without a snapshot: nothing has been committed since).
// A write anywhere changes the commit watch's version, so the next request takes the normal path
// and sees it at once.
//
// The headers are those the normal path sends: the server's default headers (passed in by the
// app, the same list it gives cpp-httplib), the cache's validators and Vary, cpp-httplib's
// Keep-Alive, Content-Length and (for HEAD) Accept-Ranges, sorted as cpp-httplib sorts them.
// tests/server/http/prepared_answer_test.cpp compares the two paths byte for byte.
#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/http/http_cache.hpp"

namespace probity {

class CommitWatch;

class PreparedAnswers {
 public:
  /// `always`: the headers every response carries (the server's default headers).
  PreparedAnswers(httplib::Headers always, long long keep_alive_timeout_seconds, std::size_t keep_alive_max_count,
                  std::size_t max_entries = 1024);

  /// Where validity comes from: the commit watch of the database the bodies are read from, and
  /// the day the publication rules apply (ISO). Nothing is answered before this is called; call
  /// it once. Both must outlive this object's use. Throws nothing.
  void set_source(const CommitWatch* watch, std::function<std::string()> day);

  /// The normal path served `body` for the request target `target` (as received: path and
  /// query), and the commit watch reading `commits` means nothing has been committed since that
  /// body's state of the register, on `day`. Offers for another version or day replace every
  /// entry. Bounded by max_entries (further targets are not kept). Throws std::bad_alloc only.
  void offer(const std::string& target, std::shared_ptr<const CacheableBody> body, std::uint64_t commits,
             const std::string& day);

  /// Answers the request whose head is `head` (request line to the blank line, already checked
  /// by scan_request_head) by writing prepared bytes to `out`, when it is a plain request for a
  /// response held here and still valid; false (nothing written) otherwise. Throws nothing but
  /// std::bad_alloc.
  bool answer(std::string_view head, httplib::Stream& out) const;

  /// How many targets are held. Throws nothing.
  std::size_t size() const;
  /// How many requests have been answered here since start. Throws nothing.
  std::uint64_t answered() const { return answered_.load(std::memory_order_relaxed); }

 private:
  struct Prepared;
  std::shared_ptr<const Prepared> prepare(std::shared_ptr<const CacheableBody> body) const;

  httplib::Headers always_;
  std::string keep_alive_;
  std::size_t max_entries_;
  std::function<std::string()> day_of_;
  std::atomic<const CommitWatch*> watch_{nullptr};
  mutable std::atomic<std::uint64_t> answered_{0};

  // The publication rules' day (day_of_), asked for at most once a second on each thread.
  const std::string& today() const;

  // Looked up by the target as received, without a copy of it.
  struct TargetHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  const std::uint64_t serial_;  // tells this object's day on a thread from another's
  mutable std::shared_mutex mutex_;
  std::uint64_t commits_ = 0;
  std::string day_;
  std::unordered_map<std::string, std::shared_ptr<const Prepared>, TargetHash, std::equal_to<>> entries_;
};

}  // namespace probity
