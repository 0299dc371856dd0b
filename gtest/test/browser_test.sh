#!/usr/bin/env bash
# browser_test.sh — renders an `html` report in headless Chromium (ctest label `browser`):
# checks the DOM Chromium built has the verdict, every flow's funnel SVG and the findings, then
# takes a screenshot and checks it is a real, non-trivial PNG.
#   browser_test.sh FLOWPROOF PLAN OUTPUT_DIR
set -euo pipefail
flowproof=$1 plan=$2 out=$3
mkdir -p "$out"
rm -f "$out"/report.html "$out"/dom.html "$out"/report.png

fail() { echo "browser_test: $*" >&2; exit 1; }

browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n $browser ]] || fail "no chromium on the PATH (scripts/install-deps installs it)"

# A stream with injected defects, so the report has findings to show.
"$flowproof" gen --plan "$plan" --events 800 --seed 7 --defect-rate 0.02 -o "$out/events.jsonl"
status=0
"$flowproof" check --no-progress --plan "$plan" --report "html=$out/report.html" \
  "$out/events.jsonl" || status=$?
[[ $status -eq 0 || $status -eq 1 ]] || fail "flowproof check exited $status"
[[ -s $out/report.html ]] || fail "no report written"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}

chrome --dump-dom "file://$out/report.html" >"$out/dom.html" || fail "chromium --dump-dom failed"
grep -q 'id="verdict"' "$out/dom.html" || fail "the DOM has no verdict"
if [[ $status -eq 1 ]]; then
  grep -q 'class="verdict fail">FAIL' "$out/dom.html" || fail "the DOM does not say FAIL"
  grep -q 'class="finding' "$out/dom.html" || fail "the DOM has no findings"
fi
flows=$(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["flows"]))' "$plan")
[[ -n $flows ]] || fail "no flows read from $plan"
while IFS= read -r flow; do
  grep -q "<svg class=\"funnel\" id=\"funnel-$flow\"" "$out/dom.html" ||
    fail "the DOM has no funnel SVG for flow $flow"
  grep -q "<table class=\"coverage\" data-flow=\"$flow\"" "$out/dom.html" ||
    fail "the DOM has no coverage matrix for flow $flow"
done <<<"$flows"

chrome --screenshot="$out/report.png" --window-size=1280,2000 "file://$out/report.html" \
  >/dev/null || fail "chromium --screenshot failed"
[[ -f $out/report.png ]] || fail "no screenshot"
size=$(stat -c %s "$out/report.png")
[[ $size -gt 20000 ]] || fail "the screenshot is only $size bytes"
[[ $(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
  fail "the screenshot is not a PNG"
echo "browser_test: DOM and screenshot ($size bytes) of $out/report.html are as expected"
