#pragma once
// Route registration that also remembers every (method, pattern) it registers, so the
// access-control test can check that no route escapes its table.
#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

namespace probity {

struct RouteEntry {
  std::string method;
  std::string pattern;  // cpp-httplib's regular expression, e.g. "/people/(\d+)"
};

class Router {
 public:
  explicit Router(httplib::Server& server) : server_(server) {}

  Router& Get(const std::string& pattern, httplib::Server::Handler handler) {
    return add("GET", pattern, [&](auto h) { server_.Get(pattern, std::move(h)); }, std::move(handler));
  }
  Router& Post(const std::string& pattern, httplib::Server::Handler handler) {
    return add("POST", pattern, [&](auto h) { server_.Post(pattern, std::move(h)); }, std::move(handler));
  }
  Router& Put(const std::string& pattern, httplib::Server::Handler handler) {
    return add("PUT", pattern, [&](auto h) { server_.Put(pattern, std::move(h)); }, std::move(handler));
  }
  Router& Patch(const std::string& pattern, httplib::Server::Handler handler) {
    return add("PATCH", pattern, [&](auto h) { server_.Patch(pattern, std::move(h)); }, std::move(handler));
  }
  Router& Delete(const std::string& pattern, httplib::Server::Handler handler) {
    return add("DELETE", pattern, [&](auto h) { server_.Delete(pattern, std::move(h)); }, std::move(handler));
  }

  /// Every route registered so far, in registration order.
  const std::vector<RouteEntry>& routes() const { return routes_; }
  /// The underlying server, for settings that are not routes.
  httplib::Server& server() { return server_; }

 private:
  template <typename Register>
  Router& add(const char* method, const std::string& pattern, Register&& reg, httplib::Server::Handler handler) {
    routes_.push_back({method, pattern});
    reg(std::move(handler));
    return *this;
  }

  httplib::Server& server_;
  std::vector<RouteEntry> routes_;
};

}  // namespace probity
