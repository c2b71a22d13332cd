#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "support.hpp"

namespace {
struct Run {
  int code;
  std::string out;
};

// Runs the real `probity` binary through the shell; stderr is merged into the output.
Run run_probity(const std::string& args) {
  std::string cmd = std::string(PROBITY_BIN) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
}  // namespace

TEST_CASE("--help documents every command and exits 0") {
  auto r = run_probity("--help");
  CHECK(r.code == 0);
  for (const char* cmd : {"serve", "init", "import", "export", "demo", "audit"}) CHECK_THAT(r.out, Catch::Contains(cmd));
  auto serve = run_probity("serve --help");
  CHECK(serve.code == 0);
  CHECK_THAT(serve.out, Catch::Contains("--port") && Catch::Contains("--tls-cert"));
}

TEST_CASE("a wrong command line exits 2 with a message") {
  CHECK(run_probity("").code == 2);
  auto r = run_probity("serve --port 99999");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("--port"));
  CHECK(run_probity("import").code == 2);  // FILE is required
}

TEST_CASE("import prints ids by ref, and refuses a bad bundle with exit 1 and nothing written") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  write_file(dir.file("good.json"), R"({"people": [{"ref": "p1", "name": "Dr A", "kind": "gp"}]})");
  write_file(dir.file("bad.json"), R"({"people": [{"ref": "p2", "name": "Dr B", "kind": "gp"},
                                                  {"ref": "p3", "name": "Dr C", "kind": "surgeon"}]})");
  auto good = run_probity("--database " + db + " import " + dir.file("good.json"));
  CHECK(good.code == 0);
  CHECK(nlohmann::json::parse(good.out) == nlohmann::json{{"people", {{"p1", 1}}}});

  auto bad = run_probity("--database " + db + " import " + dir.file("bad.json"));
  CHECK(bad.code == 1);
  CHECK_THAT(bad.out, Catch::Contains("people[1].kind: unknown value \"surgeon\""));
  CHECK_THAT(bad.out, Catch::Contains("nothing was imported"));
  auto exported = run_probity("--database " + db + " export");
  REQUIRE(exported.code == 0);
  CHECK(nlohmann::json::parse(exported.out).at("people").size() == 1);

  CHECK(run_probity("--database " + db + " import " + dir.file("missing.json")).code == 1);
}

TEST_CASE("export of a missing database fails with exit 1 and says how to create one") {
  probity::testing::TempDir dir;
  auto r = run_probity("--database " + dir.file("none.db") + " export");
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("no database at") && Catch::Contains("probity init"));
}

TEST_CASE("init creates a database once; demo loads; audit verify passes and then detects tampering") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  CHECK(run_probity("--database " + db + " init").code == 0);
  auto again = run_probity("--database " + db + " init");
  CHECK(again.code == 1);
  CHECK_THAT(again.out, Catch::Contains("already exists"));

  CHECK(run_probity("--database " + db + " demo").code == 0);
  auto ok = run_probity("--database " + db + " audit verify");
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("Audit chain verified"));

  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER audit_log_no_update");
    raw.exec("UPDATE audit_log SET actor = 'intruder' WHERE id = 40");
  }
  auto broken = run_probity("--database " + db + " audit verify");
  CHECK(broken.code == 1);
  CHECK_THAT(broken.out, Catch::Contains("audit chain broken at row 40"));
}

TEST_CASE("a bad config file is reported with exit 1") {
  probity::testing::TempDir dir;
  write_file(dir.file("c.json"), R"({"port": "eighty"})");
  auto r = run_probity("--config " + dir.file("c.json") + " --database " + dir.file("r.db") + " export");
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("\"port\" has the wrong type"));
}

TEST_CASE("serve refuses a port another server is listening on, with exit 1 and a message") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("serve.db");
  REQUIRE(run_probity("--database " + db + " demo").code == 0);
  probity::testing::ChildProcess first({"--database", db, "serve", "--port", "0"}, true, true);
  const int port = first.read_serving_port();
  REQUIRE(port != 0);
  // cpp-httplib's own socket options set SO_REUSEPORT, under which this second server would have
  // bound the same port and silently shared its connections.
  auto second = run_probity("--database " + db + " serve --port " + std::to_string(port));
  CHECK(second.code == 1);
  CHECK_THAT(second.out, Catch::Contains("cannot listen on") && Catch::Contains(std::to_string(port)));
  first.signal(SIGTERM);
  CHECK(first.wait() == 0);
}
