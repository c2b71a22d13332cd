#pragma once
// Group commit: one writer thread owns one connection and runs the writes that
// request threads hand it, several to a transaction, so that one fsync of the WAL
// (synchronous=FULL) makes a whole batch durable. Each caller waits until the COMMIT that holds
// its write has returned, so nothing is acknowledged before it is on disk.
//
// Why: SQLite serialises writers and, with synchronous=FULL, syncs the WAL once per
// transaction. With one transaction per declaration, concurrent clients queue on the write lock
// and the disk's sync latency bounds the rate; batching shares that sync between them.
#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include "model/store/database.hpp"

namespace probity {

class GroupCommitWriter {
 public:
  /// Opens the writer's own connection (open_database) and starts its thread. `max_batch`
  /// bounds the writes in one transaction. Throws SQLite::Exception if the database cannot be
  /// opened.
  explicit GroupCommitWriter(const std::string& path, std::size_t max_batch = 64);
  /// Stops the thread after the writes already queued are committed (or failed).
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  /// Runs `write(db)` on the writer's connection inside a transaction shared with other
  /// callers' writes, and returns its result once that transaction is committed (durable).
  /// `write` runs inside a savepoint: if it throws, only its own changes are rolled back, the
  /// rest of the batch is committed, and the exception is rethrown here. Any WriteTransaction
  /// that `write` opens on `db` becomes that savepoint's nested part. Throws what `write` throws,
  /// or SQLite::Exception if the batch could not be committed (then nothing of it was written).
  template <typename Write>
  auto run(Write&& write) -> std::invoke_result_t<Write&, SQLite::Database&> {
    using R = std::invoke_result_t<Write&, SQLite::Database&>;
    if constexpr (std::is_void_v<R>) {
      submit([&](SQLite::Database& db) { write(db); });
    } else {
      std::optional<R> result;
      submit([&](SQLite::Database& db) { result.emplace(write(db)); });
      return std::move(*result);
    }
  }

  /// Statistics for tests and benchmarks: transactions committed, writes in them, and writes
  /// waiting for the next batch.
  struct Stats {
    std::size_t batches = 0;
    std::size_t writes = 0;
    std::size_t queued = 0;
  };
  Stats stats() const;

 private:
  struct Job {
    std::function<void(SQLite::Database&)> write;
    std::promise<void> done;
  };
  void submit(std::function<void(SQLite::Database&)> write);
  void loop();
  void run_batch(std::deque<std::shared_ptr<Job>>& batch);

  DatabasePtr db_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace probity
