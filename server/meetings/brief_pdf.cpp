#include "server/meetings/brief_pdf.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

namespace probity {
namespace {
namespace fs = std::filesystem;

std::atomic<int> pdf_renders_running{0};

// Links to /assets/ and /public/ become file URLs of the directories the server serves them from.
std::string with_local_links(std::string html, const std::string& prefix, const std::string& dir) {
  const std::string from = "href=\"" + prefix, to = "href=\"file://" + fs::absolute(dir).lexically_normal().string() + "/";
  for (std::size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + to.size())) html.replace(at, from.size(), to);
  return html;
}

// The standard base64 alphabet with padding, as the protocol sends the PDF; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') {
      ++padding;
      continue;
    } else return std::nullopt;
    if (padding) return std::nullopt;  // data after padding
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// Chromium's DevTools protocol over --remote-debugging-pipe: JSON messages, each ended by a NUL
// byte, written to the browser's fd 3 and read from its fd 4. Commands are answered in order of
// their ids; events arrive in between. Every wait ends at `until`.
class DevToolsPipe {
 public:
  DevToolsPipe(int write_fd, int read_fd, std::chrono::steady_clock::time_point until)
      : write_fd_(write_fd), read_fd_(read_fd), until_(until) {}

  /// Sends the command (to the page's session when `session` is given) and returns its result;
  /// nullopt on an error answer, a broken pipe or the deadline.
  std::optional<nlohmann::json> call(const std::string& method, const nlohmann::json& params, const std::string& session = "") {
    nlohmann::json message = {{"id", ++last_id_}, {"method", method}, {"params", params}};
    if (!session.empty()) message["sessionId"] = session;
    std::string text = message.dump();
    text.push_back('\0');
    if (!send(text)) return std::nullopt;
    const int id = last_id_;
    while (auto answer = next()) {
      if (answer->contains("method")) {
        events_.push_back(std::move(*answer));
        continue;
      }
      if (answer->value("id", 0) != id) continue;
      if (answer->contains("error") || !answer->contains("result")) return std::nullopt;
      return (*answer)["result"];
    }
    return std::nullopt;
  }

  /// Waits for the event `method` from `session` (one that came while a command was answered counts).
  bool wait_for(const std::string& method, const std::string& session) {
    auto matches = [&](const nlohmann::json& e) { return e.value("method", "") == method && e.value("sessionId", "") == session; };
    for (const auto& e : events_)
      if (matches(e)) return true;
    while (auto message = next())
      if (matches(*message)) return true;
    return false;
  }

 private:
  // Writes the whole message. A Chromium that has gone must not end the server with SIGPIPE:
  // it is blocked on this thread while writing, and one it raised is taken back before unblocking.
  bool send(const std::string& text) {
    sigset_t pipe_signal, before;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
    bool ok = true, broken = false;
    for (std::size_t sent = 0; sent < text.size();) {
      const ssize_t n = ::write(write_fd_, text.data() + sent, text.size() - sent);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok = false;
        broken = n < 0 && errno == EPIPE;
        break;
      }
      sent += static_cast<std::size_t>(n);
    }
    if (broken && !sigismember(&before, SIGPIPE)) {
      const timespec now{0, 0};
      ::sigtimedwait(&pipe_signal, nullptr, &now);
    }
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    return ok;
  }

  // The next whole message, or nullopt on end of file, a read error, bad JSON or the deadline.
  std::optional<nlohmann::json> next() {
    for (;;) {
      if (const auto end = buffer_.find('\0'); end != std::string::npos) {
        auto message = nlohmann::json::parse(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
        buffer_.erase(0, end + 1);
        if (message.is_discarded()) return std::nullopt;
        return message;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until_ - std::chrono::steady_clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd p{read_fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return std::nullopt;
      if (ready == 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(read_fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  int write_fd_, read_fd_;
  std::chrono::steady_clock::time_point until_;
  int last_id_ = 0;
  std::string buffer_;
  std::vector<nlohmann::json> events_;
};

// Opens `url` in a new tab, 1280 by 900 CSS px, and prints it as the browser's own print does: the paper size and
// margins from the page's CSS @page (A4, the print stylesheet's margins: the print settings'
// margins are zero so as not to add their own), backgrounds, no header or footer. The PDF's
// bytes, or nullopt.
std::optional<std::string> print_page(DevToolsPipe& devtools, const std::string& url) {
  const auto target = devtools.call("Target.createTarget", {{"url", "about:blank"}});
  if (!target || !target->contains("targetId")) return std::nullopt;
  const auto attached = devtools.call("Target.attachToTarget", {{"targetId", (*target)["targetId"]}, {"flatten", true}});
  if (!attached || !attached->contains("sessionId")) return std::nullopt;
  const std::string session = (*attached)["sessionId"].get<std::string>();
  // A desktop window, as a chair's browser has: the page's width-dependent styles (the summary
  // table's narrow-screen layout) then apply as they do when a chair prints.
  if (!devtools.call("Emulation.setDeviceMetricsOverride", {{"width", 1280}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", false}},
                     session))
    return std::nullopt;
  if (!devtools.call("Page.enable", nlohmann::json::object(), session)) return std::nullopt;
  if (!devtools.call("Page.navigate", {{"url", url}}, session)) return std::nullopt;
  if (!devtools.wait_for("Page.loadEventFired", session)) return std::nullopt;
  const auto printed = devtools.call("Page.printToPDF",
                                     {{"preferCSSPageSize", true}, {"printBackground", true}, {"displayHeaderFooter", false},
                                      {"paperWidth", 8.27}, {"paperHeight", 11.69}, {"marginTop", 0}, {"marginBottom", 0},
                                      {"marginLeft", 0}, {"marginRight", 0}},
                                     session);
  if (!printed || !(*printed).contains("data") || !(*printed)["data"].is_string()) return std::nullopt;
  return base64_decode((*printed)["data"].get<std::string>());
}

struct PdfTempDir {
  fs::path path;
  PdfTempDir() {
    std::string pattern = (fs::temp_directory_path() / "probity-pdf-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path = pattern;
  }
  ~PdfTempDir() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

}  // namespace

std::string pdf_chromium_path() {
  const char* env = std::getenv("PROBITY_CHROMIUM");
  std::string path = env && *env ? env : "/usr/bin/chromium";
  return ::access(path.c_str(), X_OK) == 0 ? path : std::string();
}

PdfResult html_to_pdf(const std::string& html, const std::string& assets_dir, const std::string& public_dir, std::chrono::seconds deadline) {
  const std::string chromium = pdf_chromium_path();
  if (chromium.empty()) return {PdfOutcome::unavailable, {}};
  if (pdf_renders_running.fetch_add(1) >= 2) {
    pdf_renders_running.fetch_sub(1);
    return {PdfOutcome::busy, {}};
  }
  struct Release {
    ~Release() { pdf_renders_running.fetch_sub(1); }
  } release;

  PdfTempDir dir;
  if (dir.path.empty()) return {PdfOutcome::failed, {}};
  const fs::path page = dir.path / "brief.html";
  {
    std::ofstream file(page, std::ios::binary);
    file << with_local_links(with_local_links(html, "/assets/", assets_dir), "/public/", public_dir);
    if (!file) return {PdfOutcome::failed, {}};
  }
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--user-data-dir=" + (dir.path / "profile").string(),
                                   "--remote-debugging-pipe",
                                   "about:blank"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // Two pipes: Chromium reads the protocol's commands on its fd 3 and writes its answers on fd 4.
  int to_chromium[2], from_chromium[2];
  if (::pipe2(to_chromium, O_CLOEXEC) != 0) return {PdfOutcome::failed, {}};
  if (::pipe2(from_chromium, O_CLOEXEC) != 0) {
    ::close(to_chromium[0]);
    ::close(to_chromium[1]);
    return {PdfOutcome::failed, {}};
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {to_chromium[0], to_chromium[1], from_chromium[0], from_chromium[1]}) ::close(fd);
    return {PdfOutcome::failed, {}};
  }
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group, so a timeout ends Chromium's helpers too
    // Out of the way of 0 to 4 first (a pipe's end may itself be 3 or 4), then into place.
    const int in = ::fcntl(to_chromium[0], F_DUPFD, 10), out = ::fcntl(from_chromium[1], F_DUPFD, 10);
    if (in < 0 || out < 0 || ::dup2(in, 3) != 3 || ::dup2(out, 4) != 4) ::_exit(126);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::execv(argv[0], argv.data());  // 3 and 4 stay open (dup2 clears close-on-exec); the rest close
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(to_chromium[0]);
  ::close(from_chromium[1]);
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::optional<std::string> pdf;
  {
    DevToolsPipe devtools(to_chromium[1], from_chromium[0], until);
    pdf = print_page(devtools, "file://" + page.string());
    if (pdf) devtools.call("Browser.close", nlohmann::json::object());
  }
  ::close(to_chromium[1]);
  ::close(from_chromium[0]);
  // Chromium exits once the browser is closed (or its pipe is); whatever is left is ended.
  int status = 0;
  bool exited = false;
  while (std::chrono::steady_clock::now() < until) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) {
      exited = r == pid;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid, SIGKILL);
  if (!exited) ::waitpid(pid, &status, 0);
  if (!pdf || pdf->rfind("%PDF-", 0) != 0) return {PdfOutcome::failed, {}};
  return {PdfOutcome::done, std::move(*pdf)};
}

}  // namespace probity
