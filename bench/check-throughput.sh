#!/usr/bin/env bash
# check-throughput.sh — throughput and peak memory of `flowproof check` over a generated stream.
# Builds nothing: pass the flowproof binary, or it uses the release preset's build/release (or
# build-release). Prints wall and CPU (user) figures: on a shared machine compare the CPU ones.
#   bench/check-throughput.sh [FLOWPROOF] [EVENTS]      (default 1000000 events, ~340 MB)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
default=$top/build/release/conformance/flowproof
[ -x "$default" ] || default=$top/build-release/conformance/flowproof
bin=${1:-$default}
events=${2:-1000000}
plan=$top/conformance/test/data/examples/cli.plan.json
[ -x "$bin" ] || { echo "no flowproof binary at $bin (build the release preset first)" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else echo "install 'time'" >&2; exit 2; fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" gen --plan "$plan" --events "$events" --seed 1 --interleave 16 -o "$work/events.jsonl"
bytes=$(stat -c %s "$work/events.jsonl")
start=$(date +%s.%N)
/usr/bin/time -v "$bin" check --plan "$plan" --no-progress --report json="$work/report.json" \
  "$work/events.jsonl" 2>"$work/time.txt" >/dev/null || true
end=$(date +%s.%N)
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
user=$(awk -F: '/User time/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
awk -v n="$events" -v b="$bytes" -v s="$start" -v e="$end" -v r="$rss_kb" -v u="$user" 'BEGIN {
  t = e - s
  printf "events: %d (%.0f MB)\nseconds: %.2f\nevents/s: %.0f\nMB/s: %.1f\n", n, b / 1e6, t, n / t, b / 1e6 / t
  printf "user seconds: %.2f\nevents/s of CPU: %.0f\npeak RSS: %.1f MB\n", u, n / u, r / 1024 }'
