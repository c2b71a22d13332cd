#pragma once
// Notices commits to a WAL-mode database, by any connection of any process, without a query.
//
// SQLite keeps the WAL-index header in the "-shm" file beside the database, shared by every
// connection, and rewrites it at the end of every commit: the transaction counter iChange goes
// up by one and mxFrame names the last frame (https://www.sqlite.org/walformat.html, "The
// WAL-Index Header"; walIndexWriteHdr in SQLite's wal.c). Reading those words from a read-only
// mapping of the file tells whether anything has been committed since they were last read: two
// loads, where a read transaction costs locks (fcntl), statement steps and SQL parsing.
//
// Used by the public response cache (server/public/public_routes.cpp) to serve a hit without opening a
// snapshot. The mapping is safe while one connection to the database stays open (the server's
// pool keeps one for its lifetime): SQLite only truncates the file when it is the first to open
// the database.
#include <cstdint>
#include <optional>
#include <string>

namespace probity {

class CommitWatch {
 public:
  /// Maps `database_path` + "-shm". Not available() when there is no such file, or its header
  /// is not an initialised WAL index (the database is not in WAL mode, or in memory).
  explicit CommitWatch(const std::string& database_path);
  ~CommitWatch();
  CommitWatch(const CommitWatch&) = delete;
  CommitWatch& operator=(const CommitWatch&) = delete;

  bool available() const { return header_ != nullptr; }

  /// A value that is different after every commit (the header's iChange and mxFrame). nullopt
  /// when not available, or when the header is being rewritten at this moment (its two copies
  /// differ): the caller must then read the database itself. Throws nothing.
  std::optional<std::uint64_t> version() const;

 private:
  const volatile std::uint32_t* header_ = nullptr;
  std::size_t mapped_ = 0;
};

}  // namespace probity
