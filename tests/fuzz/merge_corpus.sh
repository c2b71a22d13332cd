#!/usr/bin/env bash
# Merges what a fuzzer found into the committed corpus, minimised: `make fuzz-merge` runs it for
# every target after `make fuzz-long` (or any fuzz run) has filled build/asan/fuzz/<target>/corpus.
#   merge_corpus.sh BINARY COMMITTED_CORPUS FOUND_CORPUS...
# The committed corpus holds two kinds of file: named seeds written by hand (demo.json,
# regression-*, ...), which are always kept, and inputs named by their SHA-1, which the fuzzer
# found. libFuzzer's -set_cover_merge=1 starts from the named seeds and chooses, from the SHA-1
# inputs already committed and the new finds alike, a small set that reaches everything they
# reach (greedy set cover: about a quarter fewer inputs than -merge=1, which adds inputs in size
# order); the SHA-1 files are then replaced by that selection. So the corpus grows only by what
# adds coverage, and an input superseded by others drops out. Coverage here is edges only
# (-use_counters=0): counting how often each edge runs as well kept five times as many inputs
# (2,328 for the parsers after a 5-minute run, against 468), and a run finds those variations
# again quickly from the edges.
# Limits (docs/reliability.md): at most MAX_FILES SHA-1 inputs per target (default 300) and
# MAX_KB kilobytes of them (default 2048); over either, nothing is changed and the script fails.
set -euo pipefail
binary=$1 committed=$2
shift 2
max_files=${MAX_FILES:-300} max_kb=${MAX_KB:-2048}
is_found() { [[ $(basename "$1") =~ ^[0-9a-f]{40}$ ]]; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/merged"
for f in "$committed"/*; do
  is_found "$f" || cp "$f" "$work/merged/"
done
sources=("$committed")
for d in "$@"; do [[ -d $d ]] && sources+=("$d"); done
"$binary" -set_cover_merge=1 -use_counters=0 -timeout=30 -rss_limit_mb=2048 -max_len=65536 -merge_control_file="$work/control" \
  "$work/merged" "${sources[@]}" >"$work/merge.log" 2>&1 || { tail -n 40 "$work/merge.log"; exit 1; }

found=0 bytes=0
for f in "$work/merged"/*; do
  if is_found "$f"; then
    found=$((found + 1))
    bytes=$((bytes + $(stat -c %s "$f")))
  fi
done
before=0
for f in "$committed"/*; do is_found "$f" && before=$((before + 1)); done
name=$(basename "$committed")
if ((found > max_files || bytes > max_kb * 1024)); then
  echo "$name: the merge selected $found inputs ($((bytes / 1024)) KB), over the limit of $max_files files or $max_kb KB; corpus unchanged" >&2
  exit 1
fi
for f in "$committed"/*; do is_found "$f" && rm -f "$f"; done
for f in "$work/merged"/*; do is_found "$f" && cp "$f" "$committed/"; done
echo "$name: $before found inputs before, $found after ($((bytes / 1024)) KB); $(grep -o 'MERGE-OUTER: [0-9]* new files with [0-9]* new features added; [0-9]* new coverage edges' "$work/merge.log" | tail -1)"
