#pragma once
// A real SMTP server (tests/smtp_test_server.py, aiosmtpd) on a free loopback port, for the mail
// tests: started here, stopped when the object goes. What it accepted is read back with messages().
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support.hpp"

extern char** environ;

namespace probity::testing {

struct SmtpOptions {
  std::vector<std::string> refuse_permanent;  // recipients answered 550
  std::vector<std::string> refuse_temporary;  // recipients answered 451
  int delay_ms = 0;                           // wait before answering each message
};

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::string data;  // the message as received, CRLF lines
  /// The value of the first header `name` (unfolded), empty when absent.
  std::string header(const std::string& name) const {
    const std::string head = data.substr(0, data.find("\r\n\r\n") + 2);
    const std::string key = "\r\n" + name + ": ";
    auto at = ("\r\n" + head).find(key);
    if (at == std::string::npos) return "";
    std::string value;
    std::size_t i = at + key.size() - 2;  // in head
    for (;;) {
      auto end = head.find("\r\n", i);
      value += head.substr(i, end - i);
      if (end + 2 < head.size() && (head[end + 2] == ' ' || head[end + 2] == '\t')) i = end + 2;
      else break;
    }
    return value;
  }
};

class SmtpTestServer {
 public:
  explicit SmtpTestServer(const SmtpOptions& options = {}) {
    std::vector<std::string> args{"/usr/bin/python3", std::string(PROBITY_SOURCE_DIR) + "/tests/smtp_test_server.py",
                                  "--dir", dir_.path.string()};
    for (const auto& a : options.refuse_permanent) args.insert(args.end(), {"--refuse-permanent", a});
    for (const auto& a : options.refuse_temporary) args.insert(args.end(), {"--refuse-temporary", a});
    if (options.delay_ms) args.insert(args.end(), {"--delay-ms", std::to_string(options.delay_ms)});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start the test SMTP server");
    }
    std::string line;
    char c;
    pollfd p{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&p, 1, 10000) > 0 && ::read(out[0], &c, 1) == 1) line += c;
    ::close(out[0]);
    if (line.rfind("PORT ", 0) != 0) {
      stop();
      throw std::runtime_error("the test SMTP server did not start (is python3-aiosmtpd installed?)");
    }
    port_ = std::stoi(line.substr(5));
  }
  ~SmtpTestServer() { stop(); }
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  /// Every message accepted so far, in order of arrival.
  std::vector<ReceivedMail> messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<ReceivedMail> out;
    for (const auto& f : files) {
      std::ifstream in(f);
      std::stringstream text;
      text << in.rdbuf();
      const auto j = nlohmann::json::parse(text.str());
      out.push_back({j.at("mail_from"), j.at("rcpt_tos").get<std::vector<std::string>>(), j.at("data")});
    }
    return out;
  }

 private:
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

/// A loopback port nobody listens on (bound, then closed): connecting to it is refused.
inline int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace probity::testing
