// Benchmarks of `flowproof check`'s hot path: a Checker over a stream that `flowproof gen` would
// write for the example CLI plan (read, envelope checks, schemas, PII, rule engine), with and
// without the timelines the HTML report keeps. Events/s is the items_per_second counter.
// BM_LoadPlan times parse_plan on a plan of 1,000 and 10,000 flows (flows/s is items_per_second).
//
//   ./flowproof_check_bench --benchmark_filter=Check
//   ./flowproof_check_bench --benchmark_filter=LoadPlan
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/generator.hpp>
#include <flowproof/conformance/plan.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#ifndef FLOWPROOF_EXAMPLE_PLAN
#error "FLOWPROOF_EXAMPLE_PLAN must name conformance/test/data/examples/cli.plan.json"
#endif

namespace {

using flowproof::conformance::Checker;
using flowproof::conformance::CheckOptions;
using flowproof::conformance::Plan;

const Plan& example_plan() {
  static const Plan plan = flowproof::conformance::load_plan(FLOWPROOF_EXAMPLE_PLAN);
  return plan;
}

// The generated stream, made once per size: `flowproof gen --seed 1 --interleave 16`.
const std::string& stream(std::uint64_t events) {
  static std::map<std::uint64_t, std::string> streams;
  auto& text = streams[events];
  if (text.empty()) {
    std::ostringstream out;
    flowproof::conformance::GeneratorOptions options;
    options.events = events;
    options.seed = 1;
    options.interleave = 16;
    flowproof::conformance::generate_stream(example_plan(), options, out);
    text = out.str();
  }
  return text;
}

void run_check(benchmark::State& state, bool keep_timelines) {
  const auto events = static_cast<std::uint64_t>(state.range(0));
  const std::string& text = stream(events);
  for (auto _ : state) {
    CheckOptions options;
    options.keep_timelines = keep_timelines;
    Checker checker(example_plan(), options);
    checker.add_text("events.jsonl", text);
    auto report = checker.finish();
    if (report.summary.events != events) throw std::logic_error("the checker lost events");
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_Check(benchmark::State& state) { run_check(state, false); }
void BM_CheckWithTimelines(benchmark::State& state) { run_check(state, true); }

BENCHMARK(BM_Check)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckWithTimelines)->Arg(100'000)->Unit(benchmark::kMillisecond);

// A plan of `flows` flows shaped as bench/gen-big-plan.py writes them (without --plain): four
// events with small schemas, steps, reasons, a duration rule and two intermediate events per flow,
// flows listed in descending order, one standalone event per ten flows. Built as text, since
// nlohmann::json would sort the flows.
std::string big_plan(std::int64_t flows) {
  auto padded = [](std::int64_t number) {
    std::string digits = std::to_string(number);
    return std::string(6 - digits.size(), '0') + digits;
  };
  const nlohmann::json item_schema = {
      {"type", "object"}, {"properties", {{"item", {{"type", "string"}}}}}, {"required", {"item"}}};
  std::string text = R"({"flowproof_plan": 1, "name": "big",
    "invocation": {"key": "/properties/invocation_id", "order": "/properties/sequence",
                   "timestamp": "/timestamp", "sequence_start": 1},
    "base_properties": {"properties": {"invocation_id": {"type": "string"},
                                       "sequence": {"type": "integer", "minimum": 1}},
                        "required": ["invocation_id", "sequence"]},
    "flows": {)";
  for (std::int64_t i = flows; i > 0; --i) {
    const std::string tag = padded(i);
    const nlohmann::json flow = {
        {"started", {{"event", "Flow " + tag + " Started"}, {"schema", item_schema}}},
        {"completed", {{"event", "Flow " + tag + " Completed"}, {"schema", {{"type", "object"}}}}},
        {"aborted", {{"event", "Flow " + tag + " Aborted"}}},
        {"failed", {{"event", "Flow " + tag + " Failed"}}},
        {"steps", {"prepare", "send"}},
        {"reasons", {"cancelled"}},
        {"events",
         {{"Flow " + tag + " Step Two", {{"schema", item_schema}}},
          {"Flow " + tag + " Step One",
           {{"implies", {{"terminal", "aborted"}, {"properties", {{"step", "prepare"}}}}}}}}},
        {"duration", {{"property", "duration_ms"}, {"on", {"completed"}}, {"tolerance_ms", 1000}}},
    };
    text += (i == flows ? "\n\"f" : ",\n\"f") + tag + "\": " + flow.dump();
  }
  text += "},\n\"events\": {";
  for (std::int64_t i = flows / 10; i > 0; --i) {
    text += (i == flows / 10 ? "\"Standalone " : ", \"Standalone ") + padded(i) +
            R"(": {"schema": {"type": "object"}})";
  }
  text += "}}\n";
  return text;
}

void BM_LoadPlan(benchmark::State& state) {
  const std::int64_t flows = state.range(0);
  const std::string text = big_plan(flows);
  for (auto _ : state) {
    Plan plan = flowproof::conformance::parse_plan(text, "big.plan.json");
    if (plan.flows.size() != static_cast<std::size_t>(flows)) {
      throw std::logic_error("the loader lost flows");
    }
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations() * flows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

BENCHMARK(BM_LoadPlan)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
