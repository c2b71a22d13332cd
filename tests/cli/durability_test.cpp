// Durability under SIGKILL: acknowledged writes survive the writer and the server being killed
// at random moments, and the file stays intact. The number of kill cycles is a parameter:
// PROBITY_KILL_CYCLES (default 5, a few seconds) here; `make bench-durability` runs hundreds.
//
// Two kinds of writer run against the server while it is killed:
// - HTTP writers, a member declaring interests through `POST /api/v1/my/interests` with an API
//   token (acknowledged when the answer is 201), the way members' declarations really arrive;
// - an import writer, `probity import` processes writing to the same file while the server has
//   it open (acknowledged when the process exits 0).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "model/account_store.hpp"
#include "model/audit_log.hpp"
#include "model/bundle.hpp"
#include "support.hpp"

namespace {
using probity::testing::ChildProcess;
using probity::testing::TempDir;

struct Figures {
  int cycles = 0;
  int server_restarts_ok = 0;
  long acknowledged = 0;       // imports that exited 0 and declarations answered 201
  long acknowledged_http = 0;  // of which declarations through the HTTP API
  long killed_in_flight = 0;   // imports killed before they answered (may or may not be stored)
  long refused = 0;            // imports that exited non-zero (should not happen)
  long lost = 0;               // acknowledged but missing afterwards: must be 0
  std::set<std::string> integrity_failures;
};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// One declaration: a new person and their interest, written in one transaction by the importer.
std::string declaration_bundle(const std::string& ref) {
  return R"({"people": [{"ref": "p-)" + ref + R"(", "name": "Dr )" + ref + R"(", "kind": "gp"}],
            "interests": [{"ref": "i-)" + ref + R"(", "person": "p-)" + ref + R"(", "category": "financial",
                           "nature": "Partner of a GP practice", "from": "2025-01-01", "declared_on": "2025-01-10"}]})";
}

// The member who declares through the API, and their API token (made before the first start).
std::string make_member(const std::string& db_path) {
  auto db = probity::open_database(db_path, true);
  probity::apply_migrations(*db);
  auto r = probity::import_bundle(*db, nlohmann::json::parse(declaration_bundle("member")), "test");
  REQUIRE(r.ok);
  probity::AccountStore accounts(*db);
  const auto person = r.ids["people"]["p-member"].get<probity::Id>();
  auto user = accounts.create_user("member@example.nhs.uk", person, probity::UserRole::member, "test", probity::now_instant());
  return accounts.create_api_token(user.id, "durability", "test", probity::now_instant()).token;
}

std::string http_nature(const std::string& ref) { return "Declared over HTTP " + ref; }

// Every acknowledged ref must be stored (both rows for an import, the interest for an HTTP
// declaration), and the file must be intact.
void check_database(const std::string& db_path, const std::set<std::string>& acknowledged, Figures& f) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
  if (integrity != "ok") f.integrity_failures.insert(integrity);
  std::set<std::string> stored;
  SQLite::Statement q(db, "SELECT substr(p.ref, 3) FROM people p JOIN interest_versions v ON v.person_id = p.id "
                          "JOIN interests i ON i.id = v.interest_id AND i.ref = 'i-' || substr(p.ref, 3)");
  while (q.executeStep()) stored.insert(q.getColumn(0).getString());
  SQLite::Statement h(db, "SELECT substr(nature, 20) FROM interest_versions WHERE nature LIKE 'Declared over HTTP %'");
  while (h.executeStep()) stored.insert(h.getColumn(0).getString());
  f.lost = 0;
  for (const auto& ref : acknowledged)
    if (!stored.count(ref)) ++f.lost;
  auto audit = probity::verify_audit_chain(db);
  if (!audit.ok) f.integrity_failures.insert("audit chain: " + audit.problem);
}

Figures run_kill_cycles(int cycles, unsigned seed) {
  TempDir dir;
  const std::string db = dir.file("durable.db");
  Figures f;
  std::set<std::string> acknowledged;
  std::mt19937 random(seed);
  long next_ref = 0;
  const std::string token = make_member(db);

  for (int cycle = 0; cycle < cycles; ++cycle) {
    // The server opens the file first each time, so it is the one recovering from the last kill.
    ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
    const int port = server.read_serving_port();
    if (port == 0) break;  // the server could not start on the file left by the last kill
    httplib::Client client("127.0.0.1", port);
    if (auto health = client.Get("/healthz"); health && health->status == 200) ++f.server_restarts_ok;
    check_database(db, acknowledged, f);
    if (f.lost != 0 || !f.integrity_failures.empty()) break;

    std::mutex mutex;
    std::condition_variable acknowledged_changed;
    std::set<pid_t> live;  // started and not yet reaped, so their pids cannot be reused
    bool killing = false;
    auto import_writer = [&](int writer) {
      for (;;) {
        std::string ref;
        {
          std::lock_guard lock(mutex);
          if (killing) return;
          ref = std::to_string(next_ref++);
        }
        const std::string file = dir.file("w" + std::to_string(writer) + ".json");
        std::ofstream(file) << declaration_bundle(ref);
        std::unique_ptr<ChildProcess> importer;
        {
          std::lock_guard lock(mutex);
          if (killing) return;
          importer = std::make_unique<ChildProcess>(std::vector<std::string>{"--database", db, "import", file}, false, true);
          live.insert(importer->pid());
        }
        importer->wait_exited_unreaped();
        {
          std::lock_guard lock(mutex);
          live.erase(importer->pid());
        }
        const int code = importer->wait();
        std::lock_guard lock(mutex);
        if (code == 0) {
          acknowledged.insert(ref);
          ++f.acknowledged;
          acknowledged_changed.notify_all();
        } else if (code == -SIGKILL) {
          ++f.killed_in_flight;
        } else {
          ++f.refused;
        }
      }
    };
    // A member declaring through the API; a declaration is acknowledged by its 201.
    auto http_writer = [&] {
      httplib::Client api("127.0.0.1", port);
      api.set_read_timeout(20);
      api.set_default_headers({{"Authorization", "Bearer " + token}});
      for (;;) {
        std::string ref;
        {
          std::lock_guard lock(mutex);
          if (killing) return;
          ref = "h" + std::to_string(next_ref++);
        }
        const nlohmann::json body = {{"category", "financial"}, {"organisation_name", "Practice " + ref}, {"nature", http_nature(ref)},
                                     {"from", "2025-01-01"}};
        auto res = api.Post("/api/v1/my/interests", body.dump(), "application/json");
        std::lock_guard lock(mutex);
        if (res && res->status == 201) {
          acknowledged.insert(ref);
          ++f.acknowledged;
          ++f.acknowledged_http;
          acknowledged_changed.notify_all();
        } else if (!res) {
          ++f.killed_in_flight;  // no answer: the server was killed first
          if (killing) return;
        } else {
          ++f.refused;
        }
      }
    };
    std::vector<std::thread> writers;
    writers.emplace_back(import_writer, 0);
    for (int w = 0; w < 2; ++w) writers.emplace_back(http_writer);

    // Even cycles first wait (up to 20 s) for a write acknowledged in this cycle, so every run
    // has acknowledged writes to check even on a slow sanitizer build; odd cycles may also kill
    // during start-up and recovery.
    if (cycle % 2 == 0) {
      std::unique_lock lock(mutex);
      const auto before = f.acknowledged;
      acknowledged_changed.wait_for(lock, std::chrono::seconds(20), [&] { return f.acknowledged > before; });
    }
    std::uniform_int_distribution<int> delay_ms(20, 400);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    {
      std::lock_guard lock(mutex);
      killing = true;
      ::kill(server.pid(), SIGKILL);
      for (pid_t pid : live) ::kill(pid, SIGKILL);
    }
    for (auto& t : writers) t.join();
    server.wait();
    ++f.cycles;
  }
  // One last restart and check on the file left by the last kill.
  {
    ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
    if (server.read_serving_port() != 0) ++f.server_restarts_ok;
    check_database(db, acknowledged, f);
    server.signal(SIGTERM);
    server.wait();
  }
  return f;
}
}  // namespace

TEST_CASE("every acknowledged declaration survives SIGKILL of the server and the writers", "[durability]") {
  const int cycles = env_int("PROBITY_KILL_CYCLES", 5);
  const auto seed = static_cast<unsigned>(env_int("PROBITY_KILL_SEED", static_cast<int>(std::random_device{}())));
  CAPTURE(cycles, seed);
  const auto started = std::chrono::steady_clock::now();
  Figures f = run_kill_cycles(cycles, seed);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "durability: kill cycles survived " << f.cycles << "/" << cycles << ", server restarts ok "
            << f.server_restarts_ok << ", acknowledged writes " << f.acknowledged << " (" << f.acknowledged_http
            << " through the HTTP API), acknowledged writes lost "
            << f.lost << ", writes killed in flight " << f.killed_in_flight << ", writes refused " << f.refused
            << ", integrity failures " << f.integrity_failures.size() << " (seed " << seed << ", " << seconds << " s)\n";
  for (const auto& failure : f.integrity_failures) UNSCOPED_INFO(failure);
  CHECK(f.cycles == cycles);
  CHECK(f.server_restarts_ok == cycles + 1);
  CHECK(f.acknowledged > 0);
  CHECK(f.acknowledged_http > 0);
  CHECK(f.lost == 0);
  CHECK(f.refused == 0);
  CHECK(f.integrity_failures.empty());
}
