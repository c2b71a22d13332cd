#include "model/store/group_commit.hpp"

#include <sqlite3.h>

#include <vector>

#include "model/store/database.hpp"

namespace probity {
namespace {
// Marks the batch's connection for this (the writer's) thread while the batch runs, so that a
// WriteTransaction on it becomes a savepoint (model/store/database.hpp).
struct BatchScope {
  explicit BatchScope(const SQLite::Database& db) { set_group_commit_connection(&db); }
  ~BatchScope() { set_group_commit_connection(nullptr); }
  BatchScope(const BatchScope&) = delete;
  BatchScope& operator=(const BatchScope&) = delete;
};

bool in_transaction(SQLite::Database& db) { return sqlite3_get_autocommit(db.getHandle()) == 0; }

}  // namespace

GroupCommitWriter::GroupCommitWriter(const std::string& path, std::size_t max_batch)
    : db_(open_database(path, false)), max_batch_(max_batch == 0 ? 1 : max_batch) {
  thread_ = std::thread([this] { loop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

void GroupCommitWriter::submit(std::function<void(SQLite::Database&)> write) {
  auto job = std::make_shared<Job>();
  job->write = std::move(write);
  auto done = job->done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw std::runtime_error("the database writer has stopped");
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  done.get();  // rethrows the write's exception, or the batch's commit failure
}

void GroupCommitWriter::loop() {
  for (;;) {
    std::deque<std::shared_ptr<Job>> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been answered
      // Whatever has queued up while the previous batch was syncing goes in this one: no
      // waiting for more, so a lone writer is not delayed.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
  }
}

void GroupCommitWriter::run_batch(std::deque<std::shared_ptr<Job>>& batch) {
  SQLite::Database& db = *db_;
  auto fail_all = [](std::vector<std::shared_ptr<Job>>& jobs, std::exception_ptr error) {
    for (auto& j : jobs) j->done.set_exception(error);
    jobs.clear();
  };
  std::vector<std::shared_ptr<Job>> written, remaining(batch.begin(), batch.end());
  std::vector<std::pair<std::shared_ptr<Job>, std::exception_ptr>> refused;
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (...) {
    fail_all(remaining, std::current_exception());
    return;
  }
  bool transaction_lost = false;
  {
    BatchScope scope(db);
    std::size_t next = 0;
    for (; next < remaining.size(); ++next) {
      auto& job = remaining[next];
      try {
        db.exec("SAVEPOINT group_write");
        job->write(db);
        db.exec("RELEASE group_write");
        written.push_back(job);
      } catch (...) {
        auto error = std::current_exception();
        // Undo this write only; the others in the batch stay. Some errors (I/O, disk full)
        // make SQLite roll back the whole transaction itself: then the earlier writes of the
        // batch are gone too and are run again in a new transaction, never acknowledged.
        bool undone = false;
        if (in_transaction(db)) {
          try {
            db.exec("ROLLBACK TO group_write");
            db.exec("RELEASE group_write");
            undone = true;
          } catch (...) {
          }
        }
        refused.emplace_back(job, error);
        if (!undone) {
          transaction_lost = true;
          ++next;
          break;
        }
      }
    }
    if (transaction_lost) {
      if (in_transaction(db)) {
        try {
          db.exec("ROLLBACK");
        } catch (...) {
        }
      }
      std::lock_guard lock(mutex_);
      // Back to the front of the queue, in their original order: the written ones, then those
      // not yet tried.
      for (std::size_t i = remaining.size(); i-- > next;) queue_.push_front(remaining[i]);
      for (std::size_t i = written.size(); i-- > 0;) queue_.push_front(written[i]);
      written.clear();
    }
  }
  if (!transaction_lost) {
    try {
      db.exec("COMMIT");  // the one fsync of the WAL for the whole batch (synchronous=FULL)
      std::lock_guard lock(mutex_);
      ++stats_.batches;
      stats_.writes += written.size();
    } catch (...) {
      auto error = std::current_exception();
      if (in_transaction(db)) {
        try {
          db.exec("ROLLBACK");
        } catch (...) {
        }
      }
      fail_all(written, error);
    }
  }
  for (auto& j : written) j->done.set_value();
  for (auto& [job, error] : refused) job->done.set_exception(error);
}

}  // namespace probity
