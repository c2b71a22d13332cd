#include "server/accounts/account_views.hpp"

#include "model/base/date.hpp"
#include "model/register/person_store.hpp"
#include "model/register/publication_rules.hpp"
#include "model/accounts/user_store.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string account_href(Id id) { return "/governance/accounts/" + std::to_string(id); }

json opt_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

const char* role_label(UserRole role) {
  switch (role) {
    case UserRole::governance: return "Governance team";
    case UserRole::guardian: return "Conflicts of Interest Guardian";
    case UserRole::member: break;
  }
  return "Member";
}

std::string token_status_label(const ApiTokenInfo& t, Instant now) {
  switch (t.state(now)) {
    case ApiTokenState::active:
      return "Active";
    case ApiTokenState::expired:
      return "Expired";
    case ApiTokenState::revoked:
      return "Revoked on " + long_date_of_instant(*t.revoked_at);
  }
  return "";
}

// A date cell: the text people read and the machine-readable value for <time datetime>.
json date_cell(const std::optional<std::string>& iso) {
  if (!iso) return false;
  return json{{"iso", *iso}, {"text", long_date_of_instant(*iso)}};
}
}  // namespace

json account_json(SQLite::Database& db, const User& user) {
  json person_name = nullptr;
  if (user.person_id)
    if (auto p = PersonStore(db).find(*user.person_id)) person_name = p->name;
  return {{"id", user.id},
          {"email", user.email},
          {"person_id", user.person_id ? json(*user.person_id) : json(nullptr)},
          {"person_name", person_name},
          {"role", to_string(user.role)},
          {"disabled", user.disabled},
          {"has_password", user.has_password},
          {"created_at", user.created_at}};
}

json token_json(const ApiTokenInfo& t, Instant now) {
  return {{"id", t.id},
          {"label", t.label},
          {"created_at", t.created_at},
          {"created_by", t.created_by},
          {"expires_at", t.expires_at},
          {"last_used_at", opt_text(t.last_used_at)},
          {"revoked_at", opt_text(t.revoked_at)},
          {"status", to_string(t.state(now))}};
}

json accounts_page_view(SQLite::Database& db, Instant now, const GovernanceScope* scope) {
  UserStore accounts(db);
  ApiTokenStore api_tokens(db);
  json rows = json::array();
  for (const auto& u : accounts.all_users()) {
    if (scope && !scope->sees_account(u.person_id, u.body_id)) continue;
    int live = 0;
    for (const auto& t : api_tokens.api_tokens_for(u.id))
      if (t.state(now) == ApiTokenState::active) ++live;
    json row = account_json(db, u);
    row["href"] = account_href(u.id);
    row["role_label"] = role_label(u.role);
    row["live_tokens"] = live;
    rows.push_back(row);
  }
  return {{"title", "Accounts"}, {"accounts", rows}, {"has_accounts", !rows.empty()}};
}

json account_page_view(SQLite::Database& db, const User& user, Instant now, const Problems& errors) {
  ApiTokenStore api_tokens(db);
  json v = error_view(errors);
  v["title"] = (errors.empty() ? "" : "Error: ") + ("Account: " + user.email);
  v["account"] = account_json(db, user);
  v["role_label"] = role_label(user.role);
  v["created"] = date_cell(user.created_at);
  v["disabled"] = user.disabled;
  v["person_href"] = user.person_id ? json("/governance/people/" + std::to_string(*user.person_id)) : json(false);
  v["left_on"] = false;
  if (user.person_id)
    if (auto p = PersonStore(db).find(*user.person_id); p && p->left_on)
      v["left_on"] = json{{"iso", p->left_on->iso()}, {"text", long_date(*p->left_on)}};
  v["disable_action"] = account_href(user.id) + "/disable";
  v["enable_action"] = account_href(user.id) + "/enable";
  json tokens = json::array();
  for (const auto& t : api_tokens.api_tokens_for(user.id)) {
    const bool active = t.state(now) == ApiTokenState::active;
    tokens.push_back(
        {{"id", t.id},
         {"label", t.label.empty() ? "(no label)" : t.label},
         {"created", date_cell(t.created_at)},
         {"expires", date_cell(t.expires_at)},
         {"last_used", date_cell(t.last_used_at)},
         {"status", token_status_label(t, now)},
         {"active", active},
         {"revoke_action",
          active ? json(account_href(user.id) + "/tokens/" + std::to_string(t.id) + "/revoke") : json(false)}});
  }
  v["tokens"] = tokens;
  v["has_tokens"] = !tokens.empty();
  return v;
}

}  // namespace probity
