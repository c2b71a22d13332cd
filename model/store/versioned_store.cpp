#include "model/store/versioned_store.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "model/base/crypto.hpp"

namespace probity {

std::string generate_ref(std::string_view kind) { return std::string(kind) + "-" + random_hex(6); }

void require_transaction(SQLite::Database& db) {
  if (sqlite3_get_autocommit(db.getHandle()) != 0)
    throw std::logic_error("a register write must run inside a WriteTransaction");
}

}  // namespace probity
