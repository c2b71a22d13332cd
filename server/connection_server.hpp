#pragma once
// The plain-HTTP server: cpp-httplib's request parsing, routing and response writing, with its
// own loop for each keep-alive connection.
//
// Debian's cpp-httplib 0.11.4 spends about eleven system calls on each keep-alive request: a
// poll before the read, one before each of the two writes (headers, then body), a getpeername
// and a getsockname, and polls every 11 ms while a connection waits for its next request
// (docs/benchmarks-notes.md, fourth round). This loop keeps the library's parser and handlers
// (Server::process_request) and changes only how the socket is used:
//   - a blocking recv() that waits for the next request, its timeout from SO_RCVTIMEO;
//   - the whole response in one send() (headers and body together, a large body sent from where
//     it lies with sendmsg);
//   - the peer and local addresses looked up once per connection.
// That is two system calls per request. Timeouts keep the configured meaning: the wait for the
// next request ends after keep_alive_timeout, a read or write stalled for read/write_timeout
// fails the connection.
//
// Stopping: the library's stop() closes the listening socket; its thread pool's shutdown() (our
// ConnectionThreads) then wakes every connection blocked in recv() by shutting its reading side,
// so a response being written is finished and the thread ends.
//
// HTTPS keeps the library's own SSLServer loop (TLS has its own reads and writes).

#include <httplib.h>

#include <mutex>
#include <set>

namespace probity {

class ConnectionServer : public httplib::Server {
 public:
  ConnectionServer() = default;

  /// The thread pool for this server (set as new_task_queue): its shutdown() first ends the
  /// connections waiting for requests.
  httplib::TaskQueue* make_thread_pool(std::size_t threads);

  /// Ends every open connection's wait for its next request, and refuses connections accepted
  /// from now on. Called from the pool's shutdown(), not from a signal handler.
  void close_connections();

  /// Connections being served now (for tests).
  std::size_t open_connections() const;

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool enter(socket_t sock);
  void leave(socket_t sock);

  mutable std::mutex mutex_;
  std::set<socket_t> open_;
  bool closing_ = false;
};

}  // namespace probity
