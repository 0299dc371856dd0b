// flowproof/properties/funnel.hpp — the generic funnel property: run any instrumented flow through
// random interaction scripts and check, for every one, exactly one Started and one terminal with a
// valid step, reason, error class and an exact duration, plus the whole recording through the
// checker; shrink a failure to the smallest script, save it to the corpus, cover every outcome.
//
//   const conformance::Plan plan = conformance::load_plan("cli.plan.json");
//   TEST(CreateFunnel, EveryRunEndsExactlyOnce) {
//     PropertyResult result = check_funnel_property(plan, "application_create",
//         [](World& w) { mycli::run({"app", "create"}, w.prompter(), w.backend(), w.client(),
//                                   w.clock()); },
//         {.rules = {{.when = "prompt:confirm", .question = "terms", .drawn = "no",
//                     .reason = "declined_terms", .step = "terms"}}});
//     EXPECT_TRUE(result.passed()) << result.to_text();
//   }
//
//   // or as one case inside a property body of your own:
//   FLOWPROOF_PROPERTY(CreateFunnel, AnyRun, ()) { check_funnel(plan, "application_create", run); }
#pragma once

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/properties/property.hpp>
#include <flowproof/properties/world.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flowproof::properties {

/// "When this was drawn while the flow was open, the flow must end like this."
struct OutcomeRule {
  /// Call point pattern of the drawn step: "prompt:confirm", "backend:update_plan", "*".
  std::string when = "*";
  /// The question (prompts) or operation must contain this text; empty matches any.
  std::string question = {};
  /// What was drawn: "interrupt", an answer ("yes", "no", "default"), or an outcome name
  /// ("billing_required").
  std::string drawn = "interrupt";
  conformance::TerminalKind terminal = conformance::TerminalKind::aborted;
  std::string reason = {};  ///< expected reason (aborted); empty: not checked
  std::string step = {};    ///< expected step; empty: not checked
};

/// What an invariant sees of one finished run (valid only during the check).
struct FinishedRun {
  const conformance::Plan& plan;
  const conformance::Flow& flow;  ///< the flow under test
  /// The fakes after the run, read-only: what the backend was asked and answered
  /// (`world.backend().calls("create_application")`), the session's transcript, the drawn script
  /// (`world.script()`, `world.script().flag("dry_run")`).
  const World& world;
  const std::vector<harness::Event>& events;  ///< the whole recording, in order
  /// The error class of what escaped the product's run, "" when nothing did.
  const std::string& exception;
};

/// A product-specific fact every run must satisfy that the plan cannot state, because it needs the
/// world: "the region on Completed is the one the backend created the application in", "every
/// error_class is one of the product's own error types". `check` returns the problems it found
/// (empty: the run satisfies it); each is reported as `invariant <name>: <problem>` among the
/// run's problems, so it fails the case, shrinks, and is saved and replayed like any other. An
/// exception escaping `check` is a problem too (`invariant <name> threw <type>: <what>`), never a
/// crash. Checks run after every run, whatever the flow did: return nothing for runs the fact does
/// not concern. Do not use RC_ASSERT in a check: report problems by returning them.
struct Invariant {
  std::string name = {};  ///< names the invariant in its problems; a short identifier reads best
  std::function<std::vector<std::string>(const FinishedRun& run)> check = {};
};

/// What the funnel property checks beyond the plan.
struct FunnelExpectations {
  WorldOptions world = {};
  /// Outcome rules; the first drawn step (while the flow is open) that matches one decides.
  std::vector<OutcomeRule> rules = {};
  /// Adds the rule "a Ctrl-C while the flow is open ends it Aborted{cancelled}".
  bool interrupt_means_cancelled = true;
  /// Coverage tags every run must reach ("terminal:aborted", "reason:billing_required",
  /// "failed_step:api_call"); empty: every terminal kind and reason the plan declares for the flow.
  std::optional<std::vector<std::string>> reachable = {};
  /// Whether the flow should appear at all in this run (false e.g. for a drawn dry run).
  std::function<bool(World&)> flow_expected = {};
  /// Call points ("wait:dashboard", "prompt:*") that come after the flow's work: the flow must have
  /// ended before any of them starts, or its terminal and duration include them.
  std::vector<std::string> after_flow = {};
  /// Options of the conformance check over the whole recording.
  conformance::CheckOptions check_options = {};
  /// Product-specific invariants checked after every run, in order, after the funnel's own checks
  /// and before the conformance check.
  std::vector<Invariant> invariants = {};
};

/// The product run: everything it needs comes from the world.
using FunnelRun = std::function<void(World&)>;

/// What one run came to.
struct FunnelCase {
  std::vector<std::string> problems = {};  ///< empty when the run satisfied every check
  std::vector<std::string> tags = {};      ///< coverage tags of the run
  std::string timeline = {};               ///< harness::format_timeline of the recording
  std::string script = {};                 ///< Script::to_text
  std::string exception = {};              ///< what escaped the product, if anything
  /// A one-line summary of the outcome, compared across re-runs to detect flakiness.
  std::string signature = {};
};

/// Runs the product once in the world and checks the funnel; no rapidcheck needed.
FunnelCase run_funnel_case(const conformance::Plan& plan, const std::string& flow_id,
                           const FunnelRun& run, const FunnelExpectations& expectations,
                           World& world);

/// One property case: a random world, the checks, notes (script, timeline, problems) and coverage
/// tags; fails the case (RC_FAIL) on any problem. Call inside a property body.
void check_funnel(const conformance::Plan& plan, const std::string& flow_id, const FunnelRun& run,
                  const FunnelExpectations& expectations = {});

/// The whole property: many random cases, coverage, and on failure the shrunk script saved to the
/// corpus directory (options.corpus_dir, else $FLOWPROOF_CORPUS_DIR, else nowhere).
struct FunnelPropertyOptions {
  PropertyOptions property = {};
  std::string id = {};          ///< reproduce key and corpus file name; default: the current test
  std::string corpus_dir = {};  ///< empty: $FLOWPROOF_CORPUS_DIR, or no saving when unset
  bool save_to_corpus = true;   ///< false: never save (tests that fail on purpose)
};
PropertyResult check_funnel_property(const conformance::Plan& plan, const std::string& flow_id,
                                     const FunnelRun& run,
                                     const FunnelExpectations& expectations = {},
                                     const FunnelPropertyOptions& options = {});

/// The coverage tags a flow's plan declares: terminal kinds and reasons.
std::vector<std::string> plan_coverage_tags(const conformance::Flow& flow);

/// A FunnelExpectations::flow_expected for the common case: no flow in a run whose script drew
/// the flag `flag` as `value` (a dry run: `expect.flow_expected = unless_flag("dry_run");`).
std::function<bool(World&)> unless_flag(std::string flag, std::string value = "true");

}  // namespace flowproof::properties
