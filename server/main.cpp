#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "server/cli/cli.hpp"

namespace {

// glibc's per-thread cache of freed memory holds 7 chunks of each size by default. A request that
// builds a large answer (a meeting's conflicts check makes about 7,700 allocations) frees far more
// than that at its end, so most of its frees and the next request's mallocs went to the shared
// arena, under its lock, and fast chunks were merged again and again (malloc and free were a fifth
// of the server's time on the check). With room for 2,048 of each size the check built afresh over
// HTTP went from about 1.5 to 1.25 ms (docs/benchmarks-notes.md, thirteenth round). Only chunks up
// to about 1 KB are cached, so memory stays bounded by what requests allocate at once.
//
// glibc reads the setting only from the environment at start, so `serve` sets it and starts
// itself again (same process id, same arguments) before doing anything else. An operator's own
// GLIBC_TUNABLES naming tcache_count is left as it is (docs/operations.md).
constexpr const char* kThreadCache = "glibc.malloc.tcache_count=2048";

bool is_serve(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "serve") == 0) return true;
  return false;
}

void start_again_with_thread_cache(char** argv) {
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current ? current : "";
  if (tunables.find("glibc.malloc.tcache_count") != std::string::npos) return;  // set already, by us or the operator
  tunables += tunables.empty() ? "" : ":";
  tunables += kThreadCache;
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Only on failure (no /proc): run on with glibc's default cache; the variable set here then
  // stops a child from trying again.
}

}  // namespace

int main(int argc, char** argv) {
  if (is_serve(argc, argv)) start_again_with_thread_cache(argv);
  // glibc gives each of the server's pool threads its own malloc arena (up to 8 per core) and
  // keeps what a large response freed in that arena, so the same build served by different
  // threads raised the peak RSS arena by arena (116 MB with 100,000 interests; 78 MB with two
  // arenas, 48 MB with one). Two arenas, one per core of the machines we run on, keep most of
  // the benefit for concurrent requests. Set before any thread starts.
  mallopt(M_ARENA_MAX, 2);
  return probity::run_cli(argc, argv);
}
