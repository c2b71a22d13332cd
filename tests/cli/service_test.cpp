#include <sys/socket.h>
#include <sys/un.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include <httplib.h>

#include "child_process.hpp"
#include "model/store/backup.hpp"
#include "model/store/database.hpp"
#include "probity_version.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using probity::testing::ChildProcess;

struct Said {
  int code;
  std::string text;
};

Said run_probity(const std::vector<std::string>& args) {
  ChildProcess p(args, true, false, true);  // stderr read with stdout
  std::string text;
  for (std::string line; !(line = p.read_line()).empty();) text += line + "\n";
  return {p.wait(), text};
}

std::vector<std::string> files_starting(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) found.push_back(e.path().filename().string());
  std::sort(found.begin(), found.end());
  return found;
}

// A datagram socket standing in for systemd's notification socket.
struct NotifySocket {
  std::string path;
  int fd = -1;
  explicit NotifySocket(std::string p) : path(std::move(p)) {
    fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
  }
  ~NotifySocket() { ::close(fd); }
  std::string receive(int timeout_ms = 20000) const {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return {};
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
};
}  // namespace

TEST_CASE("--version prints the release and exits 0") {
  auto said = run_probity({"--version"});
  CHECK(said.code == 0);
  CHECK(said.text == std::string("probity ") + probity::kVersion + "\n");
  CHECK(std::regex_match(std::string(probity::kVersion), std::regex(R"(\d+\.\d+\.\d+)")));
}

TEST_CASE("a database a newer release migrated stops every command with a clear message and exit 1") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_probity({"--database", db, "demo"}).code == 0);
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO schema_migrations(name) VALUES ('9999_next_release.sql')");
  }
  const std::string expected = "probity: cannot use " + db +
                               ": the database was upgraded by a newer release of Probity (it has the migration "
                               "9999_next_release.sql, which this release does not know); run that release or a newer "
                               "one, or restore the backup taken before that upgrade. This is Probity " +
                               probity::kVersion + ".\n";
  auto serve = run_probity({"--database", db, "serve", "--port", "0"});
  CHECK(serve.code == 1);
  CHECK(serve.text == expected);
  auto verify = run_probity({"--database", db, "audit", "verify"});
  CHECK(verify.code == 1);
  CHECK(verify.text == expected);
  CHECK(files_starting(dir.path, "r.db.before-upgrade-").empty());
  // A backup still works: it reads the file as it is, whatever its schema.
  CHECK(run_probity({"--database", db, "backup", dir.file("copy.db")}).code == 0);
}

TEST_CASE("start-up migrates an older database after a verified backup, and a new one without") {
  probity::testing::TempDir dir;
  // The previous release's schema: every migration of this one but the newest.
  const std::string db = dir.file("old.db");
  const auto& all = probity::embedded_migrations();
  probity::Migrations previous(all.begin(), std::prev(all.end()));
  const std::string newest = all.rbegin()->first;
  {
    auto d = probity::open_database(db, true);
    probity::apply_migrations(*d, previous);
  }
  auto said = run_probity({"--database", db, "audit", "verify"});
  CHECK(said.code == 0);
  const auto backups = files_starting(dir.path, "old.db.before-upgrade-");
  REQUIRE(backups.size() == 1);
  CHECK_THAT(said.text, Catch::StartsWith("probity: before upgrading, backed up " + db + " to " + dir.file(backups[0])) &&
                            Catch::Contains("probity: upgraded " + db + " with the migration " + newest + "\n"));
  CHECK(probity::check_database_file(dir.file(backups[0])).ok);
  {
    SQLite::Database copy(dir.file(backups[0]), SQLite::OPEN_READONLY);
    CHECK(probity::schema_state(copy).pending == std::vector<std::string>{newest});
    SQLite::Database now(db, SQLite::OPEN_READONLY);
    CHECK(probity::schema_state(now).pending.empty());
  }
  // Up to date now: the next start takes no backup.
  CHECK(run_probity({"--database", db, "audit", "verify"}).text == "Audit chain verified: 0 rows\n");
  CHECK(files_starting(dir.path, "old.db.before-upgrade-").size() == 1);

  // A new database is simply created.
  const std::string fresh = dir.file("new.db");
  CHECK(run_probity({"--database", fresh, "init"}).text == "Created " + fresh + "\n");
  CHECK(files_starting(dir.path, "new.db.before-upgrade-").empty());
}

TEST_CASE("backup into a folder keeps the configured number of copies, newest first") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_probity({"--database", db, "demo"}).code == 0);
  const fs::path kept = dir.path / "backups";
  fs::create_directories(kept);
  // Two earlier nights' copies and a file of someone else's.
  for (const auto* night : {"probity-20261201T023000Z.db", "probity-20261202T023000Z.db"})
    REQUIRE(run_probity({"--database", db, "backup", (kept / night).string()}).code == 0);
  std::ofstream(kept / "README.txt") << "copies of the register";

  const std::string config = dir.file("probity.json");
  std::ofstream(config) << R"({"backup": {"dir": ")" << kept.string() << R"(", "keep": 2}})";
  auto said = run_probity({"--config", config, "--database", db, "backup"});
  CHECK(said.code == 0);
  CHECK_THAT(said.text, Catch::Contains("integrity check ok; audit chain verified") &&
                            Catch::EndsWith("Removed the old backup " + (kept / "probity-20261201T023000Z.db").string() +
                                            " (keeping the newest 2)\n"));
  auto copies = files_starting(kept, "probity-");
  REQUIRE(copies.size() == 2);
  CHECK(copies[0] == "probity-20261202T023000Z.db");
  CHECK(std::regex_match(copies[1], std::regex(R"(probity-\d{8}T\d{6}Z\.db)")));
  CHECK(copies[1] > copies[0]);
  CHECK(probity::check_database_file((kept / copies[1]).string()).ok);
  CHECK(fs::exists(kept / "README.txt"));

  // The flags override the config's folder; wrong settings and combinations are refused.
  const fs::path other = dir.path / "other";
  fs::create_directories(other);
  CHECK(run_probity({"--config", config, "--database", db, "backup", "--dir", other.string(), "--keep", "1"}).code == 0);
  CHECK(files_starting(other, "probity-").size() == 1);
  CHECK(run_probity({"--database", db, "backup"}).text ==
        "probity: say where to write the backup: a FILE, --dir FOLDER, or \"backup\": {\"dir\": ...} in the config\n");
  CHECK(run_probity({"--database", db, "backup", dir.file("x.db"), "--keep", "2"}).text ==
        "probity: --keep goes with a folder of copies (--dir), not with a FILE\n");
  CHECK(run_probity({"--database", db, "backup", dir.file("x.db"), "--dir", other.string()}).code == 2);
  CHECK(run_probity({"--database", db, "backup", "--dir", dir.file("missing")}).text ==
        "probity: no folder " + dir.file("missing") + " for the backups\n");
  std::ofstream(config) << R"({"backup": {"dir": ")" << kept.string() << R"(", "keep": 0}})";
  auto wrong = run_probity({"--config", config, "--database", db, "backup"});
  CHECK(wrong.code == 1);
  CHECK(wrong.text == "probity: config: backup.keep must be a whole number from 1 to 1000\n");
}

TEST_CASE("serve tells systemd it is ready once it listens, and that it is stopping") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  NotifySocket notify(dir.file("notify.sock"));
  ::setenv("NOTIFY_SOCKET", notify.path.c_str(), 1);
  ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
  ::unsetenv("NOTIFY_SOCKET");
  const std::string ready = notify.receive();
  CHECK(ready == "READY=1");
  const int port = server.read_serving_port();
  REQUIRE(port != 0);
  // READY=1 came after the port was bound: a client may connect as soon as systemd says so.
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  server.signal(SIGTERM);
  CHECK(notify.receive() == "STOPPING=1");
  CHECK(server.wait() == 0);
}
