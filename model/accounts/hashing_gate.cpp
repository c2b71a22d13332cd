#include "model/accounts/hashing_gate.hpp"

#include <stdexcept>

namespace probity {

HashingGate::HashingGate(Limits limits) : limits_(limits) {
  if (limits_.concurrent == 0) throw std::invalid_argument("a hashing gate needs room for at least one hash");
}

std::optional<HashingGate::Turn> HashingGate::enter() {
  std::unique_lock lock(mutex_);
  if (running_ < limits_.concurrent && waiting_ == 0) {
    ++running_;
    return Turn(*this);
  }
  if (waiting_ >= limits_.queue) return std::nullopt;
  ++waiting_;
  const bool free = freed_.wait_for(lock, limits_.wait, [this] { return running_ < limits_.concurrent; });
  --waiting_;
  if (!free) return std::nullopt;
  ++running_;
  return Turn(*this);
}

void HashingGate::leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

std::size_t HashingGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t HashingGate::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace probity
