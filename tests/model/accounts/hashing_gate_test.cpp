#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "model/accounts/hashing_gate.hpp"

using namespace probity;
using namespace std::chrono_literals;

namespace {
// Waits (bounded) until `ready()` holds; false if it never did.
template <typename Ready>
bool eventually(Ready ready, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}
}  // namespace

TEST_CASE("hashing gate: `concurrent` turns at once, `queue` more wait for one, the rest are refused at once") {
  HashingGate gate({2, 1, 10s});
  auto a = gate.enter();
  auto b = gate.enter();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(gate.running() == 2);

  std::atomic<bool> third_got_turn{false};
  std::thread third([&] {
    auto t = gate.enter();  // waits: both turns are taken
    third_got_turn = t.has_value();
  });
  REQUIRE(eventually([&] { return gate.waiting() == 1; }));

  // The queue is full: refused without waiting (the wait is 10 s; this must not take it).
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(gate.enter().has_value());
  CHECK(std::chrono::steady_clock::now() - started < 1s);

  a.reset();  // a turn given back goes to the one waiting
  third.join();
  CHECK(third_got_turn);
  CHECK(gate.waiting() == 0);
  CHECK(gate.running() == 1);  // b; the third gave its turn back when its thread ended
}

TEST_CASE("hashing gate: a caller still waiting when the wait runs out is refused") {
  HashingGate gate({1, 4, 50ms});
  auto held = gate.enter();
  REQUIRE(held);
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(gate.enter().has_value());
  CHECK(std::chrono::steady_clock::now() - started >= 50ms);
  CHECK(gate.waiting() == 0);
  held.reset();
  CHECK(gate.enter().has_value());  // free again

  HashingGate no_queue({1, 0, 10s});
  auto only = no_queue.enter();
  REQUIRE(only);
  CHECK_FALSE(no_queue.enter().has_value());
  CHECK_THROWS_AS(HashingGate({0, 1, 1s}), std::invalid_argument);
}

TEST_CASE("hashing gate: many callers at once never hold more than `concurrent` turns, and each gets one or a refusal") {
  constexpr int kCallers = 48;
  HashingGate gate({3, 8, 2s});
  std::atomic<int> inside{0}, most{0}, served{0}, refused{0};
  std::latch start(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i)
    callers.emplace_back([&] {
      start.arrive_and_wait();
      auto turn = gate.enter();
      if (!turn) {
        ++refused;
        return;
      }
      const int now = ++inside;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(2ms);  // the work a turn is for
      --inside;
      ++served;
    });
  for (auto& t : callers) t.join();
  CHECK(most.load() <= 3);
  CHECK(most.load() >= 1);
  CHECK(served + refused == kCallers);
  CHECK(served >= 3);
  CHECK(gate.running() == 0);
  CHECK(gate.waiting() == 0);
}
