#pragma once
// A real Probity server on a free loopback port with a fresh database, for HTTP tests.
// The socket is bound before the serving thread starts, so clients can connect at once:
// no sleeping, no polling.
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <thread>

#include "model/bundle/bundle.hpp"
#include "server/http/app.hpp"
#include "support.hpp"

namespace probity::testing {

/// A gzip body's bytes unpacked; nullopt when the body is not valid gzip.
inline std::optional<std::string> gunzip(const std::string& packed) {
  httplib::detail::gzip_decompressor decompressor;
  std::string unpacked;
  const bool ok = decompressor.decompress(packed.data(), packed.size(), [&](const char* data, std::size_t n) {
    unpacked.append(data, n);
    return true;
  });
  if (!ok) return std::nullopt;
  return unpacked;
}

struct TestServer {
  TestDb db;
  std::unique_ptr<App> app;
  std::thread thread;
  int port = 0;

  /// `tweak` may change the config (e.g. review_required) before the app is built.
  explicit TestServer(const std::function<void(Config&)>& tweak = {}) {
    Config config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.database = db.path;
    config.assets_dir = std::string(PROBITY_SOURCE_DIR) + "/node_modules/nhsuk-frontend/dist/nhsuk";
    config.public_dir = std::string(PROBITY_SOURCE_DIR) + "/public";
    config.threads = 4;
    if (tweak) tweak(config);
    app = std::make_unique<App>(config);
    port = app->bind();
    thread = std::thread([this] { app->run(); });
  }
  ~TestServer() {
    // cpp-httplib's stop() does nothing until the listen loop is running, so a test that makes
    // no request could otherwise stop too early and leave join() waiting forever.
    while (!app->running()) std::this_thread::yield();
    app->stop();
    thread.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30);  // the brief as a PDF runs Chromium: seconds on a loaded machine
    return c;
  }

  /// Imports a bundle into the server's database; fails the test on any import error.
  nlohmann::json import(const nlohmann::json& bundle) {
    auto r = import_bundle(*db, bundle, "test");
    if (!r.ok) throw std::runtime_error("test bundle rejected: " + r.errors.front().text());
    return r.ids;
  }

  /// Sends raw bytes (for requests httplib::Client will not produce) and returns the raw
  /// response, read until the server closes the connection or 5 s pass.
  std::string raw(const std::string& request) const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot connect to test server");
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

}  // namespace probity::testing
