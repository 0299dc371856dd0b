// property.cpp — the property runner behind FLOWPROOF_PROPERTY: rapidcheck's checkProperty with
// per-property parameters, re-runs of the minimal case (notes, flakiness), coverage from tags, and
// the global check that a reproduce string named a property that really ran.
#include <flowproof/properties/property.hpp>

#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/detail/TestListener.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <sstream>

namespace flowproof::properties {
namespace {

struct CaseState {
  std::vector<std::pair<std::string, std::string>>* notes = nullptr;
  std::set<std::string>* required = nullptr;
};

thread_local CaseState* current_case = nullptr;

// A tag shown as written: rapidcheck quotes std::string values, coverage names must stay plain.
struct RawTag {
  std::string text;
};
[[maybe_unused]] void showValue(const RawTag& tag, std::ostream& out) { out << tag.text; }

std::mutex& run_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::string>& run_ids() {
  static std::set<std::string> ids;
  return ids;
}

class QuietListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

class CaseScope {
 public:
  explicit CaseScope(CaseState* state) : previous_(current_case) {
    state->notes->clear();
    current_case = state;
  }
  ~CaseScope() { current_case = previous_; }
  CaseScope(const CaseScope&) = delete;
  CaseScope& operator=(const CaseScope&) = delete;

 private:
  CaseState* previous_;
};

// "Suite/Name" of every GoogleTest test selected to run: RC_GTEST_PROP and RC_GTEST_FIXTURE_PROP
// properties are keyed by exactly that, and never pass through run_property().
std::set<std::string> gtest_tests_run() {
  std::set<std::string> ids;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int s = 0; s < unit.total_test_suite_count(); ++s) {
    const ::testing::TestSuite& suite = *unit.GetTestSuite(s);
    for (int t = 0; t < suite.total_test_count(); ++t) {
      const ::testing::TestInfo& info = *suite.GetTestInfo(t);
      if (info.should_run()) ids.insert(std::string(suite.name()) + "/" + info.name());
    }
  }
  return ids;
}

// Fails the test program when RC_PARAMS asked to reproduce a property that never ran: a stale
// reproduce string would otherwise make a red property look green.
class StaleReproduceCheck final : public ::testing::Environment {
 public:
  void TearDown() override {
    const auto& config = rc::detail::configuration();
    std::set<std::string> ran = properties_run();
    ran.merge(gtest_tests_run());
    for (const auto& [id, reproduce] : config.reproduce) {
      if (ran.count(id) == 0) {
        ADD_FAILURE() << "RC_PARAMS asks to reproduce property \"" << id
                      << "\" but no property with that id ran in this program (renamed, deleted "
                         "or filtered out?). Remove the stale reproduce= setting.";
      }
    }
  }
};

[[maybe_unused]] const bool stale_check_registered =
    (::testing::AddGlobalTestEnvironment(new StaleReproduceCheck), true);

// The seed of coverage round `round`: splitmix64 of the first seed and the round, so a run is
// reproduced by its first seed alone.
std::uint64_t round_seed(std::uint64_t seed, int round) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(round);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

constexpr int kDefaultCases = 100;
constexpr int kDefaultMaxSize = 30;

// Whether RC_PARAMS names `key` (rapidcheck's configuration holds its own defaults too, so it
// cannot tell a setting from a default). RC_PARAMS is "key=value key=value ...".
bool rc_params_names(std::string_view key) {
  const char* env = std::getenv("RC_PARAMS");
  if (env == nullptr) return false;
  std::istringstream settings(env);
  for (std::string setting; settings >> setting;) {
    if (setting.size() > key.size() && setting.compare(0, key.size(), key) == 0 &&
        setting[key.size()] == '=') {
      return true;
    }
  }
  return false;
}

// A property's own value, else RC_PARAMS' (`configured`, rapidcheck's reading of `key`) when it
// names `key`, else flowproof's default.
int setting(std::optional<int> own, std::string_view key, int configured, int fallback) {
  if (own) return *own;
  return rc_params_names(key) ? configured : fallback;
}

std::string verdict_name(PropertyResult::Verdict verdict) {
  switch (verdict) {
    case PropertyResult::Verdict::passed:
      return "passed";
    case PropertyResult::Verdict::failed:
      return "failed";
    case PropertyResult::Verdict::gave_up:
      return "gave up";
    case PropertyResult::Verdict::not_covered:
      return "coverage not reached";
    case PropertyResult::Verdict::error:
      return "error";
  }
  return "?";
}

}  // namespace

std::string xml_property_name(const std::string& note) {
  std::string name = "flowproof_";
  for (const char c : note) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    name += plain ? c : '_';
  }
  return name;
}

std::string PropertyResult::note(std::string_view name) const {
  for (const auto& [key, text] : notes) {
    if (key == name) return text;
  }
  return {};
}

std::string PropertyResult::to_text() const {
  std::ostringstream out;
  out << "Property " << id << ": " << verdict_name(verdict) << " after " << cases
      << " passing case(s), seed " << seed << "\n";
  if (coverage_rounds > 0) {
    out << "(" << coverage_rounds << " coverage round(s) beyond the first, to reach every tag)\n";
  }
  if (verdict == Verdict::failed) {
    if (!reproduce.empty()) out << "Reproduce with: RC_PARAMS=\"" << reproduce << "\"\n";
    if (flaky) {
      out << "FLAKY: the minimal case did not fail the same way on every re-run; the product or "
             "the test depends on something the fakes do not control\n";
    }
  }
  if (!description.empty()) out << "\n" << description << "\n";
  if (!counterexample.empty()) {
    out << "\nDrawn values:\n";
    for (const auto& [type, value] : counterexample) out << "  " << type << ": " << value << "\n";
  }
  for (const auto& [name, text] : notes) out << "\n" << name << ":\n" << text << "\n";
  if (!missing.empty()) {
    out << "\nNever reached in " << cases << " cases (a generator that cannot reach a path is a "
        << "bug):\n";
    for (const auto& tag : missing) out << "  " << tag << "\n";
  }
  if (!reached.empty() && verdict != Verdict::failed) {
    out << "\nReached:\n";
    for (const auto& [tag, count] : reached) out << "  " << tag << ": " << count << "\n";
  }
  return out.str();
}

void note(std::string name, std::string text) {
  if (current_case == nullptr) return;
  for (auto& entry : *current_case->notes) {
    if (entry.first == name) {
      entry.second = std::move(text);
      return;
    }
  }
  current_case->notes->emplace_back(std::move(name), std::move(text));
}

void cover(const std::string& tag) {
  if (current_case == nullptr) return;
  rc::detail::tag({RawTag{tag}});
}

void require_reach(const std::vector<std::string>& tags) {
  if (current_case == nullptr) return;
  current_case->required->insert(tags.begin(), tags.end());
}

bool in_property() { return current_case != nullptr; }

std::set<std::string> properties_run() {
  std::lock_guard lock(run_mutex());
  return run_ids();
}

PropertyResult run_property(const std::string& id, const PropertyOptions& options,
                            const std::function<void()>& body) {
  using namespace rc::detail;
  const Configuration& config = configuration();
  TestParams params = config.testParams;
  const int cases = setting(options.cases, "max_success", params.maxSuccess, kDefaultCases);
  params.maxSuccess = cases;
  params.maxSize = setting(options.max_size, "max_size", params.maxSize, kDefaultMaxSize);
  if (options.seed) params.seed = *options.seed;
  params.disableShrinking = !options.shrink;

  TestMetadata metadata;
  metadata.id = id;
  metadata.description = id;

  std::vector<std::pair<std::string, std::string>> notes;
  std::set<std::string> required(options.must_reach.begin(), options.must_reach.end());
  CaseState state{&notes, &required};
  const Property property = toProperty([&state, &body] {
    CaseScope scope(&state);
    body();
  });

  {
    std::lock_guard lock(run_mutex());
    run_ids().insert(id);
  }
  QuietListener listener;
  const bool reproducing = config.reproduce.count(id) != 0;
  const int budget = options.coverage_cases > 0 ? options.coverage_cases : 10 * cases;
  TestResult result = checkProperty(property, metadata, params, listener, config.reproduce);

  PropertyResult out;
  out.id = id;
  out.seed = params.seed;
  SuccessResult success;
  FailureResult failure;
  GaveUpResult gave_up;
  Error error;
  const auto missing_tags = [&] {
    std::vector<std::string> missing;
    for (const auto& tag : required) {
      if (out.reached.count(tag) == 0) missing.push_back(tag);
    }
    return missing;
  };
  // Coverage rounds: a tag that is merely rare gets more cases instead of a red build.
  int passed_before = 0;
  while (result.match(success)) {
    for (const auto& [tags, count] : success.distribution) {
      for (const auto& tag : tags) out.reached[tag] += count;
    }
    passed_before += success.numSuccess;
    const int round_cases = std::min(cases, budget - passed_before);
    if (reproducing || missing_tags().empty() || round_cases <= 0) break;
    ++out.coverage_rounds;
    TestParams round = params;
    round.seed = round_seed(params.seed, out.coverage_rounds);
    round.maxSuccess = round_cases;
    result = checkProperty(property, metadata, round, listener, config.reproduce);
  }

  if (result.match(success)) {
    out.cases = passed_before;
    out.missing = missing_tags();
    out.verdict = (!out.missing.empty() && !reproducing) ? PropertyResult::Verdict::not_covered
                                                         : PropertyResult::Verdict::passed;
  } else if (result.match(failure)) {
    out.verdict = PropertyResult::Verdict::failed;
    out.cases = passed_before + failure.numSuccess;
    out.description = failure.description;
    out.counterexample = failure.counterExample;
    Configuration only_reproduce;
    only_reproduce.reproduce[id] = failure.reproduce;
    out.reproduce = configToMinimalString(only_reproduce);
    // Re-run the minimal case: its notes are what the user needs, and a case that does not fail
    // the same way every time is flaky, which must be said rather than shrunk around.
    const std::unordered_map<std::string, Reproduce> minimal{{id, failure.reproduce}};
    for (int run = 0; run < std::max(1, options.flaky_reruns); ++run) {
      const TestResult again = checkProperty(property, metadata, params, listener, minimal);
      FailureResult again_failure;
      if (!again.match(again_failure) || again_failure.description != failure.description) {
        out.flaky = true;
      }
      if (run == 0) out.notes = notes;
    }
  } else if (result.match(gave_up)) {
    out.verdict = PropertyResult::Verdict::gave_up;
    out.cases = passed_before + gave_up.numSuccess;
    out.description = gave_up.description;
  } else if (result.match(error)) {
    out.verdict = PropertyResult::Verdict::error;
    out.description = error.description;
  }
  return out;
}

void report_to_gtest(const PropertyResult& result, const char* file, int line) {
  ::testing::Test::RecordProperty("flowproof_property", result.id);
  ::testing::Test::RecordProperty("flowproof_cases", result.cases);
  ::testing::Test::RecordProperty("flowproof_seed", std::to_string(result.seed));
  if (result.coverage_rounds > 0) {  // a rare path: worth a look even when the run passed
    ::testing::Test::RecordProperty("flowproof_coverage_rounds", result.coverage_rounds);
  }
  if (result.passed()) return;
  ::testing::Test::RecordProperty("flowproof_verdict", verdict_name(result.verdict));
  if (!result.reproduce.empty()) {
    ::testing::Test::RecordProperty("flowproof_reproduce",
                                    "RC_PARAMS=\"" + result.reproduce + "\"");
  }
  if (result.flaky) ::testing::Test::RecordProperty("flowproof_flaky", "true");
  for (const auto& [name, text] : result.notes) {
    ::testing::Test::RecordProperty(xml_property_name(name), text);
  }
  if (!result.missing.empty()) {
    std::string missing;
    for (const auto& tag : result.missing) missing += (missing.empty() ? "" : ", ") + tag;
    ::testing::Test::RecordProperty("flowproof_not_reached", missing);
  }
  const std::string text = result.to_text();
  std::cout << text << std::flush;
  ADD_FAILURE_AT(file, line) << text;
}

namespace detail {
void run_gtest_property(const PropertyOptions& options, const char* file, int line,
                        const std::function<void()>& body) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string id = std::string(info->test_suite_name()) + "/" + info->name();
  report_to_gtest(run_property(id, options, body), file, line);
}
}  // namespace detail

}  // namespace flowproof::properties
