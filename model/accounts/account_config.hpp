#pragma once
// The accounts settings: session timeouts, the sign-in lock-out and its delays, how long
// set-password links and API tokens last, and password hashing (its cost, the password rules and
// how many hashes run at once). Every account unit takes the whole of it; the server reads it from
// the config file's "accounts" section (server/http/auth.hpp).
#include <algorithm>
#include <chrono>
#include <thread>

#include "model/accounts/hashing_gate.hpp"
#include "model/accounts/password.hpp"

namespace probity {

/// Timeouts and lockout numbers (configurable; the defaults follow common NHS and NCSC practice).
struct AccountConfig {
  std::chrono::seconds session_idle{std::chrono::minutes(30)};
  std::chrono::seconds session_absolute{std::chrono::hours(12)};
  int lockout_failures = 5;                                       // this many failures...
  std::chrono::seconds lockout_window{std::chrono::minutes(15)};  // ...within this time...
  std::chrono::seconds lockout_duration{std::chrono::minutes(15)};  // ...lock the account this long
  std::chrono::milliseconds failure_delay_base{250};  // delay after the first failure, doubling after each
  std::chrono::milliseconds failure_delay_max{4000};
  std::chrono::seconds password_link_lifetime{std::chrono::hours(72)};
  // Self-service password reset: its link is short-lived, and requests are bounded per address
  // typed and per client address, each in windows of an hour, so nobody can use Probity to flood
  // someone's inbox.
  std::chrono::seconds password_reset_link_lifetime{std::chrono::hours(1)};
  int password_resets_per_address = 3;
  int password_resets_per_client = 10;
  // A token that leaks into a script or a log stops working on its own; a new one is one command.
  std::chrono::seconds api_token_lifetime{std::chrono::hours(24 * 90)};
  ScryptParams scrypt;  // raise it and older hashes are upgraded at the next successful login
  PasswordPolicy password;
  // Password hashes run at once from requests (sign-in, set-password), and how many wait how long
  // for a turn (model/accounts/hashing_gate.hpp): one per core by default, as each hash keeps a core busy.
  HashingGate::Limits hashing{std::max(1u, std::thread::hardware_concurrency()), 16, std::chrono::milliseconds(2000)};
};

}  // namespace probity
