// engine_test.cpp — the rule engine's invocation index on its own: interning keys as a long,
// interleaved stream does (a few invocations open at a time, each seen again and again, and a
// stream of new ones), through the index's growth, its recently-found cache and its bit per
// occupied slot.
#include "engine.hpp"

#include <flowproof/conformance/plan.hpp>

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace flowproof::conformance::detail {
namespace {

Plan example_plan() { return load_plan(FLOWPROOF_TEST_DATA_DIR "/examples/cli.plan.json"); }

TEST(EngineIndex, EveryKeyKeepsItsIndexAcrossGrowthAndInterleaving) {
  const Plan plan = example_plan();
  const CheckOptions options;
  const std::vector<std::string> inputs{"stream"};
  Findings findings(plan, options, inputs);
  Engine engine(plan, options, findings, inputs);

  std::unordered_map<std::string, std::uint32_t> expected;
  std::vector<std::string> open;  // the invocations taking turns now
  const auto key_of = [](int n) { return "inv-" + std::to_string(n * 7919 % 100003); };
  int next = 0;
  for (int step = 0; step < 60000; ++step) {
    if (open.size() < 16 || step % 5 == 0) {  // a new invocation starts
      const std::string key = key_of(next++);
      const std::uint32_t index = engine.intern(key);
      ASSERT_EQ(index, expected.size()) << key << " is new: the next index";
      expected.emplace(key, index);
      open.push_back(key);
      if (open.size() > 16) open.erase(open.begin());
    }
    const std::string& key = open[static_cast<std::size_t>(step * 11) % open.size()];
    ASSERT_EQ(engine.intern(key), expected.at(key)) << key << " at step " << step;
  }
  ASSERT_GT(expected.size(), 10000u);  // the index grew many times over
  EXPECT_EQ(engine.invocation_count(), expected.size());
  // Long-closed invocations too: each is found where it was put, and its key is its own.
  for (const auto& [key, index] : expected) {
    ASSERT_EQ(engine.intern(key), index) << key;
    ASSERT_EQ(engine.key(index), key);
  }
  EXPECT_EQ(engine.invocation_count(), expected.size());
  // Keys that differ only past the bytes a short hash would read are different invocations.
  const std::string long_key(40, 'k');
  const std::uint32_t a = engine.intern(long_key + "a");
  const std::uint32_t b = engine.intern(long_key + "b");
  EXPECT_NE(a, b);
  EXPECT_EQ(engine.intern(long_key + "a"), a);
  EXPECT_EQ(engine.intern(""), expected.size() + 2);  // the empty key is a key too
}

}  // namespace
}  // namespace flowproof::conformance::detail
