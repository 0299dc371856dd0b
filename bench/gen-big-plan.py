#!/usr/bin/env python3
"""Writes a valid tracking plan with N flows, for timing plan loading (bench/plan-load.sh).

  bench/gen-big-plan.py 10000 > /tmp/plan-10k.json
  bench/gen-big-plan.py --plain 10000 > /tmp/plan-10k-plain.json

Each flow has started, completed, aborted and failed events with small schemas, steps, reasons,
a duration rule and two intermediate events (one implying a terminal), and there is one
standalone event per ten flows. With --plain a flow is a started and a completed event only.
Flow ids are written in descending order, so a loader that sorts them instead of keeping the
plan's order is visible in `flowproof plan lint`.
"""
import json
import sys


def flow(i, plain):
    tag = f"{i:06d}"
    if plain:
        return {"started": {"event": f"Flow {tag} Started"},
                "completed": {"event": f"Flow {tag} Completed"}}
    obj = {"type": "object", "properties": {"item": {"type": "string"}}, "required": ["item"]}
    return {
        "started": {"event": f"Flow {tag} Started", "schema": obj},
        "completed": {"event": f"Flow {tag} Completed", "schema": {"type": "object"}},
        "aborted": {"event": f"Flow {tag} Aborted"},
        "failed": {"event": f"Flow {tag} Failed"},
        "steps": ["prepare", "send"],
        "reasons": ["cancelled"],
        "events": {
            f"Flow {tag} Step Two": {"schema": obj},
            f"Flow {tag} Step One": {"implies": {"terminal": "aborted",
                                                 "properties": {"step": "prepare"}}},
        },
        "duration": {"property": "duration_ms", "on": ["completed"], "tolerance_ms": 1000},
    }


def plan(n, plain):
    return {
        "flowproof_plan": 1,
        "name": f"big-{n}",
        "invocation": {"key": "/properties/invocation_id", "order": "/properties/sequence",
                       "timestamp": "/timestamp", "sequence_start": 1},
        "base_properties": {
            "properties": {"invocation_id": {"type": "string"},
                           "sequence": {"type": "integer", "minimum": 1}},
            "required": ["invocation_id", "sequence"],
        },
        "flows": {f"f{i:06d}": flow(i, plain) for i in range(n, 0, -1)},
        "events": {} if plain else {f"Standalone {i:06d}": {"schema": {"type": "object"}}
                                    for i in range(n // 10, 0, -1)},
    }


if __name__ == "__main__":
    args = sys.argv[1:]
    plain = "--plain" in args
    args = [a for a in args if a != "--plain"]
    n = int(args[0]) if args else 10000
    json.dump(plan(n, plain), sys.stdout, indent=None if plain else 1)
    sys.stdout.write("\n")
