// concurrency_test.cpp — a property that tracking from many threads at once (random thread counts,
// event counts and yield points) keeps the RecordingClient's sequence numbers unique and
// contiguous, and each thread's own events in the order it tracked them.
#include <flowproof/harness/recording.hpp>
#include <flowproof/properties/property.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace flowproof::properties {
namespace {

FLOWPROOF_PROPERTY(ConcurrentTracking, SequencesStayUniqueAndContiguous,
                   (.cases = 60, .max_size = 40,
                    .must_reach = {"1-2 threads", "3-5 threads", "6-8 threads"})) {
  // Drawn at the nominal size: rapidcheck scales inRange by the case's size, which would keep the
  // thread count under four and the event counts under seventeen (max_size 40).
  const int threads = *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(1, 9));
  std::vector<int> counts;
  std::vector<std::vector<bool>> yields;
  for (int t = 0; t < threads; ++t) {
    counts.push_back(*rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, 40)));
    yields.push_back(*rc::gen::container<std::vector<bool>>(static_cast<std::size_t>(counts.back()),
                                                            rc::gen::arbitrary<bool>()));
  }
  const std::uint64_t start = *rc::gen::inRange<std::uint64_t>(0, 3);
  harness::ClientOptions options;
  options.base_properties = {{"invocation_id", "inv"}};
  options.sequence_start = start;
  harness::RecordingClient client(options);
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&client, &counts, &yields, t] {
        for (int i = 0; i < counts[static_cast<std::size_t>(t)]; ++i) {
          if (yields[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)]) {
            std::this_thread::yield();
          }
          client.track("Tick", {{"thread", t}, {"index", i}});
        }
      });
    }
    for (auto& worker : workers) worker.join();
  }

  const std::vector<harness::Event> events = client.events();
  int total = 0;
  for (int count : counts) total += count;
  note("threads", std::to_string(threads) + " threads, " + std::to_string(total) + " events");
  cover(threads >= 6 ? "6-8 threads" : threads >= 3 ? "3-5 threads" : "1-2 threads");
  RC_ASSERT(events.size() == static_cast<std::size_t>(total));

  std::set<std::uint64_t> seen;
  std::map<int, int> next_index;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& props = events[i].properties;
    RC_ASSERT(props.contains("sequence"));
    const auto sequence = props["sequence"].get<std::uint64_t>();
    RC_ASSERT(seen.insert(sequence).second);     // unique
    RC_ASSERT(sequence == start + i);            // contiguous, in sequence order
    RC_ASSERT(props["invocation_id"] == "inv");  // base property kept
    const int thread = props["thread"].get<int>();
    RC_ASSERT(props["index"].get<int>() == next_index[thread]);  // per-thread order kept
    ++next_index[thread];
  }
}

}  // namespace
}  // namespace flowproof::properties
