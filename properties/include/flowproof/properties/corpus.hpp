// flowproof/properties/corpus.hpp — the regression corpus: every shrunk failing script is saved as
// a JSON file, and every saved file replays as an ordinary test through the SCRIPTED fakes (a
// minimal case whose outcome changes between re-runs is reported as flaky).
//
//   // in a test file, at namespace scope: one GoogleTest test per saved script
//   // (run: the FunnelRun that drives the product, expectations: its FunnelExpectations)
//   static const std::size_t corpus_tests = flowproof::properties::register_corpus_tests(
//       "CreateCorpus", CORPUS_DIR, [] { return load_plan(PLAN); }, run, expectations);
//
//   // or in one test
//   for (const CorpusEntry& entry : load_corpus(CORPUS_DIR)) {
//     ReplayResult r = replay_corpus_entry(plan, entry, run);
//     EXPECT_TRUE(r.problems.empty()) << r.to_text();
//   }
#pragma once

#include <flowproof/properties/funnel.hpp>
#include <flowproof/properties/script.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace flowproof::properties {

/// One saved failing script.
struct CorpusEntry {
  std::string id = {};    ///< the property that found it ("Suite/Name")
  std::string flow = {};  ///< the flow under test
  std::string plan = {};  ///< the plan's name
  Script script = {};
  std::vector<std::string> problems = {};  ///< what was wrong when it was found
  std::string reproduce = {};              ///< RC_PARAMS value when it was found
  std::filesystem::path path = {};         ///< where it was read from (empty when not from a file)
};

/// {"flowproof_corpus": 1, "id", "flow", "plan", "script", "problems", "reproduce"}.
nlohmann::json to_json(const CorpusEntry& entry);
/// Reads to_json's output; throws std::invalid_argument naming the bad member.
CorpusEntry corpus_entry_from_json(const nlohmann::json& json);

/// The corpus directory: `configured` when not empty, else $FLOWPROOF_CORPUS_DIR, else empty.
std::filesystem::path corpus_dir(const std::string& configured = {});
/// Writes the entry as DIR/<id with '/' as '.'>.json (atomically); returns the path.
std::filesystem::path save_corpus_entry(const std::filesystem::path& dir, const CorpusEntry& entry);
/// Every *.json file of the directory, sorted by name (none when it does not exist).
std::vector<CorpusEntry> load_corpus(const std::filesystem::path& dir);

/// What replaying one entry came to.
struct ReplayResult {
  FunnelCase first = {};  ///< the first run
  std::vector<std::string> problems = {};
  bool flaky = false;  ///< a re-run ended differently from the first
  std::string to_text() const;
};

/// Replays the entry `runs` times through the scripted fakes with the funnel checks.
ReplayResult replay_corpus_entry(const conformance::Plan& plan, const CorpusEntry& entry,
                                 const FunnelRun& run, const FunnelExpectations& expectations = {},
                                 int runs = 3);

/// Registers one GoogleTest test per saved file of `dir` (suite `suite`, test named after the
/// file), each replaying it and failing on a problem or flakiness. Call before RUN_ALL_TESTS (e.g.
/// from a namespace-scope initialiser); returns how many were registered.
std::size_t register_corpus_tests(const std::string& suite, const std::filesystem::path& dir,
                                  std::function<conformance::Plan()> plan, const FunnelRun& run,
                                  FunnelExpectations expectations = {});

}  // namespace flowproof::properties
