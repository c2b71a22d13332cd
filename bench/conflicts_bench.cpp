// The conflicts check without HTTP: builds one meeting's report (build_conflicts_report) and the
// bytes the API sends (conflicts_json_text) on one connection, again and again, and prints how
// long each part takes; also, for comparison, the report's nlohmann value (what the brief page
// uses) and compact_json of it, which must be the same bytes. Run it on a register made by bench/gen_bundle.py and `probity import`
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
#include "model/public/conflicts_json.hpp"
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
  // PROBITY_BENCH_DIRECT_ONLY=1: only the API's path (build and conflicts_json_text), for a
  // callgrind profile of what a request costs.
  const bool direct_only = std::getenv("PROBITY_BENCH_DIRECT_ONLY") != nullptr;
  std::vector<double> build, direct_ms, whole, value_ms, value_text_ms;
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
    const std::string direct = conflicts_json_text(*report);
    const auto t2 = Clock::now();
    build.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    direct_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    whole.push_back(ms_since(t0));
    bytes = direct.size();
    if (!direct_only) {
      const auto t3 = Clock::now();
      nlohmann::json j = *report;
      const auto t4 = Clock::now();
      const std::string text = compact_json(j);
      value_ms.push_back(std::chrono::duration<double, std::milli>(t4 - t3).count());
      value_text_ms.push_back(ms_since(t4));
      if (text != direct) {
        std::fprintf(stderr, "conflicts_json_text differs from compact_json of the report's value\n");
        return 1;
      }
    }
    flags = 0;
    for (const auto& item : report->items) flags += item.flags.size();
  }
  std::printf("conflicts check, meeting %lld, %d runs, %zu flags, %zu bytes of JSON\n", static_cast<long long>(meeting), runs,
              flags, bytes);
  std::printf("median ms: build %.3f, conflicts_json_text %.3f, build + text %.3f\n", median(build), median(direct_ms),
              median(whole));
  if (!direct_only)
    std::printf("for comparison: to_json %.3f, compact_json of it %.3f (same bytes)\n", median(value_ms), median(value_text_ms));
  return 0;
}
