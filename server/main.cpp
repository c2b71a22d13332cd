#include <malloc.h>
#include <sqlite3.h>

#include "server/cli/cli.hpp"

int main(int argc, char** argv) {
  // glibc gives each of the server's pool threads its own malloc arena (up to 8 per core) and
  // keeps what a large response freed in that arena, so the same build served by different
  // threads raised the peak RSS arena by arena (116 MB with 100,000 interests; 78 MB with two
  // arenas, 48 MB with one). Two arenas, one per core of the machines we run on, keep most of
  // the benefit for concurrent requests. Set before any thread starts.
  mallopt(M_ARENA_MAX, 2);
  // SQLite counts every allocation in global statistics kept under one global mutex, which all
  // pool threads then queue on (futex waits were the largest item in a profile of cached public
  // reads). Nothing here reads those statistics. Must precede sqlite3_initialize.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return probity::run_cli(argc, argv);
}
