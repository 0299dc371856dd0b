#!/usr/bin/env bash
# junit_schema.sh — ctest conformance_junit_schema: the JUnit XML flowproof writes validates
# against docs/junit.xsd (the subset CI servers read) with xmllint: the golden report, a report over
# a generated stream with defects of every rule plus malformed lines, and a report over an empty
# input. A report broken on purpose must fail validation, so the check itself can fail.
#   junit_schema.sh FLOWPROOF XSD TEST_DATA_DIR WORK_DIR
set -euo pipefail
flowproof=$1 xsd=$2 data=$3 work=$4
if ! command -v xmllint >/dev/null; then
  echo "junit_schema: xmllint is missing; install libxml2-utils (scripts/install-deps does)" >&2
  exit 1
fi
rm -rf "$work" && mkdir -p "$work"
plan=$data/examples/cli.plan.json
validate() { xmllint --noout --schema "$xsd" "$1"; }

validate "$data/golden/report.junit.xml"

"$flowproof" gen --plan "$plan" --events 3000 --defect-rate 0.3 --seed 3 -o "$work/events.jsonl" \
  2>/dev/null
printf 'not json\n\x01\xff{"a":1}\n' >>"$work/events.jsonl"
status=0
"$flowproof" check --plan "$plan" --no-progress --report junit="$work/defects.xml" \
  "$work/events.jsonl" >/dev/null || status=$?
[[ $status -eq 1 ]] || { echo "junit_schema: check exited $status, expected 1" >&2; exit 1; }
grep -q '<failure ' "$work/defects.xml" || { echo "junit_schema: no <failure> written" >&2; exit 1; }
validate "$work/defects.xml"

: >"$work/empty.jsonl"
"$flowproof" check --plan "$plan" --no-progress --report junit="$work/empty.xml" \
  "$work/empty.jsonl" >/dev/null || true
validate "$work/empty.xml"

sed 's/ classname="[^"]*"//' "$data/golden/report.junit.xml" >"$work/broken.xml"
if xmllint --noout --schema "$xsd" "$work/broken.xml" 2>/dev/null; then
  echo "junit_schema: a test case without classname validated; the schema checks nothing" >&2
  exit 1
fi
echo "junit_schema: every report validates against $xsd"
