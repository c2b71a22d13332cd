#pragma once
// How many password hashes run at once. scrypt as configured needs 32 MiB and a core for a
// third of a second per hash: 128 sign-ins at once took the server to 4 GB and left no CPU for
// anyone else. The gate lets `concurrent` hashes run, lets up to `queue` more wait briefly for a
// turn, and refuses the rest at once, so a flood of sign-ins costs a bounded amount of memory and
// CPU and the caller can answer "busy, try again shortly" instead.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

namespace probity {

class HashingGate {
 public:
  struct Limits {
    std::size_t concurrent = 1;              // hashes at once (the server uses the number of cores)
    std::size_t queue = 16;                  // callers waiting for a turn; more are refused at once
    std::chrono::milliseconds wait{2000};    // the longest a caller waits before it is refused
  };

  /// A turn at hashing, given back when it goes out of scope.
  class Turn {
   public:
    Turn(Turn&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() {
      if (gate_) gate_->leave();
    }

   private:
    friend class HashingGate;
    explicit Turn(HashingGate& gate) : gate_(&gate) {}
    HashingGate* gate_;
  };

  /// Throws std::invalid_argument when `limits.concurrent` is 0.
  explicit HashingGate(Limits limits);
  HashingGate(const HashingGate&) = delete;
  HashingGate& operator=(const HashingGate&) = delete;

  /// A turn, at once if one is free, else after waiting up to `limits.wait`; nullopt when
  /// `limits.queue` callers are already waiting or the wait runs out. Throws nothing.
  std::optional<Turn> enter();

  const Limits& limits() const { return limits_; }
  /// Turns held now. Throws nothing.
  std::size_t running() const;
  /// Callers waiting for a turn now. Throws nothing.
  std::size_t waiting() const;

 private:
  void leave();

  const Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace probity
