#!/usr/bin/env bash
# check-throughput.sh — throughput and peak memory of `flowproof check` over a generated stream.
# Builds nothing: pass the flowproof binary, or it uses the release preset's build/release (or
# build-release). Generates the stream once, flushes it to disk (so the kernel's write-back of a
# fresh file does not run during the timing), then checks it RUNS times (default 3) and prints
# each run and the best: wall and CPU (user) time, events/s and peak memory. Single runs on a
# shared machine drift; compare builds by alternating them.
#   bench/check-throughput.sh [FLOWPROOF] [EVENTS] [full|slim]
#     EVENTS  default 1000000
#     full    (default) the generator's events: a whole Segment envelope, ~438 bytes each
#     slim    the same without `messageId` and `context.library`: ~334 bytes each, the issue's
#             "about 340 bytes"
#   RUNS=5 bench/check-throughput.sh ...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
default=$top/build/release/conformance/flowproof
[ -x "$default" ] || default=$top/build-release/conformance/flowproof
bin=${1:-$default}
events=${2:-1000000}
shape=${3:-full}
runs=${RUNS:-3}
plan=$top/conformance/test/data/examples/cli.plan.json
[ -x "$bin" ] || { echo "no flowproof binary at $bin (build the release preset first)" >&2; exit 2; }
case "$shape" in
  full | slim) ;;
  *) echo "the event shape is full or slim, not '$shape'" >&2; exit 2 ;;
esac
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else echo "install 'time'" >&2; exit 2; fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" gen --plan "$plan" --events "$events" --seed 1 --interleave 16 -o "$work/events.jsonl"
if [ "$shape" = slim ]; then
  sed -e 's/"library":{"name":"flowproof-gen","version":"[^"]*"},//' \
    -e 's/"messageId":"[^"]*",//' "$work/events.jsonl" >"$work/slim.jsonl"
  mv "$work/slim.jsonl" "$work/events.jsonl"
fi
sync "$work/events.jsonl"
bytes=$(stat -c %s "$work/events.jsonl")
awk -v n="$events" -v b="$bytes" 'BEGIN { printf "events: %d (%.0f MB, %.0f bytes each)\n", n, b / 1e6, b / n }'
for run in $(seq "$runs"); do
  start=$(date +%s.%N)
  status=0
  /usr/bin/time -v "$bin" check --plan "$plan" --no-progress --report json="$work/report.json" \
    "$work/events.jsonl" 2>"$work/time.txt" >/dev/null || status=$?
  end=$(date +%s.%N)
  # 0: no violation, 1: violations (a generated stream has none, but a changed plan may); more is a
  # failure, which must not pass for a figure.
  if [ "$status" -gt 1 ]; then
    echo "flowproof check failed (exit $status):" >&2
    cat "$work/time.txt" >&2
    exit 1
  fi
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  user=$(awk -F: '/User time/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  echo "$run $start $end $user $rss_kb"
done | awk -v n="$events" -v b="$bytes" '
  {
    t = $3 - $2
    printf "run %d: seconds %.2f  events/s %s  MB/s %.1f  user seconds %.2f  events/s of CPU %s  peak RSS %.1f MB\n", $1, t, rate(n, t), b / 1e6 / t, $4, rate(n, $4), $5 / 1024
    if (NR == 1 || t < best) best = t
    if (NR == 1 || $4 < best_user) best_user = $4
    if ($5 > peak) peak = $5
  }
  END {
    printf "best: seconds %.2f  events/s %s  user seconds %.2f  events/s of CPU %s  peak RSS %.1f MB\n", best, rate(n, best), best_user, rate(n, best_user), peak / 1024
  }
  # A rate, or "-" when the time rounds to zero (a tiny stream).
  function rate(count, seconds) { return seconds > 0 ? sprintf("%.0f", count / seconds) : "-" }'
