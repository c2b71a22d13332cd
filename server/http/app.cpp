#include "server/http/app.hpp"

#include <sys/socket.h>

#include <atomic>

#include "model/public/json_text.hpp"
#include "server/http/connection_server.hpp"
#include "server/http/http_cache.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"
#include "server/http/prepared_answer.hpp"
#include "server/http/routes.hpp"
#include "server/http/views.hpp"

namespace probity {
namespace {
// Sent with every response. No inline script or style is allowed anywhere: pages work without
// JavaScript and the NHS design system's script is loaded from /assets. The one third-party
// source is the NHS font: nhsuk-frontend's stylesheet loads Frutiger from assets.nhs.uk, whose
// licence is NHS England's, for NHS services, so we may use it from there but not serve a copy.
const httplib::Headers kSecurityHeaders = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "font-src 'self' https://assets.nhs.uk; "
     "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
};

std::string reason_heading(int status) {
  switch (status) {
    case 400: return "There is a problem with your request";
    case 401: return "You need to sign in";
    case 403: return "You do not have permission to see this page";
    case 404: return "Page not found";
    case 405: return "That action is not allowed here";
    case 409: return "That conflicts with the current record";
    case 411:
    case 413:
    case 414:
    case 415: return "That request cannot be accepted";
    case 422: return "There is a problem";
    case 429: return "Too many attempts";
    default: return status >= 500 ? "Sorry, there is a problem with the service" : "There is a problem";
  }
}
}  // namespace

App::App(Config config)
    : config_(std::move(config)), pool_(config_.database), writer_(std::make_unique<GroupCommitWriter>(config_.database)) {
  if (!config_.tls_cert.empty() || !config_.tls_key.empty()) {
    if (config_.tls_cert.empty() || config_.tls_key.empty())
      throw ConfigError("TLS needs both a certificate and a key");
    auto tls = std::make_unique<httplib::SSLServer>(config_.tls_cert.c_str(), config_.tls_key.c_str());
    if (!tls->is_valid()) throw ConfigError("cannot load the TLS certificate or key");
    // Debian's cpp-httplib accepts TLS 1.1 unless told otherwise.
    SSL_CTX_set_min_proto_version(tls->ssl_context(), TLS1_2_VERSION);
    server_ = std::move(tls);
  } else {
    auto plain = std::make_unique<ConnectionServer>();
    connections_ = plain.get();
    server_ = std::move(plain);
  }
  router_ = std::make_unique<Router>(*server_);
  install_handlers();
  register_core_routes();
  register_routes(*this);
}

App::~App() { stop(); }

void App::install_handlers() {
  auto& s = *server_;
  const int threads = config_.threads;
  s.new_task_queue = [this, threads]() -> httplib::TaskQueue* {
    const auto n = static_cast<std::size_t>(threads);
    return connections_ ? connections_->make_thread_pool(n) : new httplib::ThreadPool(n);
  };
  // Nagle plus delayed ACK costs ~40 ms per small response with the library's defaults.
  s.set_tcp_nodelay(true);
  // The library's own socket options set SO_REUSEPORT, under which a second server binds the same
  // port unnoticed and the two share its connections; SO_REUSEADDR alone still allows a quick
  // restart. The socket is kept so that bind() can raise its listen backlog.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
  s.set_keep_alive_max_count(static_cast<std::size_t>(config_.keep_alive_max_count));
  s.set_keep_alive_timeout(config_.keep_alive_timeout_seconds);
  s.set_read_timeout(config_.read_timeout_seconds);
  s.set_write_timeout(config_.write_timeout_seconds);
  s.set_payload_max_length(config_.max_body_bytes);
  if (connections_) {
    ConnectionLimits limits;
    limits.head.max_head_bytes = config_.max_head_bytes;
    limits.head.max_header_lines = static_cast<std::size_t>(config_.max_header_lines);
    limits.head.max_body_bytes = config_.max_body_bytes;
    limits.head_timeout = std::chrono::seconds(config_.head_timeout_seconds);
    limits.request_timeout = std::chrono::seconds(config_.request_timeout_seconds);
    limits.max_buffered_body_bytes = config_.max_buffered_body_bytes;
    connections_->set_limits(limits);
  }
  httplib::Headers headers = kSecurityHeaders;
  if (!config_.tls_cert.empty()) headers.emplace("Strict-Transport-Security", "max-age=31536000");
  s.set_default_headers(headers);
  if (connections_ && config_.public_cache) {
    // The same default headers, so that a prepared answer carries exactly what the library adds.
    prepared_ = std::make_unique<PreparedAnswers>(headers, config_.keep_alive_timeout_seconds,
                                                  static_cast<std::size_t>(config_.keep_alive_max_count));
    connections_->set_prepared_answers(prepared_.get());
  }

  // Every request's id, clock and log line (server/http/request_log.hpp); the logger runs once
  // the response is written.
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) { end_request(req, res); });
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    begin_request(req, res);
    // The request's framing, refused before any body is read (the plain-HTTP connection loop
    // then closes the connection: server/http/request_head.hpp). cpp-httplib 0.11.4 does not apply
    // payload_max_length to chunked bodies, a request with both framings is a smuggling
    // attempt, and one without Content-Length would be read until the client stops.
    const bool chunked = req.has_header("Transfer-Encoding");
    if (req.get_header_value_count("Content-Length") > 1 || (chunked && req.has_header("Content-Length"))) {
      send_error(req, res, 400, "ambiguous_length", "A request must carry one Content-Length, and not together with Transfer-Encoding.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (chunked) {
      send_error(req, res, 411, "length_required", "Request bodies must be sent with a Content-Length, not chunked.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Encoding")) {
      send_error(req, res, 415, "encoded_body", "Compressed request bodies are not accepted.");
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool has_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (has_body && !req.has_header("Content-Length")) {
      send_error(req, res, 411, "length_required", "Request bodies must be sent with a Content-Length.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Length")) {
      const auto& text = req.get_header_value("Content-Length");
      const bool digits = !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string::npos;
      if (!digits) {
        send_error(req, res, 400, "bad_request", "Content-Length is not a number.");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (std::stoull(text) > config_.max_body_bytes) {
        send_error(req, res, 413, "too_large", "The request is larger than this service accepts.");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    // GET and HEAD routed here by the router's own table (server/http/router.hpp: dispatch_get)
    // rather than by the library's list of regular expressions, unless the request has a body
    // (the library reads it after this handler) or is under a mount point (the library serves
    // those files before its routes).
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (get && !req.has_header("Content-Length") && !req.path.starts_with("/assets") && !req.path.starts_with("/public") &&
        router_->dispatch_get(const_cast<httplib::Request&>(req), res))  // the library's own request, not a copy
      return httplib::Server::HandlerResponse::Handled;
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const HttpError& e) {
      if (e.status == 401 && !wants_json(req)) {
        // A page behind sign-in: send the browser to sign in, then back here (GET pages only).
        std::string next = req.method == "GET" ? req.path : std::string("/my");
        res.set_redirect("/sign-in?next=" + httplib::detail::encode_query_param(next), 303);
        return;
      }
      send_error(req, res, e.status, e.code, e.what(), e.details);
    } catch (const std::exception& e) {
      // Log the detail for us; the client gets a stable code and nothing internal.
      log_event(LogLevel::error, "request_failed", {{"method", req.method}, {"path", loggable_target(req.target)}, {"error", e.what()}});
      send_error(req, res, 500, "internal_error", "Something went wrong on our side. Nothing was saved. Please try again later.");
    } catch (...) {
      log_event(LogLevel::error, "request_failed", {{"method", req.method}, {"path", loggable_target(req.target)}, {"error", "unknown"}});
      send_error(req, res, 500, "internal_error", "Something went wrong on our side. Nothing was saved. Please try again later.");
    }
    // An error page is compressed by the error handler below, which cpp-httplib runs next for
    // every status from 400.
  });

  s.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.content_provider_) {  // already explained (a form's errors, say)
      compress_response(req, res);
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const int status = res.status;
    if (status == 404) send_error(req, res, 404, "not_found", "No page or record exists at this address.");
    else if (status == 413) send_error(req, res, 413, "too_large", "The request is larger than this service accepts.");
    else if (status == 414) send_error(req, res, 414, "uri_too_long", "The address is longer than this service accepts.");
    else if (status == 405) send_error(req, res, 405, "method_not_allowed", "That method is not allowed here.");
    else send_error(req, res, status, status >= 500 ? "internal_error" : "bad_request", reason_heading(status) + ".");
    compress_response(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }));
}

void App::register_core_routes() {
  auto& s = *router_;
  s.GetQuick("/healthz", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, {{"status", "ok"}});
  });
  s.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    render_page(req, res, "home", {{"title", "Registers of interests"}});
  });
  // The NHS design system as installed by npm: its stylesheet and script at /assets/, its
  // images at /assets/images/ (where its stylesheet expects them).
  server_->set_mount_point("/assets", config_.assets_dir + "/assets");
  server_->set_mount_point("/assets", config_.assets_dir);
  server_->set_mount_point("/public", config_.public_dir);
  server_->set_file_request_handler([this](const httplib::Request& req, httplib::Response& res) {
    static_files_.answer(req, res);
  });
}

int App::bind() {
  // One pooled connection is opened now and stays open while the server runs: it fails fast on
  // an unusable database, and its shared lock is what lets `probity restore` see that the
  // database is in use (model/store/backup.hpp).
  { auto warm = pool_.acquire(); }
  if (config_.port == 0) {
    bound_port_ = server_->bind_to_any_port(config_.host);
    if (bound_port_ < 0) throw std::runtime_error("cannot bind to " + config_.host);
  } else {
    if (!server_->bind_to_port(config_.host, config_.port))
      throw std::runtime_error("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                               " (is another server using that port?)");
    bound_port_ = config_.port;
  }
  // The compiled cpp-httplib 0.11.4 listens with a backlog of 5. Under load (64 keep-alive
  // connections, each reopened after keep_alive_max_count requests) the queue overflowed and the
  // kernel dropped new connections' SYNs, which clients retry after 1, 3 and 7 s: the load test's
  // requests over 2 s. Listening again on the bound socket raises the backlog (Linux allows it).
  if (listen_socket_ >= 0 && ::listen(listen_socket_, SOMAXCONN) != 0)
    log_event(LogLevel::warning, "listen_backlog_kept", {{"reason", "could not raise the listen backlog; keeping the library's"}});
  if (config_.metrics_port) metrics_ = std::make_unique<MetricsEndpoint>(*this, *config_.metrics_port);
  return bound_port_;
}

void App::run() { server_->listen_after_bind(); }

void App::stop() {
  // Plain HTTP stops by shutting the listening socket: accept() fails, the library's loop ends,
  // and the connection loop lets the requests in flight finish (connection_server.hpp). The
  // library's own stop() would also mark the server as shutting down, which makes it drop the
  // body of any response it writes from a content provider (ours, once compressed): a request in
  // flight then got its headers and no body. This also works before the loop has begun.
  if (connections_) {
    const int sock = std::atomic_ref<int>(listen_socket_).exchange(-1);  // shut once: the number may be reused after
    if (sock >= 0) ::shutdown(sock, SHUT_RDWR);
  } else if (server_) {
    server_->stop();
  }
  if (metrics_) metrics_->stop();
}

int App::metrics_port() const { return metrics_ ? metrics_->port() : 0; }

std::optional<CurrentUser> App::current_user(const httplib::Request& req) const {
  return authenticator ? authenticator(req) : std::nullopt;
}

std::string App::csrf_token(const httplib::Request& req, httplib::Response& res) const {
  return csrf_provider ? csrf_provider(req, res) : std::string();
}

bool App::wants_json(const httplib::Request& req) { return req.path.rfind("/api/", 0) == 0; }

void App::send_json(httplib::Response& res, const nlohmann::json& body, int status) {
  res.status = status;
  // The bytes of dump() with error_handler_t::replace (invalid UTF-8 that slipped into a record
  // must not throw here), written faster for plain ASCII text (model/public/json_text.hpp).
  res.set_content(compact_json(body), "application/json; charset=utf-8");
}

void App::send_json_text(httplib::Response& res, std::string&& body, int status) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json; charset=utf-8");
}

void App::render_page(const httplib::Request& req, httplib::Response& res, const std::string& template_name,
                      nlohmann::json data, int status) const {
  nlohmann::json page = data;
  page["organisation_name"] = config_.organisation_name;
  if (auto user = current_user(req)) {
    page["user"] = {{"name", user->name.empty() ? user->email : user->name}, {"governance", user->governance}, {"guardian", user->guardian}};
    if (describe_user) describe_user(*user, page["user"]);
    page["csrf_token"] = csrf_token(req, res);
  }
  page["content"] = render_template(template_name, page);
  res.status = status;
  res.set_content(render_template("layout", page), "text/html; charset=utf-8");
}

void App::send_error(const httplib::Request& req, httplib::Response& res, int status, const std::string& code,
                     const std::string& message, const nlohmann::json& details) const {
  if (wants_json(req)) {
    nlohmann::json body = {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
    if (!details.is_null()) body["error"]["details"] = details;
    send_json(res, body, status);
    return;
  }
  nlohmann::json data = {{"title", reason_heading(status)}, {"status", status}, {"code", code}, {"message", message}};
  try {
    render_page(req, res, "error", data, status);
  } catch (const std::exception& e) {
    log_event(LogLevel::error, "error_page_failed", {{"error", e.what()}});
    res.status = status;
    res.set_content(message, "text/plain; charset=utf-8");
  }
}

}  // namespace probity
