#pragma once
// Route registration that also remembers every (method, pattern) it registers, so the
// access-control test can check that no route escapes its table.
#include <httplib.h>

#include <cstddef>
#include <regex>
#include <string_view>
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

  /// Answers a GET or HEAD request as cpp-httplib would (the first GET route in registration
  /// order whose pattern matches the whole path, with req.matches set from that match), but
  /// runs the regular expression only on the routes whose pattern's literal beginning the path
  /// starts with: the library tries every route registered before the matching one, which for
  /// the meetings' API (registered late) was half of a cached answer's instructions. False when
  /// no route matches (the library then goes on as before: mount points, then its own routes,
  /// then 404).
  bool dispatch_get(httplib::Request& req, httplib::Response& res) const {
    for (const auto& r : get_routes_) {
      if (!req.path.starts_with(r.prefix)) continue;
      // req.matches keeps iterators into req.path, which outlives the handler.
      if (std::regex_match(req.path, req.matches, r.regex)) {
        r.handler(req, res);
        return true;
      }
    }
    return false;
  }

  /// The literal text every path a pattern matches begins with ("" when it cannot be told):
  /// up to the first character with a meaning in a regular expression, less the character before
  /// a quantifier ("/people/?" begins with "/people" only).
  static std::string literal_prefix(const std::string& pattern) {
    // An alternative at the top level ("/a|/b") matches paths with different beginnings.
    int depth = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const char c = pattern[i];
      if (c == '\\') {
        ++i;
      } else if (c == '[') {
        while (i + 1 < pattern.size() && pattern[i + 1] != ']') i += pattern[i + 1] == '\\' ? 2 : 1;
        ++i;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      } else if (c == '|' && depth <= 0) {
        return "";
      }
    }
    std::string out;
    for (char c : pattern) {
      if (std::string_view("\\()[]{}.*+?^$|").find(c) != std::string_view::npos) {
        if ((c == '?' || c == '*' || c == '+' || c == '{') && !out.empty()) out.pop_back();
        break;
      }
      out += c;
    }
    return out;
  }
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
    httplib::Server::Handler named = [route, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
      set_request_route(route);
      handler(req, res);
    };
    // Registered with the library too: routes() and the library's own routing (for requests
    // dispatch_get leaves to it) stay as they were.
    if (std::string_view(method) == "GET") get_routes_.push_back({literal_prefix(pattern), std::regex(pattern), named});
    reg(std::move(named));
    return *this;
  }

  struct GetRoute {
    std::string prefix;  // literal_prefix(pattern)
    std::regex regex;    // the pattern, as cpp-httplib compiles it
    httplib::Server::Handler handler;
  };

  httplib::Server& server_;
  std::vector<RouteEntry> routes_;
  std::vector<GetRoute> get_routes_;  // registration order
};

}  // namespace probity
