// flowproof/properties/property.hpp — property tests with per-property case counts, coverage that
// can fail, and failures that show the shrunk counterexample at the test's own file and line.
//
//   FLOWPROOF_PROPERTY(Checkout, EveryRunEndsOnce, (.cases = 200, .max_size = 20,
//                                                   .must_reach = {"terminal:aborted"})) {
//     int items = *rc::gen::inRange(0, 10);          // draw inside the body, rapidcheck style
//     flowproof::properties::note("items", std::to_string(items));  // shown when the case fails
//     flowproof::properties::cover("terminal:aborted");               // coverage tag
//     RC_ASSERT(items < 10);
//   }
//
// On failure the test fails at the macro's line with the seed, the RC_PARAMS reproduce string and
// the notes of the *shrunk* case (the property re-runs the minimal case to collect them; a minimal
// case whose outcome changes between re-runs is reported as flaky). The same text goes into the
// GoogleTest XML (RecordProperty). A reproduce string naming a property that never ran (no
// FLOWPROOF_PROPERTY / run_property with that id, and no GoogleTest test "Suite.Name" selected,
// which covers RC_GTEST_PROP) fails the test program at the end instead of passing silently.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::properties {

/// How one property runs. `cases`, `max_size` and `seed`, when unset, come from RC_PARAMS
/// (`max_success`, `max_size`, `seed`) when it names them, else from flowproof's defaults below.
/// Members are designated initialisers: write them in this order.
struct PropertyOptions {
  /// Successful cases before the property passes; unset: RC_PARAMS max_success, else 100.
  std::optional<int> cases = std::nullopt;
  /// Largest size handed to generators; unset: RC_PARAMS max_size, else 30. rapidcheck scales
  /// many generators with the size (at 30, `inRange(0, 1000)` draws from about 0..300): a
  /// property ported from RC_GTEST_PROP, which runs up to size 100, wants `.max_size = 100`.
  std::optional<int> max_size = std::nullopt;
  std::optional<std::uint64_t> seed =
      std::nullopt;      ///< fixed seed; default: RC_PARAMS seed, else random
  bool shrink = true;    ///< false: report the first failing case as found
  int flaky_reruns = 3;  ///< times the minimal failing case is re-run
  /// Coverage tags (see cover()) every run must reach at least once; missing ones fail the run.
  std::vector<std::string> must_reach = {};
  /// When a must_reach tag is still missing after `cases`, the run goes on in rounds of `cases`
  /// more passing cases (seeds derived from the first, so a seed still reproduces the whole run)
  /// until every tag is reached or this many passing cases ran in all; only then is the run
  /// not_covered. A rare path is not a flaky test; a path no generator can reach still fails.
  /// 0 means 10 * cases; a value at or below `cases` turns the extension off.
  int coverage_cases = 0;
};

/// What a property run found, independent of GoogleTest (tests of the zoo assert on it).
struct PropertyResult {
  enum class Verdict { passed, failed, gave_up, not_covered, error };
  Verdict verdict = Verdict::passed;
  std::string id = {};      ///< "Suite/Name": the key of the reproduce map
  int cases = 0;            ///< successful cases run (coverage rounds included)
  int coverage_rounds = 0;  ///< rounds run beyond the first to reach coverage
  std::uint64_t seed = 0;
  std::string reproduce = {};    ///< e.g. `reproduce=BchdlNGdv...` (RC_PARAMS value); failures only
  std::string description = {};  ///< the failure as rapidcheck reported it
  std::vector<std::pair<std::string, std::string>> counterexample =
      {};  ///< rapidcheck's drawn values
  std::vector<std::pair<std::string, std::string>> notes =
      {};              ///< note() calls of the minimal case
  bool flaky = false;  ///< the minimal case did not fail the same way on every re-run
  std::map<std::string, int> reached = {};  ///< coverage tag -> passing cases that reached it
  std::vector<std::string> missing = {};    ///< must_reach tags never reached

  bool passed() const { return verdict == Verdict::passed; }
  /// The text of the note `name` (of the minimal case), or "" when there is none.
  std::string note(std::string_view name) const;
  /// The whole finding as readable text (what the console and the XML get).
  std::string to_text() const;
};

/// Runs a property body (which draws with *rc::gen::...) under the options; `id` keys reproduce.
PropertyResult run_property(const std::string& id, const PropertyOptions& options,
                            const std::function<void()>& body);

/// Attaches a named text to the current case (kept for the minimal failing case). No-op outside a
/// property.
void note(std::string name, std::string text);
/// Tags the current case for coverage (and rapidcheck's distribution).
void cover(const std::string& tag);
/// Adds coverage tags the current run must reach (bodies that know their flow declare them).
void require_reach(const std::vector<std::string>& tags);
/// True while a property body runs on this thread.
bool in_property();

/// Reports a result as a GoogleTest failure at file:line, and records it in the XML: always
/// flowproof_property, flowproof_cases and flowproof_seed; on failure also flowproof_verdict,
/// flowproof_reproduce, flowproof_flaky, flowproof_not_reached and one property per note.
void report_to_gtest(const PropertyResult& result, const char* file, int line);

/// The XML property name of a note: "flowproof_" + the note's name with every character other
/// than a letter or digit replaced by '_' ("valid stream" -> "flowproof_valid_stream").
std::string xml_property_name(const std::string& note);

/// Ids of properties that have run in this process (the stale-reproduce check reads it).
std::set<std::string> properties_run();

namespace detail {
/// Runs a property from the current GoogleTest test and reports at the macro's file and line.
void run_gtest_property(const PropertyOptions& options, const char* file, int line,
                        const std::function<void()>& body);
}  // namespace detail

}  // namespace flowproof::properties

#define FLOWPROOF_DETAIL_UNPAREN(...) __VA_ARGS__

/// Defines a property as a GoogleTest test: FLOWPROOF_PROPERTY(Suite, Name, (options)) { body }.
/// The options are designated initialisers of PropertyOptions, in parentheses, e.g.
/// `(.cases = 50, .max_size = 10)`; `()` keeps the defaults.
#define FLOWPROOF_PROPERTY(Suite, Name, Options)                                              \
  static void flowproof_property_##Suite##_##Name();                                          \
  TEST(Suite, Name) {                                                                         \
    ::flowproof::properties::detail::run_gtest_property(                                      \
        ::flowproof::properties::PropertyOptions{FLOWPROOF_DETAIL_UNPAREN Options}, __FILE__, \
        __LINE__, &flowproof_property_##Suite##_##Name);                                      \
  }                                                                                           \
  static void flowproof_property_##Suite##_##Name()
