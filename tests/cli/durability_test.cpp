// Durability under SIGKILL: acknowledged writes survive the writer and the server being killed
// at random moments, and the file stays intact. The number of kill cycles is a parameter:
// PROBITY_KILL_CYCLES (default 5, a few seconds) here; `make bench-durability` runs hundreds.
//
// Writes are `probity import` processes (an import is acknowledged when it exits 0), running
// while `probity serve` has the same database open, and declarations sent by several clients at
// once to the member API (POST /api/v1/my/interests, acknowledged on 201), which the server
// commits in groups (model/store/group_commit.hpp): a group's writes are acknowledged only after its
// COMMIT, so a kill between the two must lose none that were acknowledged.
//
// The only death the test accepts is the SIGKILL it sent: every server and importer exit is
// checked (a server must still be running when it is killed and must die of that SIGKILL; an
// importer must exit 0 or die of a SIGKILL sent to it while it ran), and a declaration left
// unanswered counts as killed in flight only if the kill had already been sent. A server that
// crashed on its own (say on every API declaration) fails the test, and so does a run in which
// the API acknowledged nothing: each even cycle waits until both writers have had a write
// acknowledged in that cycle.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <condition_variable>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "model/store/audit_log.hpp"
#include "support.hpp"

namespace {
using probity::testing::ChildProcess;
using probity::testing::TempDir;

struct Figures {
  int cycles = 0;
  int server_restarts_ok = 0;
  int server_kills = 0;          // servers still running when killed, that died of our SIGKILL
  long acknowledged = 0;         // both writers
  long api_acknowledged = 0;     // declarations answered 201
  long import_acknowledged = 0;  // imports that exited 0
  int cycles_with_api_writes = 0;
  long api_in_flight = 0;   // declarations unanswered because we had killed the server
  long imports_killed = 0;  // importers we killed before they exited (may or may not be stored)
  long refused = 0;         // declarations answered other than 201 (should not happen)
  long lost = 0;            // acknowledged but missing afterwards: must be 0
  std::vector<std::string> unexpected;  // ends and silences that were not our SIGKILL
  std::set<std::string> integrity_failures;
  long killed_in_flight() const { return api_in_flight + imports_killed; }
};

// "exit 3", "signal 11 (Segmentation fault)": a ChildProcess::wait() result in words.
std::string describe_exit(int code) {
  if (code >= 0) return "exit " + std::to_string(code);
  if (code == -1000) return "an unknown end";
  return "signal " + std::to_string(-code) + " (" + ::strsignal(-code) + ")";
}

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

// Every acknowledged ref must be stored (both rows; for the API, the interest with its nature),
// and the file must be intact.
void check_database(const std::string& db_path, const std::set<std::string>& acknowledged,
                    const std::set<std::string>& declared, Figures& f) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
  if (integrity != "ok") f.integrity_failures.insert(integrity);
  std::set<std::string> stored;
  SQLite::Statement q(db, "SELECT substr(p.ref, 3) FROM people p JOIN interest_versions v ON v.person_id = p.id "
                          "JOIN interests i ON i.id = v.interest_id AND i.ref = 'i-' || substr(p.ref, 3)");
  while (q.executeStep()) stored.insert(q.getColumn(0).getString());
  std::set<std::string> natures;
  SQLite::Statement n(db, "SELECT substr(nature, 10) FROM interest_versions WHERE nature LIKE 'durable: %'");
  while (n.executeStep()) natures.insert(n.getColumn(0).getString());
  f.lost = 0;
  for (const auto& ref : acknowledged)
    if (!stored.count(ref)) ++f.lost;
  for (const auto& ref : declared)
    if (!natures.count(ref)) ++f.lost;
  auto audit = probity::verify_audit_chain(db);
  if (!audit.ok) f.integrity_failures.insert("audit chain: " + audit.problem);
}

Figures run_kill_cycles(int cycles, unsigned seed) {
  TempDir dir;
  const std::string db = dir.file("durable.db");
  Figures f;
  std::set<std::string> acknowledged, declared;  // by import; through the API
  std::mt19937 random(seed);
  long next_ref = 0;

  // A member account with an API token for the HTTP writers (init creates the database).
  {
    ChildProcess init({"--database", db, "init", "--email", "durable@example.org", "--name", "Durable Member"}, true, true);
    if (init.wait() != 0) FAIL("probity init failed");
  }
  std::string token;
  {
    ChildProcess create({"--database", db, "token", "create", "--email", "durable@example.org"}, true, true);
    token = create.read_line();
    if (create.wait() != 0 || token.empty()) FAIL("probity token create failed");
  }

  for (int cycle = 0; cycle < cycles; ++cycle) {
    const std::string in_cycle = "cycle " + std::to_string(cycle + 1) + ": ";
    // The server opens the file first each time, so it is the one recovering from the last kill.
    ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
    const int port = server.read_serving_port();
    if (port == 0) {  // the server could not start on the file left by the last kill
      server.signal(SIGKILL);
      f.unexpected.push_back(in_cycle + "the server did not start (" + describe_exit(server.wait()) + ")");
      break;
    }
    httplib::Client client("127.0.0.1", port);
    if (auto health = client.Get("/healthz"); health && health->status == 200) ++f.server_restarts_ok;
    check_database(db, acknowledged, declared, f);
    if (f.lost != 0 || !f.integrity_failures.empty()) break;

    std::mutex mutex;
    std::condition_variable acknowledged_changed;
    std::set<pid_t> live;    // started and not yet reaped, so their pids cannot be reused
    std::set<pid_t> killed;  // importers we sent SIGKILL while they ran
    bool killing = false;
    long cycle_api = 0, cycle_imports = 0;
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
          ++f.import_acknowledged;
          ++cycle_imports;
          acknowledged_changed.notify_all();
        } else if (code == -SIGKILL && killed.count(importer->pid())) {
          ++f.imports_killed;
        } else {
          // A refusal, a crash, or a kill that was not ours: none may happen.
          f.unexpected.push_back(in_cycle + "an importer ended with " + describe_exit(code));
          return;
        }
      }
    };
    // Declarations through the API: each client sends one, waits for the answer, and records it
    // as acknowledged only on 201. Several at once, so that the server groups their commits.
    auto http_writer = [&] {
      httplib::Client api("127.0.0.1", port);
      api.set_read_timeout(30, 0);
      const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
      for (;;) {
        std::string ref;
        {
          std::lock_guard lock(mutex);
          if (killing) return;
          ref = "h" + std::to_string(next_ref++);
        }
        const std::string body = R"({"category": "financial", "organisation_name": "Durable Practice", "nature": "durable: )" +
                                 ref + R"(", "from": "2025-01-01"})";
        auto res = api.Post("/api/v1/my/interests", auth, body, "application/json");
        std::lock_guard lock(mutex);
        if (res && res->status == 201) {
          declared.insert(ref);
          ++f.acknowledged;
          ++f.api_acknowledged;
          ++cycle_api;
          acknowledged_changed.notify_all();
        } else if (!res && killing) {
          ++f.api_in_flight;  // we killed the server before it answered: may or may not be stored
          return;
        } else if (!res) {
          // No answer while the server should be running: it died or hung on its own.
          f.unexpected.push_back(in_cycle + "a declaration got no answer (" + httplib::to_string(res.error()) +
                                 ") before the server was killed");
          return;
        } else {
          ++f.refused;
          UNSCOPED_INFO("declaration refused with " << res->status << ": " << res->body);
          return;
        }
      }
    };
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) writers.emplace_back(import_writer, w);
    for (int w = 0; w < 4; ++w) writers.emplace_back(http_writer);

    // Even cycles first wait (up to 20 s) until both writers have had a write acknowledged in
    // this cycle, so every run has acknowledged API declarations and imports to check, even on a
    // slow sanitizer build; odd cycles may also kill during start-up and recovery.
    if (cycle % 2 == 0) {
      std::unique_lock lock(mutex);
      if (!acknowledged_changed.wait_for(lock, std::chrono::seconds(20), [&] { return cycle_api > 0 && cycle_imports > 0; }))
        f.unexpected.push_back(in_cycle + "in 20 s the server acknowledged " + std::to_string(cycle_api) +
                               " declarations and the importers " + std::to_string(cycle_imports) + " imports");
    }
    std::uniform_int_distribution<int> delay_ms(20, 400);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    bool server_was_running = false, sent = false;
    {
      std::lock_guard lock(mutex);
      killing = true;
      server_was_running = !server.has_exited();
      sent = ::kill(server.pid(), SIGKILL) == 0;
      for (pid_t pid : live)
        if (::kill(pid, SIGKILL) == 0) killed.insert(pid);
    }
    for (auto& t : writers) t.join();
    const int status = server.wait();
    if (server_was_running && sent && status == -SIGKILL) ++f.server_kills;
    else
      f.unexpected.push_back(in_cycle + "the server ended with " + describe_exit(status) +
                             (server_was_running ? "" : ", before it was killed"));
    if (cycle_api > 0) ++f.cycles_with_api_writes;
    ++f.cycles;
  }
  // One last restart and check on the file left by the last kill; then a clean stop.
  {
    ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
    if (server.read_serving_port() != 0) ++f.server_restarts_ok;
    check_database(db, acknowledged, declared, f);
    server.signal(SIGTERM);
    if (const int code = server.wait(); code != 0)
      f.unexpected.push_back("the last server ended with " + describe_exit(code) + " on SIGTERM");
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
  std::cout << "durability: kill cycles survived " << f.cycles << "/" << cycles << " (servers killed by our SIGKILL "
            << f.server_kills << ", other ends " << f.unexpected.size() << "), server restarts ok " << f.server_restarts_ok
            << ", acknowledged writes " << f.acknowledged << " (API " << f.api_acknowledged << " in " << f.cycles_with_api_writes
            << " cycles, imports " << f.import_acknowledged << "), acknowledged writes lost " << f.lost
            << ", writes killed in flight " << f.killed_in_flight() << " (API " << f.api_in_flight << ", imports "
            << f.imports_killed << "), writes refused " << f.refused << ", integrity failures " << f.integrity_failures.size()
            << " (seed " << seed << ", " << seconds << " s)\n";
  std::string problems;
  for (const auto& failure : f.integrity_failures) problems += "\n  integrity: " + failure;
  for (const auto& what : f.unexpected) problems += "\n  " + what;
  if (!problems.empty()) std::cout << "durability problems:" << problems << "\n";
  INFO("problems:" << problems);
  CHECK(f.cycles == cycles);
  CHECK(f.server_kills == cycles);  // every server died of our SIGKILL, and of nothing else
  CHECK(f.unexpected.empty());
  CHECK(f.server_restarts_ok == cycles + 1);
  // Each even cycle waited for both writers, so at least that many of each were acknowledged.
  const int even_cycles = (cycles + 1) / 2;
  CHECK(f.cycles_with_api_writes >= even_cycles);
  CHECK(f.api_acknowledged >= even_cycles);
  CHECK(f.import_acknowledged >= even_cycles);
  CHECK(f.lost == 0);
  CHECK(f.refused == 0);
  CHECK(f.integrity_failures.empty());
}
