// rules.cpp — the rule catalogue of docs/contract/rules.md: ids, names, default severities,
// groups and one-sentence summaries, in id order.
#include <flowproof/conformance/rules.hpp>

#include <algorithm>
#include <array>

namespace flowproof::conformance {
namespace {

using enum Severity;
using enum RuleGroup;

constexpr std::array<RuleInfo, 20> kRules = {{
    {"FP001", "malformed-input", error, envelope,
     "a line is not JSON, not an object or array of objects, or an event has no name; the line "
     "number is reported and reading goes on"},
    {"FP002", "invocation-key-missing", error, envelope,
     "an event lacks the invocation key, or the order key when the plan declares one, or the "
     "order value is not an integer"},
    {"FP003", "sequence-duplicate", error, envelope,
     "two events of one invocation carry the same order value"},
    {"FP004", "sequence-gap", warning, envelope,
     "the order values of an invocation skip a number, or do not begin at sequence_start: an "
     "event was lost"},
    {"FP005", "unknown-event", warning, envelope, "an event name is declared nowhere in the plan"},
    {"FP006", "schema", error, envelope,
     "an event's properties break its declared schema or the base-property schema"},
    {"FP007", "base-property-changed", error, envelope,
     "an invocation_constant property takes a second value within one invocation"},
    {"FP008", "personal-data", error, envelope,
     "a property value matches a deny pattern, or a denied key is present"},
    {"FP101", "orphan-event", error, flow,
     "a terminal or intermediate event of a flow occurs while no instance of that flow is open"},
    {"FP102", "duplicate-start", error, flow,
     "a flow's Started occurs while an instance of the same flow is open in that invocation"},
    {"FP103", "missing-terminal", error, flow,
     "an instance is still open when its invocation ends (end of input, or its container's "
     "terminal)"},
    {"FP104", "multiple-terminals", error, flow,
     "a second terminal event arrives for an instance that already ended and no new Started came "
     "between"},
    {"FP105", "invalid-step", error, flow,
     "an Aborted or Failed lacks the step property or its value is not in steps"},
    {"FP106", "invalid-reason", error, flow,
     "an Aborted lacks a reason (when reason_required) or its value is not in reasons; or a "
     "Completed or Failed carries a reason"},
    {"FP107", "invalid-error-class", error, flow,
     "a Failed lacks the error property, or its value does not match the error_class expression "
     "in full"},
    {"FP108", "invalid-duration", error, flow,
     "the duration property is missing where duration.on requires it, is not a non-negative "
     "integer, exceeds max_ms, or exceeds the span between the Started and terminal timestamps by "
     "more than tolerance_ms"},
    {"FP109", "implication-violated", error, flow,
     "an intermediate event's implies does not hold for its instance's terminal"},
    {"FP110", "unexpected-nesting", error, flow,
     "a flow is started while an instance of another flow is open that does not list it in "
     "contains"},
    {"FP201", "flow-not-observed", off, coverage,
     "a declared flow has no instance in the whole input"},
    {"FP202", "outcome-not-covered", off, coverage,
     "a declared terminal kind, abort reason or failure step was never observed for a flow"},
}};

}  // namespace

std::span<const RuleInfo> all_rules() { return kRules; }

const RuleInfo* find_rule(std::string_view id) {
  auto it =
      std::lower_bound(kRules.begin(), kRules.end(), id,
                       [](const RuleInfo& rule, std::string_view key) { return rule.id < key; });
  return it != kRules.end() && it->id == id ? &*it : nullptr;
}

}  // namespace flowproof::conformance
