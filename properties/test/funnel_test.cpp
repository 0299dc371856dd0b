// funnel_test.cpp — the generic funnel property over a small instrumented product (a toy
// "application create" flow of the example plan), correct and with planted bugs; drawn scripts,
// replay through the scripted fakes, coverage and the regression corpus.
#include <flowproof/conformance/plan.hpp>
#include <flowproof/fakes/errors.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/properties/corpus.hpp>
#include <flowproof/properties/funnel.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace flowproof::properties {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

const conformance::Plan& example_plan() {
  static const conformance::Plan plan = conformance::load_plan(FLOWPROOF_PROPERTIES_EXAMPLE_PLAN);
  return plan;
}

enum class ToyBug {
  none,
  double_terminal_on_billing,  // Aborted{billing_required}, then Failed as well
  message_as_error_class,      // the exception's message in error_class
  tracks_dry_run,              // a dry run emits the funnel
  cancel_as_failed,            // Ctrl-C reported as Failed
};

bool is_interrupt(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const fakes::Interrupted&) {
    return true;
  } catch (...) {
    return false;
  }
}

// A toy product: name, plan, terms, then a provisioning wait and the API call.
void toy_create(World& w, ToyBug bug) {
  const bool dry_run = w.flag("dry_run", 0.1);
  harness::Client* client = dry_run && bug != ToyBug::tracks_dry_run ? nullptr : &w.client();
  harness::FlowOptions options;
  options.clock = &w.clock();
  options.is_cancellation =
      bug == ToyBug::cancel_as_failed
          ? std::function<bool(std::exception_ptr)>([](std::exception_ptr) { return false; })
          : std::function<bool(std::exception_ptr)>(is_interrupt);
  harness::FlowTracker flow(client, example_plan().find_flow("application_create")->definition(),
                            options);
  try {
    flow.step("name");
    const std::string name = w.prompter().text("Application name", "my-app");
    flow.step("plan");
    const std::vector<std::string> plans = {"free", "grow"};
    const std::string plan = plans.at(w.prompter().select("Choose a plan", plans));
    flow.step("terms");
    if (!w.prompter().confirm("Accept the terms?", true)) {
      flow.track("CLI Application Create Declined Terms", {{"plan", plan}});
      flow.abort("declined_terms");
      return;
    }
    flow.track("CLI Application Create Accepted Terms", {{"plan", plan}});
    flow.step("api_call");
    w.waiter().wait("provisioning", 1500ms);
    const fakes::Response response = w.backend().call("create_application", {{"name", name}});
    if (response.outcome == fakes::Outcome::billing_required) {
      flow.abort("billing_required");
      if (bug == ToyBug::double_terminal_on_billing && client != nullptr) {
        client->track("CLI Application Create Failed", {{"step", "api_call"},
                                                        {"error_class", "BillingRequired"},
                                                        {"duration_ms", flow.elapsed_ms()}});
      }
      return;
    }
    response.throw_if_error();
    flow.complete({{"region", "eu-west-1"}, {"plan", plan}});
  } catch (const std::exception& error) {
    if (bug == ToyBug::message_as_error_class && !is_interrupt(std::current_exception())) {
      flow.fail(std::string_view(error.what()));
    } else {
      flow.fail(std::current_exception());
    }
    throw;
  }
}

FunnelExpectations toy_expectations() {
  FunnelExpectations expectations;
  expectations.world.weights.interrupt_probability = 0.05;
  expectations.world.weights.outcomes = {{"create_application",
                                          {{fakes::Outcome::success, 6},
                                           {fakes::Outcome::billing_required, 2},
                                           {fakes::Outcome::http_error, 1},
                                           {fakes::Outcome::network_error, 1}}}};
  expectations.rules = {
      {.when = "prompt:confirm",
       .question = "terms",
       .drawn = "no",
       .terminal = conformance::TerminalKind::aborted,
       .reason = "declined_terms",
       .step = "terms"},
      {.when = "backend:create_application",
       .question = "",
       .drawn = "billing_required",
       .terminal = conformance::TerminalKind::aborted,
       .reason = "billing_required",
       .step = "api_call"},
  };
  expectations.flow_expected = unless_flag("dry_run");
  return expectations;
}

FunnelPropertyOptions fixed(std::string id, std::string corpus = "/nonexistent-unused") {
  FunnelPropertyOptions options;
  options.property.seed = 11;
  options.id = std::move(id);
  options.corpus_dir = std::move(corpus);
  return options;
}

PropertyResult run_toy(ToyBug bug, FunnelPropertyOptions options) {
  return check_funnel_property(
      example_plan(), "application_create", [bug](World& w) { toy_create(w, bug); },
      toy_expectations(), options);
}

TEST(FunnelProperty, PassesOnTheCorrectProductAndReachesEveryOutcome) {
  const PropertyResult result = run_toy(ToyBug::none, fixed("Toy/Correct", ""));
  ASSERT_TRUE(result.passed()) << result.to_text();
  EXPECT_EQ(result.cases, 100);
  for (const char* tag : {"terminal:completed", "terminal:aborted", "terminal:failed",
                          "reason:declined_terms", "reason:cancelled", "reason:billing_required"}) {
    EXPECT_GT(result.reached.count(tag), 0u) << tag;
  }
}

TEST(FunnelProperty, FindsTwoTerminalsOnABillingWallAndShrinksTheScript) {
  const PropertyResult result =
      run_toy(ToyBug::double_terminal_on_billing, fixed("Toy/Double", ""));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed) << result.to_text();
  EXPECT_THAT(result.note("problems"), HasSubstr("expected exactly one terminal"));
  EXPECT_THAT(result.note("problems"), HasSubstr("FP104"));
  const std::string script = result.note("script");
  EXPECT_THAT(script, HasSubstr("backend create_application -> billing_required"));
  // Shrunk: every prompt takes its simplest answer, no interrupt is left.
  EXPECT_THAT(script, Not(HasSubstr("interrupt")));
  EXPECT_THAT(result.note("timeline"), HasSubstr("CLI Application Create Failed"));
  EXPECT_FALSE(result.flaky);
  // The failure is the funnel's problems, not a location inside flowproof's own sources.
  EXPECT_THAT(result.description, StartsWith("the application_create funnel broke:"));
  EXPECT_THAT(result.to_text(), Not(HasSubstr("funnel.cpp")));
}

TEST(FunnelProperty, FindsAnErrorMessageUsedAsTheErrorClass) {
  const PropertyResult result = run_toy(ToyBug::message_as_error_class, fixed("Toy/Message", ""));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_THAT(result.note("problems"), HasSubstr("needs a type name as error_class"));
}

TEST(FunnelProperty, FindsATrackedDryRun) {
  const PropertyResult result = run_toy(ToyBug::tracks_dry_run, fixed("Toy/DryRun", ""));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_THAT(result.note("problems"), HasSubstr("must not track application_create"));
  EXPECT_THAT(result.note("script"), HasSubstr("flag dry_run -> true"));
}

TEST(FunnelProperty, FindsACancellationReportedAsFailed) {
  const PropertyResult result = run_toy(ToyBug::cancel_as_failed, fixed("Toy/Cancel", ""));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_THAT(result.note("problems"), HasSubstr("expected aborted because of"));
  EXPECT_THAT(result.note("script"), HasSubstr("-> interrupt"));
}

TEST(FunnelProperty, FailsWhenTheGeneratorCannotReachADeclaredReason) {
  FunnelExpectations expectations = toy_expectations();
  expectations.world.weights.outcomes = {{"create_application", {{fakes::Outcome::success, 1}}}};
  const PropertyResult result = check_funnel_property(
      example_plan(), "application_create", [](World& w) { toy_create(w, ToyBug::none); },
      expectations,
      [] {
        FunnelPropertyOptions options = fixed("Toy/Unreachable", "");
        options.property.coverage_cases = 250;
        return options;
      }());
  EXPECT_EQ(result.verdict, PropertyResult::Verdict::not_covered);
  EXPECT_EQ(result.cases, 250);  // every coverage round ran before the run gave up on the path
  EXPECT_EQ(result.coverage_rounds, 2);
  EXPECT_THAT(result.missing, Contains("reason:billing_required"));
  EXPECT_THAT(result.missing, Contains("terminal:failed"));
}

TEST(FunnelProperty, ADeclaredSubsetOfOutcomesIsEnough) {
  FunnelExpectations expectations = toy_expectations();
  expectations.world.weights.outcomes = {{"create_application", {{fakes::Outcome::success, 1}}}};
  expectations.reachable = std::vector<std::string>{"terminal:completed", "reason:cancelled"};
  const PropertyResult result = check_funnel_property(
      example_plan(), "application_create", [](World& w) { toy_create(w, ToyBug::none); },
      expectations, fixed("Toy/Subset", ""));
  EXPECT_TRUE(result.passed()) << result.to_text();
}

FLOWPROOF_PROPERTY(FunnelProperty, WorksInsideTheMacro, (.cases = 30)) {
  check_funnel(
      example_plan(), "application_create", [](World& w) { toy_create(w, ToyBug::none); },
      toy_expectations());
}

class Corpus : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("flowproof-corpus-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(Corpus, AFailureIsSavedAndReplaysThroughTheScriptedFakes) {
  const PropertyResult result =
      run_toy(ToyBug::double_terminal_on_billing, fixed("Toy/Saved", dir_.string()));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_THAT(result.note("corpus"), HasSubstr("Toy.Saved_"));

  const std::vector<CorpusEntry> entries = load_corpus(dir_);
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].id, "Toy/Saved");
  EXPECT_EQ(entries[0].flow, "application_create");
  EXPECT_FALSE(entries[0].script.steps.empty());
  EXPECT_FALSE(entries[0].problems.empty());

  const ReplayResult buggy = replay_corpus_entry(
      example_plan(), entries[0],
      [](World& w) { toy_create(w, ToyBug::double_terminal_on_billing); }, toy_expectations());
  EXPECT_FALSE(buggy.problems.empty()) << buggy.to_text();
  EXPECT_FALSE(buggy.flaky);

  const ReplayResult fixed_product = replay_corpus_entry(
      example_plan(), entries[0], [](World& w) { toy_create(w, ToyBug::none); },
      toy_expectations());
  EXPECT_TRUE(fixed_product.problems.empty()) << fixed_product.to_text();
}

TEST_F(Corpus, AReplayWhoseOutcomeChangesIsFlaky) {
  const PropertyResult result =
      run_toy(ToyBug::double_terminal_on_billing, fixed("Toy/Flaky", dir_.string()));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  const std::vector<CorpusEntry> entries = load_corpus(dir_);
  ASSERT_THAT(entries, SizeIs(1));
  int runs = 0;
  const ReplayResult replay = replay_corpus_entry(
      example_plan(), entries[0],
      [&runs](World& w) {
        toy_create(w, ++runs % 2 == 0 ? ToyBug::none : ToyBug::double_terminal_on_billing);
      },
      toy_expectations());
  EXPECT_TRUE(replay.flaky);
  EXPECT_THAT(replay.to_text(), HasSubstr("FLAKY"));
}

// A file per property and minimal script: the same failure found again rewrites its own file, and
// a second bug the same property finds gets a file of its own (before session 7 it replaced the
// first bug's regression script).
TEST_F(Corpus, KeepsOneFilePerPropertyAndScript) {
  run_toy(ToyBug::double_terminal_on_billing, fixed("Toy/One", dir_.string()));
  run_toy(ToyBug::tracks_dry_run, fixed("Toy/Two", dir_.string()));
  run_toy(ToyBug::tracks_dry_run, fixed("Toy/Two", dir_.string()));  // the same file again
  ASSERT_THAT(load_corpus(dir_), SizeIs(2));
  run_toy(ToyBug::tracks_dry_run, fixed("Toy/One", dir_.string()));  // another bug, same property
  const std::vector<CorpusEntry> entries = load_corpus(dir_);
  ASSERT_THAT(entries, SizeIs(3));
  EXPECT_THAT(entries[0].path.filename().string(), StartsWith("Toy.One_"));
  EXPECT_THAT(entries[1].path.filename().string(), StartsWith("Toy.One_"));
  EXPECT_NE(entries[0].path, entries[1].path);
  EXPECT_THAT(entries[2].path.filename().string(), StartsWith("Toy.Two_"));
  EXPECT_EQ(entries[2].id, "Toy/Two");
}

// Invariants: product-specific facts that need the world (here: the fake backend's call log).

// Holds for the toy: a tracked run completes after a create_application call the backend answered
// with success, and only then (a dry run tracks nothing).
Invariant completed_means_created(int* checked) {
  return {.name = "completed_means_created", .check = [checked](const FinishedRun& run) {
            ++*checked;
            std::vector<std::string> problems;
            if (run.flow.id != "application_create")
              problems.push_back("wrong flow " + run.flow.id);
            const ScriptStep* dry_run = run.world.script().flag("dry_run");
            if (dry_run != nullptr && dry_run->value == "true") return problems;
            bool created = false;
            for (const fakes::BackendCall& call : run.world.backend().calls("create_application")) {
              created = created || call.response.outcome == fakes::Outcome::success;
            }
            bool completed = false;
            for (const harness::Event& event : run.events) {
              completed = completed || event.name == run.flow.completed->name;
            }
            if (completed != created) {
              problems.push_back(std::string(completed ? "Completed" : "no Completed") +
                                 (created ? " after" : " without") + " a successful create");
            }
            return problems;
          }};
}

TEST(FunnelInvariants, AnInvariantThatHoldsLetsThePropertyPass) {
  int checked = 0;
  FunnelExpectations expectations = toy_expectations();
  expectations.invariants = {completed_means_created(&checked)};
  const PropertyResult result = check_funnel_property(
      example_plan(), "application_create", [](World& w) { toy_create(w, ToyBug::none); },
      expectations, fixed("Toy/InvariantHolds", ""));
  EXPECT_TRUE(result.passed()) << result.to_text();
  EXPECT_GE(checked, 100);  // after every case
}

// A "fact" that some drawn runs break: the backend never answers with the billing wall.
Invariant no_billing_wall() {
  return {.name = "no_billing_wall", .check = [](const FinishedRun& run) {
            std::vector<std::string> problems;
            for (const fakes::BackendCall& call : run.world.backend().calls()) {
              if (call.response.outcome == fakes::Outcome::billing_required) {
                problems.push_back(call.operation + " (#" + std::to_string(call.number) +
                                   ") answered billing_required");
              }
            }
            return problems;
          }};
}

TEST_F(Corpus, AnInvariantsProblemIsNamedShrunkSavedAndReplayed) {
  int checked = 0;
  FunnelExpectations expectations = toy_expectations();
  expectations.invariants = {completed_means_created(&checked), no_billing_wall()};
  const auto run = [](World& w) { toy_create(w, ToyBug::none); };
  const PropertyResult result =
      check_funnel_property(example_plan(), "application_create", run, expectations,
                            fixed("Toy/Invariant", dir_.string()));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed) << result.to_text();
  EXPECT_THAT(result.note("problems"),
              HasSubstr("\n  - invariant no_billing_wall: create_application (#"));
  EXPECT_THAT(result.note("problems"), HasSubstr(") answered billing_required"));
  EXPECT_THAT(result.note("problems"), Not(HasSubstr("completed_means_created")));
  EXPECT_THAT(result.to_text(), HasSubstr("invariant no_billing_wall:"));
  // Shrunk like any other problem: the simplest answers, no Ctrl-C, not a dry run.
  const std::string script = result.note("script");
  EXPECT_THAT(script, HasSubstr("backend create_application -> billing_required"));
  EXPECT_THAT(script, HasSubstr("flag dry_run -> false"));
  EXPECT_THAT(script, HasSubstr("\"Application name\" -> default"));
  EXPECT_THAT(script, HasSubstr("-> choose #0"));
  EXPECT_THAT(script, Not(HasSubstr("interrupt")));
  EXPECT_THAT(script, Not(HasSubstr("-> no")));
  EXPECT_FALSE(result.flaky);

  // Saved with its problem, and the replay through the scripted fakes checks the invariant too.
  const std::vector<CorpusEntry> entries = load_corpus(dir_);
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_THAT(entries[0].problems, Contains(StartsWith("invariant no_billing_wall: ")));
  const ReplayResult replay = replay_corpus_entry(example_plan(), entries[0], run, expectations);
  EXPECT_THAT(replay.problems, Contains(StartsWith("invariant no_billing_wall: ")))
      << replay.to_text();
  EXPECT_FALSE(replay.flaky);
}

TEST(FunnelInvariants, AnInvariantThatThrowsIsAProblemNotACrash) {
  FunnelExpectations expectations = toy_expectations();
  expectations.invariants = {
      {.name = "reads_past_the_end",
       .check = [](const FinishedRun& run) -> std::vector<std::string> {
         return {run.events.at(run.events.size()).name};  // std::out_of_range
       }},
      {.name = "throws_an_int",
       .check = [](const FinishedRun&) -> std::vector<std::string> { throw 42; }},
      {.name = "without_a_check", .check = {}},
      {.name = "uses_rc_assert",
       .check = [](const FinishedRun& run) -> std::vector<std::string> {
         RC_ASSERT(run.events.empty());  // not how a check reports: it throws rapidcheck's result
         return {};
       }},
  };
  const PropertyResult result = check_funnel_property(
      example_plan(), "application_create", [](World& w) { toy_create(w, ToyBug::none); },
      expectations, fixed("Toy/InvariantThrows", ""));
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed) << result.to_text();
  EXPECT_EQ(result.cases, 0);  // every run breaks them
  const std::string problems = result.note("problems");
  EXPECT_THAT(problems, HasSubstr("invariant reads_past_the_end threw std::out_of_range: "));
  EXPECT_THAT(problems, HasSubstr("invariant throws_an_int threw int"));
  EXPECT_THAT(problems, HasSubstr("invariant without_a_check has no check"));
  EXPECT_THAT(problems, HasSubstr("invariant uses_rc_assert threw rc::detail::CaseResult"));
  EXPECT_FALSE(result.flaky);
}

TEST(CorpusFiles, AnUnreadableEntryNamesTheMember) {
  EXPECT_THROW(corpus_entry_from_json({{"flowproof_corpus", 2}}), std::invalid_argument);
  EXPECT_THROW(corpus_entry_from_json({{"flowproof_corpus", 1}, {"flow", 3}}),
               std::invalid_argument);
  EXPECT_TRUE(load_corpus("/nonexistent/flowproof/corpus").empty());
}

TEST(Script, RoundTripsThroughJsonAndReadsWell) {
  Script script;
  ScriptStep confirm;
  confirm.kind = ScriptStep::Kind::answer;
  confirm.call = 1;
  confirm.point = "prompt:confirm";
  confirm.detail = "Accept terms?";
  confirm.answer.kind = fakes::PromptAnswer::Kind::no;
  confirm.flow_open = true;
  ScriptStep outcome;
  outcome.kind = ScriptStep::Kind::outcome;
  outcome.call = 3;
  outcome.point = "backend:create_application";
  outcome.detail = "create_application";
  outcome.value = "billing_required";
  outcome.flow_open = true;
  ScriptStep wait;
  wait.kind = ScriptStep::Kind::interrupt;
  wait.call = 4;
  wait.point = "wait:browser";
  wait.flow_open = true;
  script.steps = {confirm, outcome, wait};

  EXPECT_EQ(script.to_text(),
            "  #1 confirm \"Accept terms?\" -> no\n"
            "  #3 backend create_application -> billing_required\n"
            "  #4 wait browser -> interrupt\n");
  const Script back = script_from_json(to_json(script));
  EXPECT_EQ(back.to_text(), script.to_text());
  EXPECT_EQ(back.steps[1].value, "billing_required");
  EXPECT_THROW(script_from_json({{"steps", {{{"kind", "teleport"}}}}}), std::invalid_argument);
  EXPECT_THROW(outcome_from_string("maybe"), std::invalid_argument);
}

TEST(ReplayWorld, ReplaysAnswersOutcomesAndInterruptsExactly) {
  Script script;
  ScriptStep text;
  text.kind = ScriptStep::Kind::answer;
  text.call = 1;
  text.point = "prompt:text";
  text.detail = "Application name";
  text.answer.kind = fakes::PromptAnswer::Kind::text;
  text.answer.value = "shop";
  ScriptStep outcome;
  outcome.kind = ScriptStep::Kind::outcome;
  outcome.call = 2;
  outcome.detail = "create_application";
  outcome.point = "backend:create_application";
  outcome.value = "timeout";
  ScriptStep interrupt;
  interrupt.kind = ScriptStep::Kind::interrupt;
  interrupt.call = 3;
  interrupt.point = "wait:poll";
  script.steps = {text, outcome, interrupt};

  World world = World::replay({}, script);
  EXPECT_EQ(world.prompter().text("Application name", "x"), "shop");
  EXPECT_EQ(world.backend().call("create_application", {}).outcome, fakes::Outcome::timeout);
  EXPECT_THROW(world.waiter().wait("poll", 10ms), fakes::Interrupted);
  EXPECT_EQ(world.verify(), "");
  EXPECT_EQ(world.clock().elapsed(), 300ms);  // three calls at the default 100 ms each
}

// A drawn Ctrl-C records where it came: the prompt's question (unescaped) or the operation, so
// OutcomeRule::question can name it (e.g. "Ctrl-C at the plan choice ends at step plan").
TEST(RandomWorld, AnInterruptRecordsTheQuestionOrTheOperation) {
  const PropertyResult result =
      run_property("RandomWorld/InterruptDetail", {.cases = 5, .seed = 1}, [] {
        World world = World::random({.weights = {.interrupt_probability = 1.0}});
        RC_ASSERT_THROWS_AS(world.prompter().confirm("Accept the \"terms\"?\nReally?", true),
                            fakes::Interrupted);
        RC_ASSERT_THROWS_AS(world.backend().call("create_application", {}), fakes::Interrupted);
        const Script& script = world.script();
        RC_ASSERT(script.steps.size() == 2u);
        RC_ASSERT(script.steps[0].detail == "Accept the \"terms\"?\nReally?");
        RC_ASSERT(script.steps[1].detail == "create_application");
        RC_ASSERT(script.steps[1].describe() == "backend create_application -> interrupt");
      });
  EXPECT_TRUE(result.passed()) << result.to_text();
}

// A call listed in after_flow must start after the terminal, even a call that takes no time of its
// own and is followed by the terminal at once (the clock moves only as the next call enters).
TEST(AfterFlow, ACallThatTakesNoTimeBeforeTheTerminalIsStillInsideTheFlow) {
  ScriptStep dashboard;
  dashboard.kind = ScriptStep::Kind::outcome;
  dashboard.call = 1;
  dashboard.point = "backend:open_dashboard";
  dashboard.detail = "open_dashboard";
  dashboard.value = "success";
  const Script script{{dashboard}};
  FunnelExpectations expectations;
  expectations.after_flow = {"backend:open_dashboard"};
  expectations.reachable = std::vector<std::string>{};
  const auto product = [](bool dashboard_inside) {
    return [dashboard_inside](World& w) {
      harness::FlowOptions options;
      options.clock = &w.clock();
      harness::FlowTracker flow(
          &w.client(), example_plan().find_flow("application_create")->definition(), options);
      if (dashboard_inside) w.backend().call("open_dashboard", {});
      flow.complete({{"region", "eu-west-1"}, {"plan", "free"}});
      if (!dashboard_inside) w.backend().call("open_dashboard", {});
    };
  };

  World inside = World::replay(expectations.world, script);
  const FunnelCase buggy =
      run_funnel_case(example_plan(), "application_create", product(true), expectations, inside);
  EXPECT_THAT(buggy.problems, Contains(HasSubstr("came after backend:open_dashboard (#1)")));

  World after = World::replay(expectations.world, script);
  const FunnelCase correct =
      run_funnel_case(example_plan(), "application_create", product(false), expectations, after);
  EXPECT_THAT(correct.problems, SizeIs(0)) << correct.timeline;
}

}  // namespace
}  // namespace flowproof::properties
