#include "server/connection_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
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

// One connection's socket: reads through a buffer (the parser reads a byte at a time), and
// writes into a buffer sent when the response is complete (flush()) or before the next read
// (so that "100 Continue" reaches a client waiting for it before its body is read).
class BufferedSocket final : public httplib::Stream {
 public:
  BufferedSocket(socket_t sock, std::chrono::seconds read_timeout, std::chrono::seconds write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, remote_ip_, remote_port_);
    len = sizeof(addr);
    if (getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, local_ip_, local_port_);
    // SO_RCVTIMEO and SO_SNDTIMEO are the library's read and write timeouts, set on accept; a
    // blocking call that times out returns EAGAIN and is retried until its own deadline.
  }

  /// Waits for the first byte of the next request, up to `timeout`; false when the connection
  /// has ended, failed, or stayed idle that long.
  bool wait_for_request(std::chrono::seconds timeout) {
    if (in_pos_ < in_end_) return true;
    if (!flush()) return false;
    return fill(Clock::now() + timeout);
  }

  bool is_readable() const override { return in_pos_ < in_end_; }
  bool is_writable() const override { return !failed_; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_pos_ == in_end_) {
      if (!flush() || !fill(Clock::now() + read_timeout_)) return -1;
    }
    const size_t n = std::min(size, in_end_ - in_pos_);
    std::memcpy(ptr, in_ + in_pos_, n);
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

  bool fill(Clock::time_point deadline) {
    for (;;) {
      const ssize_t n = ::recv(sock_, in_, sizeof(in_), 0);
      if (n > 0) {
        in_pos_ = 0;
        in_end_ = static_cast<size_t>(n);
        return true;
      }
      if (n == 0) return false;  // the client closed, or the server is stopping (shutdown(SHUT_RD))
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && Clock::now() < deadline) continue;
      failed_ = true;
      return false;
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
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && Clock::now() < deadline) continue;
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
  std::chrono::seconds read_timeout_;
  std::chrono::seconds write_timeout_;
  std::string remote_ip_, local_ip_;
  int remote_port_ = 0, local_port_ = 0;
  char in_[16 * 1024];
  size_t in_pos_ = 0, in_end_ = 0;
  std::string out_;
  bool failed_ = false;
};

class ConnectionThreads final : public httplib::ThreadPool {
 public:
  ConnectionThreads(std::size_t threads, ConnectionServer& server) : ThreadPool(threads), server_(server) {}
  void shutdown() override {
    server_.close_connections();
    ThreadPool::shutdown();
  }

 private:
  ConnectionServer& server_;
};

}  // namespace

httplib::TaskQueue* ConnectionServer::make_thread_pool(std::size_t threads) {
  return new ConnectionThreads(threads, *this);
}

bool ConnectionServer::enter(socket_t sock) {
  std::lock_guard lock(mutex_);
  if (closing_) return false;
  open_.insert(sock);
  return true;
}

void ConnectionServer::leave(socket_t sock) {
  std::lock_guard lock(mutex_);
  open_.erase(sock);
}

void ConnectionServer::close_connections() {
  std::lock_guard lock(mutex_);
  closing_ = true;
  // Only the reading side: a thread in a handler still writes its response, then its next read
  // sees the end of the stream and the connection closes.
  for (socket_t sock : open_) ::shutdown(sock, SHUT_RD);
}

std::size_t ConnectionServer::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (enter(sock)) {
    const auto read_timeout = std::chrono::seconds(read_timeout_sec_);
    const auto idle_timeout = std::chrono::seconds(keep_alive_timeout_sec_);
    BufferedSocket stream(sock, read_timeout, std::chrono::seconds(write_timeout_sec_));
    // The library set SO_RCVTIMEO to the read timeout on accept; a shorter keep-alive timeout
    // needs recv() to return that soon too.
    if (keep_alive_timeout_sec_ < read_timeout_sec_) {
      timeval tv{};
      tv.tv_sec = static_cast<decltype(tv.tv_sec)>(keep_alive_timeout_sec_ > 0 ? keep_alive_timeout_sec_ : 1);
      setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
      if (!stream.wait_for_request(idle_timeout)) break;
      bool connection_closed = false;
      ok = process_request(stream, left == 1, connection_closed, nullptr);
      if (!stream.flush() || !ok || connection_closed) break;
    }
    stream.flush();
    leave(sock);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace probity
