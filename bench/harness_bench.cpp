// Benchmarks of the harness hot path: track() through a RecordingClient (enrichment, sequence,
// timestamp, message id, recording) with typical funnel properties, on one and two threads.
//
//   ./flowproof_harness_bench --benchmark_filter=Track
#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <benchmark/benchmark.h>

#include <stdexcept>

namespace {

using flowproof::harness::ClientOptions;
using flowproof::harness::RecordingClient;

ClientOptions cli_options() {
  ClientOptions options;
  options.base_properties = {{"invocation_id", "d7ec5d61-8fd5-4fc1-a018-d089bf1d11a0"},
                             {"app_id", nullptr},
                             {"command", "application create"},
                             {"flags", {"region", "plan"}}};
  options.anonymous_id = "a3f1c0de9b";
  return options;
}

RecordingClient& shared_client() {
  static RecordingClient client(cli_options());
  return client;
}

// Events kept before a thread clears the recording, so memory stays bounded.
constexpr std::size_t clear_every = 4096;

void BM_TrackRecording(benchmark::State& state) {
  RecordingClient& client = shared_client();
  if (state.thread_index() == 0) client.clear();
  for (auto _ : state) {
    client.track("CLI Application Create Completed",
                 {{"region", "us"}, {"plan", "free"}, {"duration_ms", 2200}});
    if (state.thread_index() == 0 && client.size() >= clear_every) client.clear();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TrackRecording)->Threads(1)->Threads(2)->UseRealTime();

void BM_FlowTrackerCompleted(benchmark::State& state) {
  RecordingClient client(cli_options());
  flowproof::harness::FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "CLI Application Create Started";
  flow.completed = "CLI Application Create Completed";
  for (auto _ : state) {
    flowproof::harness::FlowTracker tracker(&client, flow);
    tracker.step("region");
    tracker.complete({{"region", "us"}, {"plan", "free"}});
    if (client.size() >= clear_every) client.clear();
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_FlowTrackerCompleted);

// The cost the __cxa_throw / __cxa_begin_catch hooks add to an ordinary throw and catch.
void BM_ThrowCatch(benchmark::State& state) {
  for (auto _ : state) {
    try {
      throw std::runtime_error("x");
    } catch (const std::exception& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
}
BENCHMARK(BM_ThrowCatch);

void BM_ErrorClass(benchmark::State& state) {
  const std::exception_ptr error = std::make_exception_ptr(std::out_of_range("x"));
  for (auto _ : state) benchmark::DoNotOptimize(flowproof::harness::error_class(error));
}
BENCHMARK(BM_ErrorClass);

}  // namespace
