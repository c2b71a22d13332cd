#pragma once
// The plain-HTTP server: cpp-httplib's request parsing, routing and response writing
// (Server::process_request), with our own handling of connections.
//
// Debian's cpp-httplib 0.11.4 gives each connection a pool thread for as long as it stays open,
// and spends about eleven system calls on each keep-alive request: a poll before the read, one
// before each of the two writes (headers, then body), a getpeername and a getsockname, and polls
// every 11 ms while a connection waits for its next request. So 128 idle keep-alive connections
// held all 128 threads, and every request woke a sleeping thread.
//
// Here connections wait in one epoll set, holding no thread. A few worker threads, "pollers"
// (one per core), take ready connections from it and serve them in place: a recv(), the
// library's handling, one sendmsg() for the whole response. A poller that finishes goes straight
// back for the next ready connection, so under load a request costs no thread switch. Work that
// may take a while (anything but a public page already cached: database writes, password hashing,
// building a page) first calls may_block(): unless another poller is waiting in epoll_wait (then
// the other connections are covered, and this thread, its caches warm, polls again afterwards),
// the thread stops being a poller and wakes a parked worker to poll in its place, up to `threads`
// workers in all. Waiting on a slow client's socket does the same.
//
// A request is received whole in the pollers before any worker or the library sees it
// (request_head.hpp says why and what is refused): a slow client holds no thread, only its
// buffer, bounded by the head and body limits, and all bodies being received together are
// bounded too (max_buffered_body_bytes; past it a request gets 503). The library then parses the
// request from memory, and whatever it leaves unread of the body is dropped, never read as the
// next request. A framing refusal closes the connection (after a short drain, so that the
// answer is not lost to a reset).
//
// Timeouts: a connection idle for keep_alive_timeout is closed, a request's head must arrive
// within head_timeout of its first byte and the whole request within request_timeout (a sweep
// once a second checks them), and a write stalled for write_timeout fails the connection.
// Stopping ends idle connections at once and lets requests being served finish.
//
// A cached public GET or HEAD that asks plainly for a response the cache holds is answered in the
// poller from bytes prepared once (prepared_answer.hpp), after the head's checks and before the
// library: one lookup and one write, and the same keep-alive handling afterwards.
//
// HTTPS keeps the library's own SSLServer loop (TLS has its own reads and writes).

#include <httplib.h>

#include "server/http/request_head.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace probity {

class PreparedAnswers;

/// What a client may send and how long it may take (the config's limits; docs/reliability.md).
struct ConnectionLimits {
  HeadLimits head;
  std::chrono::seconds head_timeout{10};
  std::chrono::seconds request_timeout{30};
  std::size_t max_buffered_body_bytes = 64 * 1024 * 1024;
};

class ConnectionServer : public httplib::Server {
 public:
  ConnectionServer() = default;
  ~ConnectionServer() override;

  /// Starts the workers for one run of listen (set as new_task_queue): `threads` workers, of
  /// which at most one per core polls at a time. The returned queue's shutdown() stops them.
  httplib::TaskQueue* make_thread_pool(std::size_t threads);
  /// Set before listening.
  void set_limits(const ConnectionLimits& limits);
  /// Cached public reads answered in the poller (prepared_answer.hpp); set before listening,
  /// must outlive the server. Null: every request goes through the library.
  void set_prepared_answers(const PreparedAnswers* answers) { prepared_ = answers; }

  struct Connection;

 private:
  friend class EventWorkers;
  friend void may_block();

  bool process_and_close_socket(socket_t sock) override;
  void start(std::size_t threads);
  void stop_workers();
  void work();
  void sweep();
  void serve(Connection* c);
  void linger(Connection* c);
  bool reserve_body(Connection* c, std::size_t bytes);
  void release_body(Connection* c);
  void rearm(Connection* c);
  void close(Connection* c);
  bool take_permit();
  void give_permit();

  ConnectionLimits limits_;
  const PreparedAnswers* prepared_ = nullptr;
  std::atomic<std::size_t> buffered_body_bytes_{0};
  int epoll_ = -1;
  int wake_ = -1;  // an eventfd, readable once stopping: every poller sees it
  std::atomic<bool> stopping_{false};
  std::atomic<int> waiting_{0};  // pollers in epoll_wait now
  std::mutex mutex_;  // guards open_
  std::unordered_set<Connection*> open_;
  std::mutex permit_mutex_;
  std::condition_variable permit_cv_;
  std::size_t permits_ = 0;
  std::mutex sweep_mutex_;
  std::condition_variable sweep_cv_;
  std::vector<std::thread> workers_;
  std::thread sweeper_;
};

/// Call before work that may take a while. On a poller, hands polling to another worker, so that
/// the other connections are served meanwhile; elsewhere (or called again) it does nothing.
/// Throws nothing.
void may_block();

}  // namespace probity
