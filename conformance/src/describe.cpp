// describe.cpp — describe_plan: the human-readable listing `flowproof plan lint` prints for a plan
// that loaded: grouping, flows with their events and vocabularies, standalone events, personal-data
// rules, rule overrides and waivers.
//
// Every name from the plan is printed by report_detail::shown(): as written when it cannot be
// misread, else as a JSON string ("a, b" is one step, not two); implied values as JSON (so "1", 1
// and null differ); free text at the end of a line (a pattern, a waiver's why) by printable().
// Nothing from the plan can split a line, forge one or reach the terminal as a control.
#include <flowproof/conformance/plan.hpp>

#include "reporter_formats.hpp"

#include <sstream>

namespace flowproof::conformance {
namespace {

constexpr std::string_view kDefaultErrorClass = R"(^[A-Za-z_*][A-Za-z0-9_.:*<>\[\]/-]{0,127}$)";

using report_detail::printable;
using report_detail::shown;

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += shown(item);
  }
  return out;
}

// "key: value" pairs of an implied terminal's properties, each value as JSON.
std::string describe_properties(const nlohmann::json& properties) {
  std::string out;
  for (const auto& [key, value] : properties.items()) {
    if (!out.empty()) out += ", ";
    out += shown(key) + ": " +
           printable(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return out;
}

// The names of a schema's `properties` (and which are required), or "" when it declares none.
std::string describe_schema(const nlohmann::json& schema) {
  if (!schema.is_object()) return "";
  std::vector<std::string> names;
  if (auto it = schema.find("properties"); it != schema.end() && it->is_object()) {
    for (const auto& [name, ignored] : it->items()) names.push_back(name);
  }
  std::vector<std::string> required;
  if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
    for (const auto& name : *it) {
      if (name.is_string()) required.push_back(name.get<std::string>());
    }
  }
  if (names.empty() && required.empty()) return "";
  std::string out = "{" + join(names) + "}";
  if (!required.empty()) out += " required " + join(required);
  return out;
}

void line(std::ostringstream& out, std::string_view label, const std::string& value) {
  out << "    " << label;
  for (std::size_t i = label.size(); i < 12; ++i) out << ' ';
  out << value << '\n';
}

void describe_event(std::ostringstream& out, std::string_view label,
                    const EventDeclaration& event) {
  std::string text = shown(event.name);
  const std::string schema = describe_schema(event.schema_json);
  if (!schema.empty()) text += "  " + schema;
  line(out, label, text);
}

void describe_flow(std::ostringstream& out, const Flow& flow) {
  out << "  " << shown(flow.id) << '\n';
  describe_event(out, "started", flow.started);
  for (TerminalKind kind : flow.terminal_kinds()) {
    describe_event(out, to_string(kind), *flow.terminal(kind));
  }
  bool first = true;
  for (const IntermediateEvent& event : flow.events) {
    std::string text = shown(event.name);
    if (event.implies) {
      text += " -> " + std::string(to_string(event.implies->terminal));
      if (!event.implies->properties.empty()) {
        text += " {" + describe_properties(event.implies->properties) + "}";
      }
    }
    line(out, first ? "events" : "", text);
    first = false;
  }
  // An empty list is printed as (none) where it matters: `"reasons": []` with reason_required
  // false (the loader refuses every other empty vocabulary a terminal would need).
  if (!flow.steps.empty() || flow.aborted || flow.failed) {
    line(out, "steps", flow.steps.empty() ? std::string("(none)") : join(flow.steps));
  }
  if (!flow.reasons.empty() || flow.aborted) {
    line(out, "reasons",
         (flow.reasons.empty() ? std::string("(none)") : join(flow.reasons)) +
             (flow.reason_required ? "" : " (optional)"));
  }
  if (flow.step_property != "step" || flow.reason_property != "reason" ||
      flow.error_property != "error_class") {
    line(out, "properties",
         "step " + shown(flow.step_property) + ", reason " + shown(flow.reason_property) +
             ", error " + shown(flow.error_property));
  }
  if (flow.failed) {
    line(out, "error class",
         flow.error_class_pattern == kDefaultErrorClass ? std::string("a type name (default)")
                                                        : printable(flow.error_class_pattern));
  }
  if (flow.duration) {
    std::vector<std::string> on;
    for (TerminalKind kind : flow.duration->on.value_or(flow.terminal_kinds())) {
      on.emplace_back(to_string(kind));
    }
    line(out, "duration",
         shown(flow.duration->property) + " on " +
             (on.empty() ? std::string("no terminal") : join(on)) + " (tolerance " +
             std::to_string(flow.duration->tolerance_ms) + " ms, max " +
             std::to_string(flow.duration->max_ms) + " ms)");
  }
  if (!flow.contains.empty()) line(out, "contains", join(flow.contains));
}

}  // namespace

std::string describe_plan(const Plan& plan) {
  std::ostringstream out;
  out << "plan " << shown(plan.name);
  if (!plan.sha256.empty()) out << " (sha256 " << plan.sha256.substr(0, 12) << ")";
  out << '\n';

  out << "invocations: grouped by " << shown(plan.invocation.key);
  if (plan.invocation.order) {
    out << ", ordered by " << shown(*plan.invocation.order) << " from "
        << plan.invocation.sequence_start;
  } else {
    out << ", in arrival order";
  }
  out << ", time at " << shown(plan.invocation.timestamp) << '\n';
  const std::string base = describe_schema(plan.base_properties_json);
  if (!base.empty()) out << "base properties: " << base << '\n';
  if (!plan.invocation_constant.empty()) {
    out << "constant within an invocation: " << join(plan.invocation_constant) << '\n';
  }

  out << "\nflows (" << plan.flows.size() << "):\n";
  for (const Flow& flow : plan.flows) describe_flow(out, flow);

  if (!plan.events.empty()) {
    out << "\nstandalone events (" << plan.events.size() << "):\n";
    for (const EventDeclaration& event : plan.events) {
      out << "  " << shown(event.name);
      const std::string schema = describe_schema(event.schema_json);
      if (!schema.empty()) out << "  " << schema;
      out << '\n';
    }
  }

  out << "\npersonal data" << (plan.pii.built_in ? " (built-in default)" : "") << ":\n";
  if (!plan.pii.deny_keys.empty()) out << "  denied keys: " << join(plan.pii.deny_keys) << '\n';
  for (const auto& [name, expression] : plan.pii.deny_patterns) {
    out << "  pattern " << shown(name) << ": " << printable(expression) << '\n';
  }
  if (!plan.pii.allow_keys.empty()) out << "  allowed keys: " << join(plan.pii.allow_keys) << '\n';
  if (plan.pii.deny_keys.empty() && plan.pii.deny_patterns.empty()) out << "  no rules\n";

  if (!plan.rule_severity.empty()) {
    out << "\nrule overrides:\n";
    for (const auto& [id, severity] : plan.rule_severity) {
      out << "  " << id << ": " << to_string(severity) << '\n';
    }
  }
  if (!plan.waivers.empty()) {
    out << "\nwaivers (" << plan.waivers.size() << "):\n";
    for (const Waiver& waiver : plan.waivers) {
      out << "  " << waiver.rule;
      if (waiver.flow) out << " flow " << shown(*waiver.flow);
      if (waiver.event) out << " event " << report_detail::quoted(*waiver.event);
      out << ": " << printable(waiver.why) << '\n';
    }
  }
  return out.str();
}

}  // namespace flowproof::conformance
