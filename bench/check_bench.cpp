// Benchmarks of `flowproof check`'s hot path: a Checker over a stream that `flowproof gen` would
// write for the example CLI plan (read, envelope checks, schemas, PII, rule engine), with and
// without the timelines the HTML report keeps. Events/s is the items_per_second counter.
//
//   ./flowproof_check_bench --benchmark_filter=Check
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

}  // namespace
