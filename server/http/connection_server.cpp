#include "server/http/connection_server.hpp"

#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"
#include "server/http/prepared_answer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>

namespace probity {
namespace {

using Clock = std::chrono::steady_clock;

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
    port = ntohs(a->sin6_port);
  } else {
    port = 0;
  }
  ip = text;
}

// One connection's socket. Bytes are received into a buffer in the pollers until a whole
// request (head and body, see request_head.hpp) is there; only then does the library parse it,
// from memory, never reaching past that request's end. Writes go into a buffer sent when the
// response is complete (flush()).
class BufferedSocket final : public httplib::Stream {
 public:
  BufferedSocket(socket_t sock, std::chrono::seconds write_timeout) : sock_(sock), write_timeout_(write_timeout) {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, remote_ip_, remote_port_);
    len = sizeof(addr);
    if (getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, local_ip_, local_port_);
  }

  /// The bytes received and not yet served.
  std::string_view pending() const { return std::string_view(in_.data() + in_pos_, in_end_ - in_pos_); }

  /// One read without waiting, of at most `most` bytes: 1 when bytes arrived, 0 when there were
  /// none yet, -1 when the connection has ended or failed.
  int receive(std::size_t most) {
    if (in_pos_ == in_end_) in_pos_ = in_end_ = limit_ = 0;
    const std::size_t chunk = std::min<std::size_t>(most, kReadChunk);
    if (chunk == 0) return 0;
    // The buffer only grows (zero-filled) when a request needs more room than it has.
    if (in_.size() < in_end_ + chunk) in_.resize(in_end_ + chunk);
    for (;;) {
      const ssize_t n = ::recv(sock_, in_.data() + in_end_, chunk, 0);
      if (n > 0) {
        in_end_ += static_cast<std::size_t>(n);
        return 1;
      }
      if (n == 0) return -1;
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
  }

  /// The library may read the next `bytes` bytes, the request being served, and no further.
  void serve_next(std::size_t bytes) { limit_ = in_pos_ + bytes; }
  /// Drops what is left of the request being served (a body the application did not read),
  /// keeping whatever follows it, and compacts the buffer.
  void finish_request() {
    in_pos_ = std::max(in_pos_, limit_);
    limit_ = in_pos_;
    if (in_pos_ == in_end_) {
      in_pos_ = in_end_ = limit_ = 0;
    } else if (in_pos_ >= kKeptCapacity) {  // a pipelined request follows far into the buffer
      std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
      in_end_ -= in_pos_;
      in_pos_ = limit_ = 0;
    }
    if (in_end_ == 0 && in_.size() > kKeptCapacity) {  // a large body's buffer is not kept
      in_.resize(kReadChunk);
      in_.shrink_to_fit();
    }
  }

  bool is_readable() const override { return in_pos_ < limit_; }
  bool is_writable() const override { return !failed_; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_pos_ >= limit_) return -1;  // the request has no more bytes: never a read of the socket
    const size_t n = std::min(size, limit_ - in_pos_);
    std::memcpy(ptr, in_.data() + in_pos_, n);
    in_pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    if (size <= kBufferedWrite && out_.size() + size <= kBufferedWrite) {
      out_.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    // Send what is buffered and this write together, without copying this one.
    if (!send_all(ptr, size)) return -1;
    return static_cast<ssize_t>(size);
  }

  /// Sends whatever is buffered; false when the connection has failed.
  bool flush() { return failed_ ? false : (out_.empty() || send_all(nullptr, 0)); }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return sock_; }

 private:
  // Headers and small bodies are gathered; a larger body is sent from where it lies, after them.
  static constexpr size_t kBufferedWrite = 4 * 1024;
  static constexpr size_t kReadChunk = 16 * 1024;
  static constexpr size_t kKeptCapacity = 64 * 1024;

  // The socket is non-blocking: waiting for a slow reader is a poll, and first lets another
  // worker take over polling. False once `deadline` has passed.
  bool wait_for(short events, Clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      may_block();
      pollfd p{sock_, events, 0};
      const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
  }

  // Sends out_ followed by [body, body + size).
  bool send_all(const char* body, size_t size) {
    size_t head_sent = 0;
    size_t body_sent = 0;
    const auto deadline = Clock::now() + write_timeout_;
    while (head_sent < out_.size() || body_sent < size) {
      iovec iov[2];
      int count = 0;
      if (head_sent < out_.size()) iov[count++] = {out_.data() + head_sent, out_.size() - head_sent};
      if (body_sent < size) iov[count++] = {const_cast<char*>(body) + body_sent, size - body_sent};
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<size_t>(count);
      const ssize_t n = ::sendmsg(sock_, &msg, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(POLLOUT, deadline)) continue;
        failed_ = true;
        out_.clear();
        return false;
      }
      size_t sent = static_cast<size_t>(n);
      const size_t from_head = std::min(sent, out_.size() - head_sent);
      head_sent += from_head;
      body_sent += sent - from_head;
    }
    out_.clear();
    return true;
  }

  socket_t sock_;
  std::chrono::seconds write_timeout_;
  std::string remote_ip_, local_ip_;
  int remote_port_ = 0, local_port_ = 0;
  std::string in_;
  size_t in_end_ = 0;  // the end of the bytes received
  size_t in_pos_ = 0;  // the first byte not yet served
  size_t limit_ = 0;   // the end of the request being served
  std::string out_;
  bool failed_ = false;
};

// Writes a short answer without waiting (best effort: the connection closes next).
void send_refusal(socket_t sock, int status, std::string_view message) {
  const auto start = Clock::now();
  const auto bytes = refusal_response(status, message);
  [[maybe_unused]] const auto sent = ::send(sock, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ResponseRecord refused;
  refused.route = refused_route();
  refused.status = status;
  refused.start = start;
  record_response(refused);
}

// The worker running on this thread, if any.
struct WorkerState {
  ConnectionServer* server = nullptr;
  bool polling = false;  // holds one of the poller permits
};
thread_local WorkerState t_worker;

// A refused connection's bytes are dropped for this long, and up to this much, before it is
// closed (a client sends its whole body before it reads the answer); this much each turn.
constexpr std::int64_t kDrainMs = 5000;
constexpr std::size_t kDrainBytes = 4 * 1024 * 1024;
constexpr std::size_t kDrainTurn = 256 * 1024;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

}  // namespace

struct ConnectionServer::Connection {
  Connection(socket_t s, std::chrono::seconds write_timeout) : fd(s), stream(s, write_timeout) {}
  socket_t fd;
  BufferedSocket stream;
  std::size_t left = 0;                  // requests it may still make (keep_alive_max_count)
  std::atomic<bool> busy{false};         // a worker is serving it
  std::atomic<std::int64_t> idle_since{now_ms()};
  // The request being received: when its first byte came (0: none), whether its head is whole.
  std::atomic<std::int64_t> request_started{0};
  std::atomic<bool> head_done{false};
  HeadScan head;                // valid while head_done
  std::size_t searched = 0;     // how much of an unfinished head was searched for its end
  std::size_t reserved = 0;     // body bytes counted against max_buffered_body_bytes
  bool continued = false;       // "100 Continue" sent for this request
  // Refused and answered: the server has finished sending (FIN) and drops what still arrives for
  // a moment before it closes, so that closing on unread bytes (which sends a reset) cannot
  // destroy the answer before the client reads it. 0: not draining.
  std::atomic<std::int64_t> draining_since{0};
  std::size_t drained = 0;
};

// The queue cpp-httplib's accept loop hands each new connection to: registering it in the epoll
// set is quick, so it runs in the accept loop itself. shutdown() stops the workers.
class EventWorkers final : public httplib::TaskQueue {
 public:
  explicit EventWorkers(ConnectionServer& server) : server_(server) {}
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { server_.stop_workers(); }

 private:
  ConnectionServer& server_;
};

void may_block() {
  if (!t_worker.server || !t_worker.polling) return;
  flush_log_lines();  // the handler may take a while
  // While another poller waits in epoll_wait, the other connections are covered: keep polling
  // afterwards on this thread, whose caches still hold what this connection's requests use
  // (handing over every time made a 4.2 ms conflicts check take 4.7 ms). Otherwise hand over.
  if (t_worker.server->waiting_.load(std::memory_order_acquire) > 0) return;
  t_worker.polling = false;
  t_worker.server->give_permit();
}

ConnectionServer::~ConnectionServer() { stop_workers(); }

httplib::TaskQueue* ConnectionServer::make_thread_pool(std::size_t threads) {
  start(threads);
  return new EventWorkers(*this);
}

void ConnectionServer::start(std::size_t threads) {
  stopping_ = false;
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_ < 0 || wake_ < 0) throw std::runtime_error("cannot create the server's epoll set");
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: once written, every poller sees it
  ev.data.ptr = nullptr;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  // One poller per core: more only take turns on the same cores, each turn a thread switch.
  const std::size_t cores = std::max(2u, std::thread::hardware_concurrency());
  permits_ = std::min(threads, cores);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  sweeper_ = std::thread([this] { sweep(); });
}

void ConnectionServer::stop_workers() {
  if (epoll_ < 0) return;
  stopping_ = true;
  {
    // Only the reading side: a request being served still gets its answer, then its
    // connection closes.
    std::lock_guard lock(mutex_);
    for (auto* c : open_) ::shutdown(c->fd, SHUT_RD);
  }
  const std::uint64_t one = 1;
  if (::write(wake_, &one, sizeof(one)) < 0) {
    // Cannot happen for an eventfd counter this small; the permit wake-up below still ends
    // parked workers, and pollers see their connections end.
  }
  {
    std::lock_guard lock(permit_mutex_);
  }
  permit_cv_.notify_all();
  {
    std::lock_guard lock(sweep_mutex_);
  }
  sweep_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  if (sweeper_.joinable()) sweeper_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto* c : open_) {
      ::close(c->fd);
      delete c;
    }
    open_.clear();
  }
  ::close(epoll_);
  ::close(wake_);
  epoll_ = wake_ = -1;
}

void ConnectionServer::set_limits(const ConnectionLimits& limits) { limits_ = limits; }

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  const int flags = fcntl(sock, F_GETFL);
  auto* c = new Connection(sock, std::chrono::seconds(write_timeout_sec_));
  c->left = keep_alive_max_count_;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || flags < 0 || fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0) {
      ::close(sock);
      delete c;
      return false;
    }
    open_.insert(c);
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  ev.data.ptr = c;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, sock, &ev) != 0) {
    close(c);
    return false;
  }
  return true;
}

bool ConnectionServer::take_permit() {
  std::unique_lock lock(permit_mutex_);
  permit_cv_.wait(lock, [this] { return permits_ > 0 || stopping_; });
  if (stopping_) return false;
  --permits_;
  return true;
}

void ConnectionServer::give_permit() {
  {
    std::lock_guard lock(permit_mutex_);
    ++permits_;
  }
  permit_cv_.notify_one();
}

void ConnectionServer::work() {
  t_worker.server = this;
  // The log lines of the requests this poller serves are written together when it runs out of
  // ready work (or before a handler that may block, in may_block): a write per request was one
  // system call in five of a 304.
  batch_log_lines();
  for (;;) {
    flush_log_lines();  // before waiting for a turn to poll
    if (!take_permit()) break;
    t_worker.polling = true;
    while (t_worker.polling) {
      epoll_event ev{};
      int n = epoll_wait(epoll_, &ev, 1, 0);  // anything ready is served first
      if (n == 0) {
        flush_log_lines();  // about to sleep
        waiting_.fetch_add(1, std::memory_order_acq_rel);
        n = epoll_wait(epoll_, &ev, 1, -1);
        waiting_.fetch_sub(1, std::memory_order_acq_rel);
      }
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || ev.data.ptr == nullptr) {  // stopping (or the set is gone)
        may_block();  // writes the kept lines too
        return;
      }
      serve(static_cast<Connection*>(ev.data.ptr));
    }
  }
}

namespace {
// Called by the library once a request's head is parsed. "100 Continue" is the connection
// loop's to send (before the body arrives), never the library's again; and of several byte
// ranges only the whole file is served: 2,700 ranges of one file made an 8 KB request return
// 2 GB. One range stays (resumed downloads).
void settle_request(httplib::Request& req) {
  req.headers.erase("Expect");
  if (req.ranges.size() > 1) {
    req.ranges.clear();
    req.headers.erase("Range");  // the library's file handler answers 206 to any Range header
  }
}
}  // namespace

bool ConnectionServer::reserve_body(Connection* c, std::size_t bytes) {
  const auto before = buffered_body_bytes_.fetch_add(bytes, std::memory_order_acq_rel);
  if (before + bytes > limits_.max_buffered_body_bytes) {
    buffered_body_bytes_.fetch_sub(bytes, std::memory_order_acq_rel);
    return false;
  }
  c->reserved = bytes;
  return true;
}

void ConnectionServer::release_body(Connection* c) {
  if (c->reserved) buffered_body_bytes_.fetch_sub(c->reserved, std::memory_order_acq_rel);
  c->reserved = 0;
}

void ConnectionServer::linger(Connection* c) {
  ::shutdown(c->fd, SHUT_WR);
  c->draining_since = now_ms();
  c->idle_since = now_ms();
  c->busy = false;
  rearm(c);
}

void ConnectionServer::serve(Connection* c) {
  c->busy = true;
  if (c->draining_since != 0) {
    // What arrives is dropped, kDrainTurn bytes a turn so that the others are served too, until
    // kDrainBytes; the sweep ends a drain after kDrainMs (a client uploading a body too large to
    // accept still gets its 413, though it reads the answer only once it has sent the body).
    for (std::size_t turn = 0; turn < kDrainTurn;) {
      char sink[16 * 1024];
      const ssize_t n = ::recv(c->fd, sink, sizeof(sink), 0);
      if (n > 0) {
        turn += static_cast<std::size_t>(n);
        c->drained += static_cast<std::size_t>(n);
        if (c->drained > kDrainBytes) return close(c);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      return close(c);  // the client has closed too
    }
    c->busy = false;
    return rearm(c);
  }
  bool served = false;  // a request has been answered in this turn
  for (;;) {
    // Serve every whole request received so far, in order.
    for (;;) {
      if (!c->head_done) {
        const auto pending = c->stream.pending();
        if (pending.empty()) break;
        c->head = scan_request_head(pending, limits_.head, c->searched);
        if (c->head.state == HeadScan::State::incomplete) break;
        if (c->head.state == HeadScan::State::refused) {
          send_refusal(c->fd, c->head.status, c->head.message);
          return linger(c);
        }
        if (c->head.body_bytes > 0 && !reserve_body(c, c->head.body_bytes)) {
          send_refusal(c->fd, 503, "The service is busy. Try again in a few seconds.");
          return linger(c);
        }
        c->head_done = true;
      }
      const std::size_t whole = c->head.head_bytes + c->head.body_bytes;
      if (c->stream.pending().size() < whole) {
        if (c->head.expects_continue && !c->continued) {
          c->continued = true;
          static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
          if (c->stream.write(kContinue, sizeof(kContinue) - 1) < 0 || !c->stream.flush()) return close(c);
        }
        break;  // the body is still arriving
      }
      c->stream.serve_next(whole);
      release_body(c);  // received: what is being served is bounded by the workers instead
      bool connection_closed = false;
      const bool close_after = c->head.close_after;
      const bool close_now = c->left == 1 || close_after;
      // A plain request for a cached public response: its prepared bytes (prepared_answer.hpp).
      const bool prepared = !close_now && c->head.body_bytes == 0 && prepared_ &&
                            prepared_->answer(c->stream.pending().substr(0, c->head.head_bytes), c->stream);
      const bool ok = prepared || process_request(c->stream, close_now, connection_closed, settle_request);
      c->stream.finish_request();
      c->head_done = false;
      c->searched = 0;
      c->continued = false;
      --c->left;
      if (!c->stream.flush() || stopping_) return close(c);
      if (close_after) return linger(c);
      if (!ok || connection_closed || c->left == 0) return close(c);
      c->request_started = c->stream.pending().empty() ? 0 : now_ms();
      served = true;
    }
    // Answered, and nothing of another request received: back to the epoll set, which reports the
    // connection at once if more has arrived (it is level-triggered), rather than a read now that
    // would almost always find nothing (a system call per request for nothing: a client
    // usually waits for an answer before it sends the next request).
    if (served && !c->head_done && c->stream.pending().empty()) break;
    // Then take what has arrived since, without waiting: no more than the request being received
    // still needs, so a connection holds at most one request (and one read) in memory.
    std::size_t want = std::numeric_limits<std::size_t>::max();
    if (c->head_done) want = c->head.head_bytes + c->head.body_bytes - c->stream.pending().size();
    const bool had_none = c->stream.pending().empty();
    const int got = c->stream.receive(want);
    if (got < 0) return close(c);
    if (got == 0) break;
    if (had_none && c->request_started == 0) c->request_started = now_ms();
  }
  c->idle_since = now_ms();
  c->busy = false;
  rearm(c);
}

void ConnectionServer::rearm(Connection* c) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  ev.data.ptr = c;
  if (epoll_ctl(epoll_, EPOLL_CTL_MOD, c->fd, &ev) != 0) close(c);
}

void ConnectionServer::close(Connection* c) {
  {
    std::lock_guard lock(mutex_);
    open_.erase(c);
  }
  release_body(c);
  ::shutdown(c->fd, SHUT_RDWR);
  ::close(c->fd);  // also takes it out of the epoll set
  delete c;
}

void ConnectionServer::sweep() {
  std::unique_lock wait_lock(sweep_mutex_);
  while (!stopping_) {
    sweep_cv_.wait_for(wait_lock, std::chrono::seconds(1));
    if (stopping_) break;
    // A connection idle longer than keep_alive_timeout is shut down; its poller event then
    // closes it. (One that sends a request at that very moment loses it: HTTP clients retry a
    // request on a keep-alive connection that closes.) A request must arrive whole in time: its
    // head within head_timeout of its first byte, however slowly it trickles in (a read timeout
    // restarted by every line let 128 clients sending a header line every 4 s hold the service).
    const std::int64_t now = now_ms();
    const std::int64_t idle_limit = now - static_cast<std::int64_t>(keep_alive_timeout_sec_) * 1000;
    const std::int64_t head_limit = now - static_cast<std::int64_t>(limits_.head_timeout.count()) * 1000;
    const std::int64_t request_limit = now - static_cast<std::int64_t>(limits_.request_timeout.count()) * 1000;
    std::lock_guard lock(mutex_);
    for (auto* c : open_) {
      if (c->busy) continue;
      const std::int64_t started = c->request_started;
      if (const std::int64_t draining = c->draining_since; draining != 0) {
        if (draining < now - kDrainMs) ::shutdown(c->fd, SHUT_RDWR);
      } else if (started != 0) {
        if ((!c->head_done && started < head_limit) || started < request_limit) {
          send_refusal(c->fd, 408, "The request did not arrive in time.");
          ::shutdown(c->fd, SHUT_WR);
          c->draining_since = now;
        }
      } else if (c->idle_since < idle_limit) {
        ::shutdown(c->fd, SHUT_RDWR);
      }
    }
  }
}

}  // namespace probity
