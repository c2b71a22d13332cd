// The conflicts check without HTTP: builds one meeting's report (build_conflicts_report), its
// JSON and the bytes sent (compact_json) on one connection, again and again, and prints how
// long each part takes. Run it on a register made by bench/gen_bundle.py and `probity import`
// (the meeting is the bundle's "m-bench"), and under callgrind for where the instructions go
// (docs/benchmarks-notes.md):
//
//   cmake --build --preset release --target conflicts_bench
//   ./build/release/conflicts_bench register.db 1 [runs]
//   valgrind --tool=callgrind ./build/release/conflicts_bench register.db 1 20
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/meetings/conflicts_report.hpp"
#include "model/public/json_text.hpp"
#include "model/store/database.hpp"

using namespace probity;

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: conflicts_bench DATABASE MEETING_ID [RUNS]\n");
    return 2;
  }
  const std::string path = argv[1];
  const Id meeting = std::atoll(argv[2]);
  const int runs = argc > 3 ? std::atoi(argv[3]) : 200;
  auto db = open_database(path, false);
  std::vector<double> build, to_json_ms, dump, whole;
  std::size_t bytes = 0, flags = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    SQLite::Transaction snapshot(*db);  // as the route reads it: one snapshot
    auto report = build_conflicts_report(*db, meeting, ReportAudience::governance);
    const auto t1 = Clock::now();
    if (!report) {
      std::fprintf(stderr, "no meeting %lld\n", static_cast<long long>(meeting));
      return 1;
    }
    nlohmann::json j = *report;
    const auto t2 = Clock::now();
    const std::string text = compact_json(j);
    const auto t3 = Clock::now();
    build.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    to_json_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    dump.push_back(std::chrono::duration<double, std::milli>(t3 - t2).count());
    whole.push_back(ms_since(t0));
    bytes = text.size();
    flags = 0;
    for (const auto& item : report->items) flags += item.flags.size();
  }
  std::printf("conflicts check, meeting %lld, %d runs, %zu flags, %zu bytes of JSON\n", static_cast<long long>(meeting), runs,
              flags, bytes);
  std::printf("median ms: build %.3f, to_json %.3f, compact_json %.3f, whole %.3f\n", median(build), median(to_json_ms),
              median(dump), median(whole));
  return 0;
}
