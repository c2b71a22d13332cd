// Governance manages accounts: the list of accounts, one account with its API tokens, disabling
// and re-enabling it, and revoking a token; pages under /governance/accounts and their JSON twins
// under /api/v1/governance/accounts (docs/api-accounts.md). Creating an account stays on
// /governance (server/governance/governance_routes.cpp).
//
// Disabling ends the account's sessions and revokes its API tokens in the same write, so
// whatever the person held stops working on their next request; re-enabling lets them sign in
// again but brings no token back (model/accounts/user_store.hpp).
#include "model/accounts/api_token_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/account_views.hpp"
#include "server/accounts/oidc_routes.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"
#include "server/mail/mail_compose.hpp"
#include "server/mail/mail_kinds.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

const std::string kPage = "/governance/accounts";
const std::string kApi = "/api/v1/governance/accounts";
const std::string kId = R"(/(\d{1,18}))";
const std::string kToken = R"(/tokens/(\d{1,18})/revoke)";

const char* const kOwnAccount =
    "You cannot disable your own account. Ask someone else in the governance team, or use probity account disable on "
    "the server";

// The account, when this governance account sees it (GovernanceScope::sees_account): a body's
// account manages its own people's and its own body's accounts only.
User account_or_404(SQLite::Database& db, UserStore& accounts, Id id, const CurrentUser& viewer) {
  auto user = accounts.find_user(id);
  if (!user || !governance_scope(db, viewer).sees_account(user->person_id, user->body_id)) throw not_found("That account");
  return *user;
}

// The token, when it belongs to this account: another account's token answers as a missing one.
ApiTokenInfo token_or_404(ApiTokenStore& tokens, Id account, Id token) {
  auto t = tokens.find_api_token(token);
  if (!t || t->user_id != account) throw not_found("That API token");
  return *t;
}

std::string notice_for(const std::string& saved) {
  if (saved == "disabled")
    return "The account is disabled. Its sessions have ended and its API tokens are revoked: it cannot sign in or use "
           "the API.";
  if (saved == "enabled")
    return "The account is enabled: its holder can sign in again. API tokens revoked earlier stay revoked.";
  if (saved == "revoked") return "The API token is revoked. Anything using it is refused from now on.";
  if (saved == "invited")
    return "We have emailed a new set-password link to the account's address. Any earlier link no longer works.";
  if (saved == "password-allowed") return "Password sign-in is allowed for this account.";
  if (saved == "password-stopped") return "Password sign-in is stopped for this account: it can only sign in through single sign-on.";
  return "";
}

const char* const kDisabledInvite = "This account is disabled. Enable it before sending a set-password link";

// A new set-password link for the account (earlier ones stop working) and, unless invitations
// are switched off, the invitation carrying it, committed together. The link itself is returned
// only when no message carries it, for governance to hand over.
struct Invitation {
  PasswordLink link;
  bool sent = false;
};
Invitation send_invitation(App& app, const User& account, const std::string& actor) {
  const AccountConfig config = account_config(app.config());
  return app.writer().run([&](SQLite::Database& w) {
    const Instant now = auth_now();
    auto link = UserStore(w, config).create_password_link(account.id, actor, now);
    const bool sent = enqueue_invitation(w, app.config(), account, link, config.password_link_lifetime, now).has_value();
    return Invitation{link, sent};
  });
}

// These calls read no fields, but a body that is not a JSON object is still a client's mistake
// worth telling it about (400), rather than acting as if it had sent nothing.

json account_document(SQLite::Database& db, ApiTokenStore& api_tokens, const User& user) {
  const Instant now = auth_now();
  json tokens = json::array();
  for (const auto& t : api_tokens.api_tokens_for(user.id)) tokens.push_back(token_json(t, now));
  return {{"account", account_json(db, user)}, {"tokens", tokens}};
}

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const auto scope = governance_scope(*db, user);
    app.render_page(req, res, "governance_accounts", accounts_page_view(*db, auth_now(), &scope));
  });

  s.Get(kPage + kId, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    auto data = account_page_view(*db, account, auth_now(), {});
    data.update(sign_in_methods_view(app, *db, account));
    if (const auto notice = notice_for(req.get_param_value("saved")); !notice.empty()) data["notice"] = notice;
    app.render_page(req, res, "governance_account", data);
  });

  s.Post(kPage + kId + "/disable", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_csrf(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    if (account.id == user.user_id) {
      Problems errors;
      errors.add("disable", kOwnAccount);
      auto data = account_page_view(*db, account, auth_now(), errors);
      data.update(sign_in_methods_view(app, *db, account));
      app.render_page(req, res, "governance_account", data, 409);
      return;
    }
    accounts.set_disabled(account.id, true, actor_of(user), auth_now());
    res.set_redirect(kPage + "/" + std::to_string(account.id) + "?saved=disabled", 303);
  });

  s.Post(kPage + kId + "/enable", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_csrf(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    accounts.set_disabled(account.id, false, actor_of(user), auth_now());
    res.set_redirect(kPage + "/" + std::to_string(account.id) + "?saved=enabled", 303);
  });

  s.Post(kPage + kId + "/invite", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_csrf(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    if (account.disabled) {
      Problems errors;
      errors.add("invite", kDisabledInvite);
      app.render_page(req, res, "governance_account", account_page_view(*db, account, auth_now(), errors), 409);
      return;
    }
    const auto invitation = send_invitation(app, account, actor_of(user));
    if (invitation.sent) return res.set_redirect(kPage + "/" + std::to_string(account.id) + "?saved=invited#invitation", 303);
    auto data = account_page_view(*db, account, auth_now(), {});
    data["new_link"] = {{"href", mail_link(app.config(), "/set-password/" + invitation.link.token)},
                        {"valid_for", duration_words(account_config(app.config()).password_link_lifetime)}};
    app.render_page(req, res, "governance_account", data);
  });

  s.Post(kPage + kId + kToken, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_csrf(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    ApiTokenStore tokens(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    const auto token = token_or_404(tokens, account.id, id_at(req, 2));
    tokens.revoke_api_token(token.id, actor_of(user), auth_now());  // already revoked: nothing to do
    res.set_redirect(kPage + "/" + std::to_string(account.id) + "?saved=revoked#tokens", 303);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  s.Get(kApi, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    json list = json::array();
    const auto scope = governance_scope(*db, user);
    for (const auto& u : accounts.all_users())
      if (scope.sees_account(u.person_id, u.body_id)) list.push_back(account_json(*db, u));
    App::send_json(res, {{"accounts", list}});
  });

  s.Get(kApi + kId, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    ApiTokenStore tokens(*db, account_config(app.config()));
    App::send_json(res, account_document(*db, tokens, account_or_404(*db, accounts, id_at(req, 1), user)));
  });

  s.Post(kApi + kId + "/(disable|enable)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    read_fields(app, req);  // the CSRF check, and a body that is a JSON object (no fields are read)
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    ApiTokenStore tokens(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    const bool disable = req.matches[2] == "disable";
    if (disable && account.id == user.user_id) throw HttpError(409, "own_account", std::string(kOwnAccount) + ".");
    accounts.set_disabled(account.id, disable, actor_of(user), auth_now());
    App::send_json(res, account_document(*db, tokens, account_or_404(*db, accounts, account.id, user)));
  });

  // {"sent": true}, or with invitations switched off {"sent": false, "link": ...} to hand over.
  s.Post(kApi + kId + "/invite", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    read_fields(app, req);  // the CSRF check, and a body that is a JSON object (no fields are read)
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    if (account.disabled) throw HttpError(409, "account_disabled", std::string(kDisabledInvite) + ".");
    const auto invitation = send_invitation(app, account, actor_of(user));
    json answer = {{"sent", invitation.sent}};
    if (!invitation.sent) answer["link"] = mail_link(app.config(), "/set-password/" + invitation.link.token);
    App::send_json(res, answer);
  });

  s.Post(kApi + kId + kToken, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    read_fields(app, req);  // the CSRF check, and a body that is a JSON object (no fields are read)
    auto db = app.pool().acquire();
    UserStore accounts(*db, account_config(app.config()));
    ApiTokenStore tokens(*db, account_config(app.config()));
    const User account = account_or_404(*db, accounts, id_at(req, 1), user);
    const auto token = token_or_404(tokens, account.id, id_at(req, 2));
    tokens.revoke_api_token(token.id, actor_of(user), auth_now());
    App::send_json(res, account_document(*db, tokens, account));
  });
}
}  // namespace

void register_account_admin_routes(App& app) {
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
