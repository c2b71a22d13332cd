#pragma once
// Random secrets the server makes once and keeps in the database (server_secrets), so they
// survive restarts and are shared by every process on the same database.
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>

#include "model/base/timestamp.hpp"

namespace probity {

/// The secret called `name` (64 hex digits, 256 bits from the CSPRNG), made and stored on first
/// use; two processes asking at once agree on one. Throws SQLite::Exception if the database
/// cannot be written, std::runtime_error if the CSPRNG fails.
std::string server_secret(SQLite::Database& db, std::string_view name, Instant now);

}  // namespace probity
