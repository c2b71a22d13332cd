#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <regex>
#include <thread>
#include <sys/wait.h>

#include "model/accounts/api_token_store.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/account_setup.hpp"
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
  SignIn sign_in(db);
  return sign_in.login(email, password, now_instant()).outcome == LoginOutcome::ok;
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
  ApiTokenStore api_tokens(raw);
  auto user = api_tokens.user_for_api_token(token, now_instant());
  REQUIRE(user);
  CHECK(user->email == "guardian@example.nhs.uk");
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + token + "'").getInt() == 0);

  auto unknown = run_shell("", "--database " + db + " token create --email nobody@example.nhs.uk");
  CHECK(unknown.code == 1);
  CHECK_THAT(unknown.out, Catch::Contains("no account with the email nobody@example.nhs.uk"));
}

TEST_CASE("cli: serve --demo-if-empty creates the demo accounts, and prints their password to a terminal only") {
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
  // Standard output is a pipe here, as under journald or a test's log: no password in it.
  CHECK_FALSE(out.find(kDemoPassword) != std::string::npos);
  CHECK_THAT(out, Catch::Contains("DEMO ONLY") && Catch::Contains("governance@northbrook.example") &&
                      Catch::Contains("hassan@northbrook.example") && Catch::Contains("Probity is serving"));
  CHECK(password_works(db, "hassan@northbrook.example", kDemoPassword));
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT role FROM users WHERE email = 'governance@northbrook.example'").getString() == "governance");
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM users").getInt() == 6);  // with the Guardian and the Southvale chair
  CHECK(raw.execAndGet("SELECT guardian FROM users WHERE email = 'guardian@northbrook.example'").getInt() == 1);
}

TEST_CASE("cli: serve runs the reminder pass at start, enqueuing every reminder `reminders run` would") {
  testing::TempDir dir;
  const std::string db = dir.file("demo.db");
  auto reminders = [&] {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    return raw.execAndGet("SELECT COUNT(*) FROM outbox WHERE kind = 'reminder'").getInt();
  };
  int from_serve = 0;
  {
    testing::ChildProcess server({"--database", db, "serve", "--port", "0", "--demo-if-empty"}, true, false, true);
    for (std::string line; !(line = server.read_line(std::chrono::seconds(120))).empty();)
      if (line.find("Probity is serving") != std::string::npos) break;
    // The demo's 23 people are one batch, one write: its reminders appear together.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((from_serve = reminders()) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.signal(SIGTERM);
    server.wait();
  }
  REQUIRE(from_serve > 0);  // the demo has people due and overdue, with addresses
  // The same day's pass from the command line finds every reminder already enqueued.
  auto again = run_shell("", "--database " + db + " reminders run");
  CHECK(again.code == 0);
  CHECK(reminders() == from_serve);
  // In words, the date as everywhere else ("5 December 2026"): nothing new, and the demo's one
  // person without an address.
  CAPTURE(again.out);
  CHECK(std::regex_search(again.out, std::regex(R"(^Reminders for \d{1,2} [A-Z][a-z]+ \d{4}: 0 messages added to the outbox, )")));
  CHECK_THAT(again.out, Catch::Contains(", 1 person with no email address, "));
}

namespace {
AccountConfig cheap() {
  AccountConfig c;
  c.scrypt = ScryptParams{10, 8, 1};
  return c;
}

// A database with a first governance account, and a member with a password, a session and a token.
struct CliAccounts {
  testing::TempDir dir;
  std::string db = dir.file("r.db");
  Id member = 0;
  std::string session;
  std::string token;
  CliAccounts() {
    REQUIRE(run_shell("printf 'a sturdy first password\\n' | ", "--database " + db + " init --email guardian@example.nhs.uk --password-stdin").code == 0);
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    UserStore accounts(raw, cheap());
    SessionStore sessions(raw, cheap());
    ApiTokenStore api_tokens(raw, cheap());
    member = accounts.create_user("asha@example.nhs.uk", std::nullopt, UserRole::member, "test", now_instant()).id;
    auto link = accounts.create_password_link(member, "test", now_instant());
    REQUIRE(accounts.set_password_with_link(link.token, "tulip-meadow-42", now_instant()).outcome == SetPasswordOutcome::ok);
    session = sessions.create_session(member, now_instant()).token;
    token = api_tokens.create_api_token(member, "practice system", "test", now_instant()).token;
  }
  Run cli(const std::string& args) const { return run_shell("", "--database " + db + " " + args); }
  bool token_works(const std::string& t) const {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    return ApiTokenStore(raw, cheap()).user_for_api_token(t, now_instant()).has_value();
  }
  bool session_works() const {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    return SessionStore(raw, cheap()).find_session(session, now_instant()).has_value();
  }
};
}  // namespace

TEST_CASE("cli: account disable ends the account's sessions and API tokens; enable lets it sign in, the tokens stay revoked") {
  CliAccounts c;
  REQUIRE(c.session_works());
  REQUIRE(c.token_works(c.token));

  auto off = c.cli("account disable --email Asha@example.nhs.uk");
  CHECK(off.code == 0);
  CHECK_THAT(off.out, Catch::Contains("Disabled the account asha@example.nhs.uk: its sessions have ended and its API tokens are revoked"));
  CHECK_FALSE(c.session_works());
  CHECK_FALSE(c.token_works(c.token));
  CHECK_FALSE(password_works(c.db, "asha@example.nhs.uk", "tulip-meadow-42"));
  auto again = c.cli("account disable --email asha@example.nhs.uk");
  CHECK(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("was already disabled"));

  auto on = c.cli("account enable --email asha@example.nhs.uk");
  CHECK(on.code == 0);
  CHECK_THAT(on.out, Catch::Contains("Enabled the account asha@example.nhs.uk: it can sign in again"));
  CHECK(password_works(c.db, "asha@example.nhs.uk", "tulip-meadow-42"));
  CHECK_FALSE(c.token_works(c.token));

  // Recorded as the command line's doing, in the audit log and the security log.
  SQLite::Database raw(c.db, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM audit_log WHERE entity_kind = 'user' AND actor = 'cli'").getInt() == 2);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM auth_events WHERE event = 'token_revoked' AND actor = 'cli'").getInt() == 1);

  auto unknown = c.cli("account disable --email nobody@example.nhs.uk");
  CHECK(unknown.code == 1);
  CHECK_THAT(unknown.out, Catch::Contains("no account with the email nobody@example.nhs.uk"));
  CHECK(c.cli("account disable").code == 2);
  CHECK(c.cli("account").code == 2);
}

TEST_CASE("cli: token list shows an account's tokens without their values; token revoke ends one at once") {
  CliAccounts c;
  auto made = c.cli("token create --email asha@example.nhs.uk --label 'nightly export' --days 7");
  REQUIRE(made.code == 0);
  const std::string token = made.out.substr(0, made.out.find('\n'));
  CHECK(token.rfind("prb_", 0) == 0);
  CHECK_THAT(made.out, Catch::Contains("The token works until "));
  REQUIRE(c.token_works(token));
  std::string expires;
  {
    SQLite::Database raw(c.db, SQLite::OPEN_READONLY);
    expires = raw.execAndGet("SELECT expires_at FROM api_tokens WHERE label = 'nightly export'").getString();
    const auto in_days = std::chrono::duration_cast<std::chrono::hours>(*parse_instant(expires) - now_instant()).count();
    CHECK(in_days > 24 * 7 - 2);
    CHECK(in_days <= 24 * 7);
  }

  auto list = c.cli("token list --email asha@example.nhs.uk");
  CHECK(list.code == 0);
  CHECK_THAT(list.out, Catch::StartsWith("id\tstatus\tcreated\texpires\tlast used\trevoked\tlabel\n"));
  // The new token was used once above (token_works), so it has a last-used time; the other never.
  CHECK_THAT(list.out, Catch::Contains("\tactive\t" + iso_instant(now_instant()).substr(0, 4)) &&
                           Catch::Contains("\t" + expires + "\t20") && Catch::Contains("\t-\tnightly export\n") &&
                           Catch::Contains("\tnever\t-\tpractice system\n"));
  CHECK_FALSE(list.out.find(token) != std::string::npos);

  std::smatch m;
  REQUIRE(std::regex_search(list.out, m, std::regex("\n(\\d+)\t[^\n]*nightly export")));
  const std::string id = m[1];
  auto revoke = c.cli("token revoke " + id);
  CHECK(revoke.code == 0);
  CHECK_THAT(revoke.out, Catch::Contains("Revoked token " + id + " (nightly export)"));
  CHECK_FALSE(c.token_works(token));
  CHECK(c.token_works(c.token));  // the account's other token is untouched
  CHECK_THAT(c.cli("token list --email asha@example.nhs.uk").out, Catch::Contains(id + "\trevoked\t"));
  CHECK_THAT(c.cli("token revoke " + id).out, Catch::Contains("was already revoked"));

  auto missing = c.cli("token revoke 999");
  CHECK(missing.code == 1);
  CHECK_THAT(missing.out, Catch::Contains("no API token with the id 999"));
  CHECK(c.cli("token revoke abc").code == 2);
  CHECK(c.cli("token revoke 0").code == 2);
  CHECK(c.cli("token create --email asha@example.nhs.uk --days 0").code == 2);
  CHECK(c.cli("token create --email asha@example.nhs.uk --days 367").code == 2);
  CHECK_THAT(c.cli("token list --email guardian@example.nhs.uk").out, Catch::Contains("guardian@example.nhs.uk has no API tokens"));
  CHECK(c.cli("token list --email nobody@example.nhs.uk").code == 1);

  REQUIRE(c.cli("account disable --email asha@example.nhs.uk").code == 0);
  auto refused = c.cli("token create --email asha@example.nhs.uk");
  CHECK(refused.code == 1);
  CHECK_THAT(refused.out, Catch::Contains("cannot create the token: The account asha@example.nhs.uk is disabled: enable it first"));
}
