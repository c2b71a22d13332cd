#pragma once
// The web application: one cpp-httplib server built from a Config, with every route
// registered in one visible place per area (register_*_routes in server/http/routes.hpp).
#include <httplib.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/store/database.hpp"
#include "model/store/group_commit.hpp"
#include "model/store/entities.hpp"
#include "server/http/config.hpp"
#include "server/http/http_cache.hpp"
#include "server/http/http_error.hpp"
#include "server/http/router.hpp"

namespace probity {

/// Who is making a request, as established by the accounts area (session cookie or API token).
struct CurrentUser {
  Id user_id = 0;
  std::optional<Id> person_id;  // the register entry of the person this account belongs to
  std::string email;
  std::string name;
  bool governance = false;
  bool guardian = false;  // the Conflicts of Interest Guardian
  // A governance account's body (users.body_id); nullopt: the whole instance. The routes ask
  // governance_scope (server/http/auth.hpp) what it may see.
  std::optional<Id> body_id;
};

class ConnectionServer;
class MetricsEndpoint;
class PreparedAnswers;

class App {
 public:
  /// Builds the server; the database must exist and be migrated. Throws ConfigError for an
  /// unusable configuration (e.g. TLS files that cannot be loaded).
  explicit App(Config config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const Config& config() const { return config_; }
  ConnectionPool& pool() { return pool_; }
  /// The single writer that commits declarations in groups (model/store/group_commit.hpp).
  GroupCommitWriter& writer() { return *writer_; }
  /// Where areas register routes (recorded for the access-control test).
  Router& http() { return *router_; }
  /// The cpp-httplib server itself, for settings that are not routes.
  httplib::Server& server() { return *server_; }
  /// Cached public responses the connection loop answers itself (prepared_answer.hpp); null when
  /// it cannot (TLS) or the public cache is off.
  PreparedAnswers* prepared_answers() { return prepared_.get(); }

  /// Binds to config().host and config().port (port 0: any free port); returns the port.
  /// Throws std::runtime_error when the address cannot be bound.
  int bind();
  /// Serves until stop(); call after bind().
  void run();
  void stop();
  bool running() const { return server_->is_running(); }
  /// The port GET /metrics listens on (127.0.0.1), once bound; 0 when metrics are off.
  int metrics_port() const;

  /// The signed-in user, if any (set up by the accounts area; nobody otherwise).
  std::optional<CurrentUser> current_user(const httplib::Request& req) const;
  std::function<std::optional<CurrentUser>(const httplib::Request&)> authenticator;

  /// A CSRF token for forms on this response (the accounts area provides it; empty otherwise).
  std::string csrf_token(const httplib::Request& req, httplib::Response& res) const;
  std::function<std::string(const httplib::Request&, httplib::Response&)> csrf_provider;
  /// Adds what an area knows about the signed-in user to the layout's "user" (e.g. whether they
  /// manage meetings, for the header's links); unset: nothing is added.
  std::function<void(const CurrentUser&, nlohmann::json& user_view)> describe_user;

  /// Renders `template_name` inside the site layout. `data` must hold "title" (the page's
  /// <title> and h1 context); the layout adds the organisation, navigation and signed-in user.
  void render_page(const httplib::Request& req, httplib::Response& res, const std::string& template_name,
                   nlohmann::json data, int status = 200) const;
  static void send_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
  /// Sends JSON already written as text (compact_json's bytes), moved into the response.
  static void send_json_text(httplib::Response& res, std::string&& body, int status = 200);
  /// Sends an error as JSON (API paths) or as an HTML error page.
  void send_error(const httplib::Request& req, httplib::Response& res, int status, const std::string& code,
                  const std::string& message, const nlohmann::json& details = nullptr) const;

  /// True for requests that should get JSON rather than HTML (paths under /api/).
  static bool wants_json(const httplib::Request& req);

 private:
  void install_handlers();
  void register_core_routes();

  Config config_;
  ConnectionPool pool_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<PreparedAnswers> prepared_;  // before server_: its pollers read it until they stop
  std::unique_ptr<httplib::Server> server_;
  ConnectionServer* connections_ = nullptr;  // server_ when it serves plain HTTP (not TLS)
  std::unique_ptr<Router> router_;
  int bound_port_ = 0;
  int listen_socket_ = -1;  // the listening socket, once bound (its backlog is raised after binding)
  StaticFileCache static_files_;  // the mount points' files, answered with ETags and gzip made once
  std::unique_ptr<MetricsEndpoint> metrics_;  // config().metrics_port set: bound with the service
};

}  // namespace probity
