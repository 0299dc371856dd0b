#!/usr/bin/env bash
# plan-load.sh — how long `flowproof plan lint` takes, and its peak memory, on generated plans of
# 1,000, 5,000 and 10,000 flows (bench/gen-big-plan.py; "plain" plans have a started and a
# completed event per flow). Builds nothing: pass the flowproof binary, or it uses the release
# preset's build/release (or build-release). Prints wall and CPU (user) seconds: on a shared
# machine compare the CPU ones. The in-process figure is BM_LoadPlan in check_bench.cpp.
#   bench/plan-load.sh [FLOWPROOF] [FLOWS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
default=$top/build/release/conformance/flowproof
[ -x "$default" ] || default=$top/build-release/conformance/flowproof
bin=${1:-$default}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000)
[ -x "$bin" ] || { echo "no flowproof binary at $bin (build the release preset first)" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else echo "install 'time'" >&2; exit 2; fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-6s %7s %8s %8s %8s %9s\n' kind flows MB wall_s user_s peak_MB
for kind in full plain; do
  for n in "${sizes[@]}"; do
    plan=$work/$kind-$n.plan.json
    if [ "$kind" = plain ]; then
      python3 "$top/bench/gen-big-plan.py" --plain "$n" >"$plan"
    else
      python3 "$top/bench/gen-big-plan.py" "$n" >"$plan"
    fi
    /usr/bin/time -f '%e %U %M' -o "$work/time.txt" "$bin" plan lint "$plan" >/dev/null
    read -r wall user rss <"$work/time.txt"
    awk -v k="$kind" -v n="$n" -v b="$(stat -c %s "$plan")" -v w="$wall" -v u="$user" -v r="$rss" \
      'BEGIN { printf "%-6s %7d %8.1f %8.2f %8.2f %9.0f\n", k, n, b / 1e6, w, u, r / 1024 }'
  done
done
