#pragma once
// API tokens: bearer tokens for automation, each acting as one account. A token is returned in
// clear once, when it is made (only its SHA-256 is stored); it expires after
// config().api_token_lifetime unless another lifetime is asked for, records its last use at most
// once a minute, and is revoked on its own or with all of its account's. Tokens made and revoked
// go to the security log. Every time-dependent call takes `now`.
#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/accounts/account_config.hpp"
#include "model/store/entities.hpp"
#include "model/base/timestamp.hpp"
#include "model/accounts/user.hpp"

namespace probity {

enum class ApiTokenState { active, expired, revoked };

template <>
struct EnumNames<ApiTokenState> {
  static constexpr auto values = std::to_array<std::pair<ApiTokenState, std::string_view>>(
      {{ApiTokenState::active, "active"}, {ApiTokenState::expired, "expired"}, {ApiTokenState::revoked, "revoked"}});
};

struct NewApiToken {
  Id id = 0;
  std::string token;  // shown once; only its hash is stored
  Instant expires_at;
};

struct ApiTokenInfo {
  Id id = 0;
  Id user_id = 0;
  std::string label;
  std::string created_at;
  std::string created_by;
  std::string expires_at;
  std::optional<std::string> last_used_at;  // nullopt: never used
  std::optional<std::string> revoked_at;
  /// Revoked wins over expired: a revoked token says so even after its expiry.
  ApiTokenState state(Instant now) const;
};

class ApiTokenStore {
 public:
  explicit ApiTokenStore(SQLite::Database& db, AccountConfig config = {});

  /// A new bearer token for automation, returned in clear this once, valid for `lifetime`
  /// (default config().api_token_lifetime). Throws std::invalid_argument with a plain message
  /// when there is no such account, the account is disabled, the lifetime is not positive, or
  /// the label is longer than 200 characters or not one line of text.
  NewApiToken create_api_token(Id user_id, const std::string& label, const std::string& actor, Instant now,
                               std::optional<std::chrono::seconds> lifetime = std::nullopt);
  /// The enabled account owning an unrevoked, unexpired token; nullopt otherwise. Records the
  /// use as the token's last_used_at when the recorded one is a minute old or more, so a busy
  /// client costs one write a minute rather than one per request.
  std::optional<User> user_for_api_token(std::string_view token, Instant now);
  /// One token (never its value); nullopt when there is none with that id.
  std::optional<ApiTokenInfo> find_api_token(Id token_id) const;
  /// Revokes a token; false when unknown or already revoked.
  bool revoke_api_token(Id token_id, const std::string& actor, Instant now);
  /// Revokes every unrevoked token of an account, each logged with `reason`; returns how many.
  int revoke_api_tokens_for_user(Id user_id, const std::string& actor, Instant now, const std::string& reason);
  /// An account's tokens (never their values), oldest first.
  std::vector<ApiTokenInfo> api_tokens_for(Id user_id) const;

 private:
  SQLite::Database& db_;
  AccountConfig config_;
};

}  // namespace probity
