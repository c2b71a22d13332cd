#!/usr/bin/env bash
# Runs one libFuzzer binary for a bounded time and records what happened.
#   run_fuzzer.sh BINARY SECONDS SEED_CORPUS WORK_DIR   (PROBITY_FUZZ_SECONDS overrides SECONDS)
# The test command uses a fixed random seed (PROBITY_FUZZ_SEED, default 20261123), so a failure
# in CI replays here with the same seed; `make fuzz-long` sets PROBITY_FUZZ_SEED=0, a new seed
# each run, to explore further. The per-input timeout is generous (30 s) because a loaded
# machine slows ASan's allocator by an order of magnitude; an input that really hangs still fails.
# The run starts from the committed corpus SEED_CORPUS (hand-written seeds and the minimised
# finds of earlier runs, merged in with `make fuzz-merge`) and WORK_DIR/corpus; new interesting
# inputs go to WORK_DIR/corpus only (the committed corpus is only read here). A crash is saved as
# WORK_DIR/crash-* and fails the run. WORK_DIR/summary.txt holds one line of figures: time,
# inputs run, coverage (libFuzzer's cov: edges and ft: features at the end), corpus sizes, crashes.
set -uo pipefail
binary=$1 seconds=${PROBITY_FUZZ_SECONDS:-$2} seeds=$3 work=$4
name=$(basename "$binary")
mkdir -p "$work/corpus"
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*  # count this run only
dict=$(dirname "$seeds")/$(basename "$seeds").dict
seed=${PROBITY_FUZZ_SEED:-20261123}
args=(-max_total_time="$seconds" -seed="$seed" -timeout=30 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
      -artifact_prefix="$work/")
[[ -f $dict ]] && args+=(-dict="$dict")
start=$(date +%s)
"$binary" "${args[@]}" "$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1)
crashes=$(find "$work" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
summary="$name: ${elapsed} s, ${runs:-0} inputs, ${cov:-cov: ? ft: ?}, corpus $(ls "$work/corpus" | wc -l) + $(ls "$seeds" | wc -l) seeds, crashes ${crashes}, exit ${status}"
echo "$summary" | tee "$work/summary.txt"
if [[ $status -ne 0 ]]; then tail -n 60 "$work/fuzz.log"; exit 1; fi
