// flowproof/properties/mutators.hpp — the checker's self-test: valid streams for any plan (from
// conformance::generate_stream, drawn inside a property), random valid plans, and mutators that
// inject exactly one violation of a chosen rule.
//
//   FLOWPROOF_PROPERTY(CheckerSelfTest, ReportsExactlyTheInjectedRule, ()) {
//     const conformance::Plan plan = conformance::parse_plan(*gen_plan_text());
//     const std::string rule = *rc::gen::elementOf(mutation_rules());
//     std::vector<harness::Event> events = *gen_valid_stream(plan);
//     auto broken = inject_violation(plan, events, rule, *rc::gen::arbitrary<std::size_t>());
//     RC_PRE(broken.has_value());                    // this stream offers no place for the rule
//     RC_ASSERT(reported_rules(conformance::check(plan, *broken)) == std::set{rule});
//   }
#pragma once

#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/report.hpp>
#include <flowproof/harness/event.hpp>

#include <rapidcheck.h>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace flowproof::properties {

/// One flow instance found in a stream.
struct StreamInstance {
  std::string invocation = {};
  int flow = -1;            ///< index into Plan::flows
  std::size_t started = 0;  ///< index of the Started event
  std::optional<std::size_t> terminal = {};
  conformance::TerminalKind kind = conformance::TerminalKind::completed;
  std::vector<std::size_t> intermediates = {};
  std::optional<std::size_t> parent = {};  ///< index into the instance list of the enclosing one
  bool has_children = false;
};

/// The flow instances of a stream (events of each invocation in vector order).
std::vector<StreamInstance> analyse_stream(const conformance::Plan& plan,
                                           const std::vector<harness::Event>& events);

/// Rules inject_violation() can inject: FP003 FP004 FP005 FP006 FP007 FP101 ... FP110.
const std::vector<std::string>& mutation_rules();

/// The events with exactly one violation of `rule` injected, at the candidate place picked by
/// `choice` (modulo the number of places); nullopt when the stream offers no place for it.
std::optional<std::vector<harness::Event>> inject_violation(const conformance::Plan& plan,
                                                            std::vector<harness::Event> events,
                                                            const std::string& rule,
                                                            std::size_t choice);

/// A valid stream for the plan: conformance::generate_stream with a drawn seed and length, parsed.
/// The generator keeps its own copy of the plan (it outlives the caller's while shrinking).
rc::Gen<std::vector<harness::Event>> gen_valid_stream(const conformance::Plan& plan,
                                                      int max_events = 40);

/// The text of a random valid plan: 1-4 flows with random terminals, steps, reasons,
/// intermediate events (some with `implies`), required properties and `contains`.
rc::Gen<std::string> gen_plan_text();

/// The ids of the rules a report has violations of (waived ones included).
std::set<std::string> reported_rules(const conformance::Report& report);

}  // namespace flowproof::properties
