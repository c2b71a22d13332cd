#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <regex>
#include <sys/wait.h>

#include "model/account_store.hpp"
#include "server/account_setup.hpp"
#include "child_process.hpp"
#include "support.hpp"

using namespace probity;

namespace {
struct Run {
  int code;
  std::string out;
};

// Runs the real `probity` binary through the shell; stderr is merged into the output.
Run run_shell(const std::string& before, const std::string& args) {
  std::string cmd = before + std::string(PROBITY_BIN) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

bool password_works(const std::string& db_path, const std::string& email, const std::string& password) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  AccountStore accounts(db);
  return accounts.login(email, password, now_instant()).outcome == LoginOutcome::ok;
}
}  // namespace

TEST_CASE("cli: init --email makes the first governance account with a password from standard input") {
  testing::TempDir dir;
  const std::string db = dir.file("r.db");
  auto r = run_shell("printf 'a sturdy first password\\n' | ", "--database " + db + " init --email guardian@example.nhs.uk --name 'Mark Evans' --password-stdin");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Created the governance account guardian@example.nhs.uk"));
  CHECK_FALSE(r.out.find("a sturdy first password") != std::string::npos);
  CHECK(password_works(db, "guardian@example.nhs.uk", "a sturdy first password"));
  {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    SQLite::Statement q(raw, "SELECT u.role, p.name FROM users u JOIN person_current p ON p.id = u.person_id");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "governance");
    CHECK(q.getColumn(1).getString() == "Mark Evans");
  }
  // The same email twice is refused.
  auto again = run_shell("printf 'another good password\\n' | ", "--database " + db + " init --email Guardian@example.nhs.uk --password-stdin");
  CHECK(again.code == 1);
  CHECK_THAT(again.out, Catch::Contains("An account with this email address already exists"));
}

TEST_CASE("cli: init --email without a password generates one and prints it once") {
  testing::TempDir dir;
  const std::string db = dir.file("r.db");
  auto r = run_shell("", "--database " + db + " init --email guardian@example.nhs.uk < /dev/null");
  CHECK(r.code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("Password \\(shown once[^:]*: ([0-9a-f]+)")));
  CHECK(password_works(db, "guardian@example.nhs.uk", m[1].str()));
}

TEST_CASE("cli: init refuses a weak password and creates nothing") {
  testing::TempDir dir;
  const std::string db = dir.file("r.db");
  auto r = run_shell("printf 'password\\n' | ", "--database " + db + " init --email guardian@example.nhs.uk --name X --password-stdin");
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("cannot create the account"));
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM users").getInt() == 0);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM people").getInt() == 0);
}

TEST_CASE("cli: token create prints a bearer token stored only as a hash") {
  testing::TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_shell("printf 'a sturdy first password\\n' | ", "--database " + db + " init --email guardian@example.nhs.uk --password-stdin").code == 0);
  auto r = run_shell("", "--database " + db + " token create --email guardian@example.nhs.uk --label 'nightly export'");
  REQUIRE(r.code == 0);
  std::string token = r.out.substr(0, r.out.find('\n'));
  CHECK(token.size() >= 32);
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  AccountStore accounts(raw);
  auto user = accounts.user_for_api_token(token, now_instant());
  REQUIRE(user);
  CHECK(user->email == "guardian@example.nhs.uk");
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + token + "'").getInt() == 0);

  auto unknown = run_shell("", "--database " + db + " token create --email nobody@example.nhs.uk");
  CHECK(unknown.code == 1);
  CHECK_THAT(unknown.out, Catch::Contains("no account with the email nobody@example.nhs.uk"));
}

TEST_CASE("cli: serve --demo-if-empty creates the demo accounts and prints the demo password") {
  testing::TempDir dir;
  const std::string db = dir.file("demo.db");
  std::string out;
  {
    // Wait for the server to say it is serving rather than for a fixed time: hashing the demo
    // passwords with full-strength scrypt takes seconds under the sanitizers.
    testing::ChildProcess server({"--database", db, "serve", "--port", "0", "--demo-if-empty"}, true, false, true);
    for (std::string line; !(line = server.read_line(std::chrono::seconds(120))).empty();) {
      out += line + "\n";
      if (line.find("Probity is serving") != std::string::npos) break;
    }
    server.signal(SIGTERM);
    server.wait();
  }
  CHECK_THAT(out, Catch::Contains("DEMO ONLY") && Catch::Contains(kDemoPassword) && Catch::Contains("governance@northbrook.example") &&
                      Catch::Contains("hassan@northbrook.example") && Catch::Contains("Probity is serving"));
  CHECK(password_works(db, "hassan@northbrook.example", kDemoPassword));
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT role FROM users WHERE email = 'governance@northbrook.example'").getString() == "governance");
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM users").getInt() == 4);
}
