// The tests' main: SQLite set up as the command line sets it up, then Catch2's own session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "model/store/database.hpp"

int main(int argc, char** argv) {
  probity::configure_sqlite_process();
  return Catch::Session().run(argc, argv);
}
