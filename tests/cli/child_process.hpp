#pragma once
// Starting the real `probity` binary as a child process, for tests that need to kill it,
// read what it prints, or run several at once. posix_spawn, no shell.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace probity::testing {

class ChildProcess {
 public:
  /// Starts PROBITY_BIN with `args`. Its stdout is readable with read_line() when `capture`,
  /// otherwise discarded; stderr is discarded when `quiet`, read with stdout when `merge_stderr`.
  /// Throws std::runtime_error.
  ChildProcess(const std::vector<std::string>& args, bool capture, bool quiet = false, bool merge_stderr = false) {
    std::vector<std::string> argv_text{PROBITY_BIN};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2] = {-1, -1};
    if (capture && ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (capture) posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    else posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (quiet) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    else if (capture && merge_stderr) posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    const int rc = ::posix_spawn(&pid_, PROBITY_BIN, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (capture) {
      ::close(out[1]);
      out_fd_ = out[0];
    }
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start " + std::string(PROBITY_BIN));
    }
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  /// The next line of stdout, waiting at most `timeout`; empty at end of output or on timeout.
  std::string read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
      char buf[1024];
      const ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) return {};
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  /// For `probity serve --port 0`: reads lines until "... at http(s)://host:port/" and returns
  /// the port; 0 if the server did not say so within `timeout`.
  int read_serving_port(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    static const std::regex serving(R"(Probity is serving .* at https?://[^:/]+:(\d+)/)");
    for (std::string line; !(line = read_line(timeout)).empty();) {
      std::smatch m;
      if (std::regex_search(line, m, serving)) return std::stoi(m[1].str());
    }
    return 0;
  }

  void signal(int sig) const {
    if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
  }

  /// Blocks until the process has exited without reaping it: its pid stays reserved, so a
  /// signal sent meanwhile from another thread cannot reach an unrelated process.
  void wait_exited_unreaped() const {
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
    }
  }

  /// True once the process has exited (for whatever reason); does not reap it, so wait() still
  /// reads its status and its pid stays reserved.
  bool has_exited() const {
    if (reaped_) return true;
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
  }

  /// Reaps the process: its exit code, or -N when killed by signal N.
  int wait() {
    if (reaped_) return status_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1000;
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace probity::testing
