#include "server/meetings/brief_pdf.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
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
  const fs::path page = dir.path / "brief.html", out = dir.path / "brief.pdf";
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
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + out.string(),
                                   "file://" + page.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return {PdfOutcome::failed, {}};
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group, so a timeout ends Chromium's helpers too
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  bool finished = false;
  while (!finished) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) {
      finished = r == pid;
      break;
    }
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!finished) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return {PdfOutcome::failed, {}};
  }
  ::kill(-pid, SIGKILL);  // any helper left behind
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {PdfOutcome::failed, {}};
  std::ifstream in(out, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string pdf = bytes.str();
  if (pdf.rfind("%PDF-", 0) != 0) return {PdfOutcome::failed, {}};
  return {PdfOutcome::done, std::move(pdf)};
}

}  // namespace probity
