#include <malloc.h>

#include "server/cli/cli.hpp"

int main(int argc, char** argv) {
  // glibc gives each of the server's pool threads its own malloc arena (up to 8 per core) and
  // keeps what a large response freed in that arena, so the same build served by different
  // threads raised the peak RSS arena by arena (116 MB with 100,000 interests; 78 MB with two
  // arenas, 48 MB with one). Two arenas, one per core of the machines we run on, keep most of
  // the benefit for concurrent requests. Set before any thread starts.
  mallopt(M_ARENA_MAX, 2);
  return probity::run_cli(argc, argv);
}
