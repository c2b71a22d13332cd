#pragma once
// Conditional requests and compression for the public registers. Journalists' scripts and
// feed readers poll these pages; a 304 costs a hash instead of a page.
#include <httplib.h>

#include <functional>
#include <memory>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace probity {

/// Finishes a 200 response whose body and Content-Type are set: a strong ETag (SHA-256 of the
/// body, plus the content coding when one is applied, since a gzip body is different bytes),
/// Last-Modified from `last_recorded` (an ISO 8601 instant; omitted when nullopt), Vary and
/// Cache-Control; then either a 304 without body when If-None-Match names this ETag, or the
/// body, gzip-compressed when it is over 1 KB and the client accepts gzip. Other statuses are
/// left alone. Throws std::runtime_error if hashing fails.
void finish_cacheable(const httplib::Request& req, httplib::Response& res, const std::optional<std::string>& last_recorded);

/// A public response body, ready to be sent many times: the identity bytes with their SHA-256,
/// and a gzip copy made once when cpp-httplib would not compress this type itself.
struct CacheableBody {
  std::string content_type;
  std::string body;
  std::string sha256;                    // hex, of `body` (or of the identity it was made with)
  std::optional<std::string> gzip_body;  // made by make_cacheable(..., true) when worth it
  std::string last_modified;             // HTTP date, or empty
  httplib::Headers extra_headers;        // e.g. Content-Disposition
  std::size_t size() const { return body.size() + (gzip_body ? gzip_body->size() : 0); }
};

/// Takes the body, Content-Type and Content-Disposition of a finished 200 response. With
/// `precompress`, also keeps a gzip copy (when over 1 KB). Throws std::runtime_error if hashing
/// fails.
CacheableBody make_cacheable(httplib::Response& res, const std::optional<std::string>& last_recorded, bool precompress);

/// make_cacheable for a body that `identity` determines, such as "the conflicts check of meeting
/// 5 for the governance team at register generation 812": the ETag is a hash of the identity and
/// of this process (a restart may bring other code or settings), not of the body, so a large
/// answer is not hashed on every build. The caller guarantees that the same identity in the same
/// process always gives the same bytes. Throws std::runtime_error if hashing fails.
CacheableBody make_cacheable_identified(httplib::Response& res, const std::string& identity, bool precompress);

/// Sends `body` as finish_cacheable describes (ETag per coding, 304, gzip), without copying it:
/// the response shares it. Throws nothing new.
void send_cacheable(const httplib::Request& req, httplib::Response& res, std::shared_ptr<const CacheableBody> body);

/// Makes a streamed body's next piece: fills `piece` (given empty) and returns true while more
/// follow, false with the last piece (which may be empty). Throws on error.
using NextPiece = std::function<bool(std::string& piece)>;

/// Sends a body made piece by piece (chunked, never held whole) with the headers send_cacheable
/// sets: `tagged` (from make_cacheable_identified, so its ETag names the request, not the bytes)
/// gives the Content-Type, ETag, Last-Modified and other headers. A 304 when If-None-Match names
/// the ETag, and then `next` is never called; otherwise gzip is applied piece by piece for a
/// client that accepts it. An exception from `next`, necessarily after the headers have gone, is
/// logged and closes the connection without the last chunk, so the client sees a cut-off
/// transfer, never a complete-looking body. Returns false for the 304.
bool send_streamed(const httplib::Request& req, httplib::Response& res, const CacheableBody& tagged, NextPiece next);

/// For any other response: gzips a body cpp-httplib would compress (text/*) when the client
/// accepts gzip, and hands it to the library so that it does not compress it again. cpp-httplib
/// 0.11.4 brotli-compresses such bodies on every request at quality 11, about 5 ms for a 5 KB
/// page; zlib's default level is a fraction of that. Other bodies are left as they are.
void compress_response(const httplib::Request& req, httplib::Response& res);

/// The files cpp-httplib serves from the mount points (/assets: the NHS design system; /public):
/// each answered as a cached public response is (a strong ETag, a 304 for If-None-Match, a gzip
/// copy made once), never compressed per request by the library, which brotli-compresses any
/// text body at quality 11 for a client that accepts br (every browser): 300 ms of CPU for the
/// NHS stylesheet (278 KB), on every page a browser loaded, since the library sent no validator
/// either. A file is read by the library on each request and compared with the copy kept, so a
/// file replaced on disk (an upgrade) is never answered from an older copy. At most `max_bytes`
/// are kept; a file beyond that is gzipped per request as other responses are. Thread-safe;
/// throws std::runtime_error if hashing fails.
class StaticFileCache {
 public:
  explicit StaticFileCache(std::size_t max_bytes = 32u << 20) : max_bytes_(max_bytes) {}
  /// For cpp-httplib's file request handler: `res` holds the file the library read.
  void answer(const httplib::Request& req, httplib::Response& res);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CacheableBody>> files_;
  std::size_t bytes_ = 0;
  std::size_t max_bytes_;
};

/// Rendered public responses for one state of the register: a generation read in the same
/// snapshot as the data (it must change with every write to published data) and the day the
/// publication rules applied. A newer generation or day empties it; an older one (a request
/// that began before a write) neither reads nor fills it, so nothing stale is ever served.
/// Bounded in entries and bytes. Thread-safe; throws nothing but std::bad_alloc.
class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_entries = 512, std::size_t max_bytes = 64u << 20)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}
  std::shared_ptr<const CacheableBody> find(const std::string& key, long long generation, const std::string& day);
  void store(const std::string& key, long long generation, const std::string& day, std::shared_ptr<const CacheableBody> body);
  /// As find, but when the response is missing, makes the caller its builder (`claimed` set):
  /// a request for a response another request of this generation is already building waits
  /// for it (up to `wait`) instead of building it again, so a burst of readers after a write
  /// builds each page once. The builder must call release() when done (after store, or on
  /// failure). Returns nullptr unclaimed when the snapshot is older or the wait ran out: the
  /// caller then builds without waiting further.
  std::shared_ptr<const CacheableBody> find_or_claim(const std::string& key, long long generation, const std::string& day,
                                                     bool& claimed, std::chrono::milliseconds wait = std::chrono::seconds(10));
  void release(const std::string& key, long long generation);

  /// Serving without a snapshot: `commits` (a CommitWatch version read before the snapshot was
  /// opened) was followed by a snapshot that showed `generation` on `day`. While the watch still
  /// reads `commits`, nothing has been committed since, so this generation is the database's.
  void confirm(std::uint64_t commits, long long generation, const std::string& day);
  /// The response for `key` when `commits`, read now, is the version last confirmed for the
  /// current generation (and `day` is its day); nullptr otherwise: then read the database.
  std::shared_ptr<const CacheableBody> find_unchanged(const std::string& key, std::uint64_t commits, const std::string& day);

 private:
  bool current(long long generation, const std::string& day);  // call with mutex_ held

  std::shared_mutex mutex_;
  std::condition_variable_any built_;
  std::unordered_map<std::string, long long> building_;  // key -> generation being built
  long long generation_ = -1;
  std::optional<std::uint64_t> confirmed_commits_;  // for generation_; emptied with the entries
  std::string day_;
  std::unordered_map<std::string, std::shared_ptr<const CacheableBody>> entries_;
  std::size_t bytes_ = 0;
  std::size_t max_entries_;
  std::size_t max_bytes_;
};

/// Lets the waiters of a find_or_claim claim go when it goes out of scope: after the response is
/// stored, or when building it failed. Does nothing when the claim was not made.
class ReleaseClaim {
 public:
  ReleaseClaim(ResponseCache& cache, const std::string& key, long long generation, bool claimed)
      : cache_(cache), key_(key), generation_(generation), claimed_(claimed) {}
  ~ReleaseClaim() {
    if (claimed_) cache_.release(key_, generation_);
  }
  ReleaseClaim(const ReleaseClaim&) = delete;
  ReleaseClaim& operator=(const ReleaseClaim&) = delete;

 private:
  ResponseCache& cache_;
  const std::string& key_;
  long long generation_;
  bool claimed_;
};

/// An ISO 8601 UTC instant (2025-03-02T10:04:05Z) as an HTTP date (Sun, 02 Mar 2025 10:04:05
/// GMT); empty when the text is not such an instant. Throws nothing.
std::string http_date(const std::string& iso_instant);

/// True when the Accept-Encoding header accepts gzip (a q=0 refuses it). Throws nothing.
bool accepts_gzip(std::string_view accept_encoding);

/// True when an If-None-Match header's list names `etag` (compared weakly) or is "*". Throws
/// nothing.
bool etag_listed(std::string_view if_none_match, std::string_view etag);

/// True when a body of `size` bytes is worth sending gzip-compressed (over 1 KB). Throws nothing.
bool compression_worthwhile(std::size_t size);

}  // namespace probity
