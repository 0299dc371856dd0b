// engine_test.cpp — the rule engine's invocation index on its own: interning keys as a long,
// interleaved stream does (a few invocations open at a time, each seen again and again, and a
// stream of new ones), through the index's growth, its recently-found cache and its bit per
// occupied slot; and the record's fields, views into a document until kept.
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

TEST(EngineField, AKeptTextSurvivesItsSourceAndEveryCopyAndMove) {
  std::string document = "region-us";  // stands for the parsed document
  Field field;
  field.set_string(std::string_view(document).substr(7));
  Field viewing = field;  // not kept: a copy views the same document
  EXPECT_EQ(viewing.text.data(), field.text.data());
  field.keep();
  EXPECT_NE(field.text.data(), document.data() + 7);
  document.assign(document.size(), 'x');  // the next event overwrites the document
  EXPECT_EQ(field.text, "us");
  EXPECT_EQ(viewing.text, "xx");  // what a record not kept would have seen
  Field copy = field;
  Field moved = std::move(copy);
  std::vector<Field> many(3, moved);
  many.resize(100);  // moves each kept field into new storage
  field = Field();
  EXPECT_EQ(moved.text, "us");
  EXPECT_EQ(moved.display(), "\"us\"");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(many[static_cast<std::size_t>(i)].text, "us");
  Field other;
  other.set_other([](std::string& out) { out = "[1,2]"; });
  Field other_copy = other;
  other = Field();
  EXPECT_EQ(other_copy.text, "[1,2]");
  EXPECT_EQ(other_copy.display(), "[1,2]");
  EXPECT_FALSE(other_copy.is_string);
}

}  // namespace
}  // namespace flowproof::conformance::detail
