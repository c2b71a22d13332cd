#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "child_process.hpp"
#include "support.hpp"

namespace {
using probity::testing::ChildProcess;

struct Output {
  int code;
  std::string text;
};

Output run(const std::vector<std::string>& args) {
  ChildProcess p(args, true, false, true);  // stderr read with stdout
  std::string text;
  for (std::string line; !(line = p.read_line()).empty();) text += line + "\n";
  return {p.wait(), text};
}
}  // namespace

TEST_CASE("backup works while the server runs; restore is refused until it stops, then keeps the old file") {
  probity::testing::TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run({"--database", db, "demo"}).code == 0);
  ChildProcess server({"--database", db, "serve", "--port", "0"}, true, true);
  REQUIRE(server.read_serving_port() != 0);

  const std::string backup = dir.file("b.db");
  auto made = run({"--database", db, "backup", backup});
  CHECK(made.code == 0);
  // Every row of the demo's audit trail is verified (counted in the copy itself).
  const auto audit_rows = SQLite::Database(backup).execAndGet("SELECT COUNT(*) FROM audit_log").getInt64();
  CHECK(audit_rows > 100);
  CHECK_THAT(made.text, Catch::StartsWith("Backed up " + db + " to " + backup) &&
                            Catch::Contains("integrity check ok; audit chain verified: " + std::to_string(audit_rows) + " rows"));
  auto again = run({"--database", db, "backup", backup});
  CHECK(again.code == 1);
  CHECK(again.text == "probity: " + backup + " already exists; a backup never overwrites a file\n");

  auto busy = run({"--database", db, "restore", backup});
  CHECK(busy.code == 1);
  CHECK(busy.text == "probity: " + db + " is in use (is `probity serve` running?); stop it, then restore\n");
  server.signal(SIGTERM);
  CHECK(server.wait() == 0);

  auto restored = run({"--database", db, "restore", backup});
  CHECK(restored.code == 0);
  CHECK_THAT(restored.text, Catch::StartsWith("Restored " + db + " from " + backup) &&
                                Catch::Contains("The database it replaced is kept as " + db + ".before-restore-"));
  CHECK(run({"--database", db, "audit", "verify"}).code == 0);
}
