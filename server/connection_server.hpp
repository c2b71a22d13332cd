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
// Timeouts keep their configured meaning: a connection idle for keep_alive_timeout is closed (a
// sweep once a second), a read or write stalled for read/write_timeout fails the connection.
// Stopping ends idle connections at once and lets requests being served finish.
//
// HTTPS keeps the library's own SSLServer loop (TLS has its own reads and writes).

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace probity {

class ConnectionServer : public httplib::Server {
 public:
  ConnectionServer() = default;
  ~ConnectionServer() override;

  /// Starts the workers for one run of listen (set as new_task_queue): `threads` workers, of
  /// which at most one per core polls at a time. The returned queue's shutdown() stops them.
  httplib::TaskQueue* make_thread_pool(std::size_t threads);

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
  void rearm(Connection* c);
  void close(Connection* c);
  bool take_permit();
  void give_permit();

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
