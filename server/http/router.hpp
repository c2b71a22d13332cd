#pragma once
// Route registration that also remembers every (method, pattern) it registers, so the
// access-control test can check that no route escapes its table.
#include <httplib.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "server/http/connection_server.hpp"
#include "server/http/http_cache.hpp"
#include "server/http/http_error.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"

namespace probity {

struct RouteEntry {
  std::string method;
  std::string pattern;  // cpp-httplib's regular expression, e.g. "/people/(\d+)"
};

class Router {
 public:
  explicit Router(httplib::Server& server) : server_(server) {}

  Router& Get(const std::string& pattern, httplib::Server::Handler handler) {
    return add("GET", pattern, [&](auto h) { server_.Get(pattern, std::move(h)); }, blocking(std::move(handler)));
  }
  /// For a handler that usually answers from memory (a cached public page) and calls
  /// may_block() itself before anything slower; every other handler is assumed to block
  /// (server/http/connection_server.hpp).
  Router& GetQuick(const std::string& pattern, httplib::Server::Handler handler) {
    return add("GET", pattern, [&](auto h) { server_.Get(pattern, std::move(h)); }, quick(std::move(handler)));
  }
  // POST and PUT handlers are registered twice: as plain handlers for requests without a body,
  // and as content-reader handlers that read the body themselves (see read_body_then).
  Router& Post(const std::string& pattern, httplib::Server::Handler handler) {
    return add("POST", pattern, [&](auto h) {
      server_.Post(pattern, h);
      server_.Post(pattern, read_body_then(std::move(h)));
    }, blocking(std::move(handler)));
  }
  Router& Put(const std::string& pattern, httplib::Server::Handler handler) {
    return add("PUT", pattern, [&](auto h) {
      server_.Put(pattern, h);
      server_.Put(pattern, read_body_then(std::move(h)));
    }, blocking(std::move(handler)));
  }
  Router& Patch(const std::string& pattern, httplib::Server::Handler handler) {
    return add("PATCH", pattern, [&](auto h) { server_.Patch(pattern, std::move(h)); }, blocking(std::move(handler)));
  }
  Router& Delete(const std::string& pattern, httplib::Server::Handler handler) {
    return add("DELETE", pattern, [&](auto h) { server_.Delete(pattern, std::move(h)); }, blocking(std::move(handler)));
  }

  /// Every route registered so far, in registration order.
  const std::vector<RouteEntry>& routes() const { return routes_; }
  /// The underlying server, for settings that are not routes.
  httplib::Server& server() { return server_; }

 private:
  // Every handler's text body is compressed by us, not by cpp-httplib (server/http/http_cache.hpp:
  // compress_response).
  static httplib::Server::Handler blocking(httplib::Server::Handler handler) {
    return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
      may_block();
      handler(req, res);
      compress_response(req, res);
    };
  }
  static httplib::Server::Handler quick(httplib::Server::Handler handler) {
    return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
      handler(req, res);
      compress_response(req, res);
    };
  }

  // When cpp-httplib 0.11.4 reads a body itself it refuses (413) any
  // application/x-www-form-urlencoded body over 8 KiB (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH,
  // compiled into Debian's library). Our forms hold up to two 2,000-character fields, and a
  // non-ASCII character is up to 12 bytes once UTF-8 and percent-encoded, so a member writing in
  // Welsh or pasting curly quotes could be refused a declaration within the stated limits. Reading
  // the body here leaves payload_max_length (config max_body_bytes) and FormLimits as the bounds.
  static httplib::Server::HandlerWithContentReader read_body_then(httplib::Server::Handler handler) {
    return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                          const httplib::ContentReader& reader) {
      httplib::Request with_body = req;  // its matches still point into req.path, which outlives this call
      bool read = false;
      if (req.is_multipart_form_data()) {
        // No route reads multipart bodies: drain it so the connection stays in step; the handler
        // then refuses the request as it would any form without its fields.
        read = reader([](const httplib::MultipartFormData&) { return true; }, [](const char*, std::size_t) { return true; });
      } else {
        read = reader([&with_body](const char* data, std::size_t n) {
          with_body.body.append(data, n);
          return true;
        });
      }
      if (!read) {
        if (res.status == 413) throw HttpError(413, "too_large", "The request is larger than this service accepts.");
        throw HttpError(400, "bad_request", "The request body could not be read.");
      }
      handler(with_body, res);
    };
  }

  template <typename Register>
  Router& add(const char* method, const std::string& pattern, Register&& reg, httplib::Server::Handler handler) {
    routes_.push_back({method, pattern});
    // The request log and the metrics name the route by its pattern, never the raw path.
    const int route = route_index(method, pattern);
    reg([route, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
      set_request_route(route);
      handler(req, res);
    });
    return *this;
  }

  httplib::Server& server_;
  std::vector<RouteEntry> routes_;
};

}  // namespace probity
