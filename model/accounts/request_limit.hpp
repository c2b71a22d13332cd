#pragma once
// A bound on requests anyone may make without signing in (a password-reset email): at most
// `max` per key in each window of `window`, counted in the request_limits table whether or not
// the request is then acted on, so a hostile client cannot make Probity send mail without end.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <string>

#include "model/base/timestamp.hpp"

namespace probity {

class RequestLimit {
 public:
  RequestLimit(SQLite::Database& db, int max, std::chrono::seconds window) : db_(db), max_(max), window_(window) {}

  /// Counts one request under `key` (a new window starts when the last is over) and says
  /// whether it is within the limit. Run it inside the caller's write transaction, so requests
  /// sent at once see each other's counts. Throws SQLite::Exception.
  bool allow(const std::string& key, Instant now);
  /// Forgets counts whose window is over; returns how many. Throws SQLite::Exception.
  int purge(Instant now);

 private:
  SQLite::Database& db_;
  int max_;
  std::chrono::seconds window_;
};

}  // namespace probity
