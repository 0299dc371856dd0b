// plan.cpp — the small parts of the plan model: names of enums, PlanError, Flow and Plan lookups.
#include <flowproof/conformance/plan.hpp>

#include "reporter_formats.hpp"

#include <algorithm>

namespace flowproof::conformance {
namespace {

// One line per problem, "SOURCE: POINTER: MESSAGE": the pointer as report_detail::shown() writes
// a name (quoted when it holds a control, ": " or another separator), the source and the message
// through printable(), so no key of the plan can split a problem over lines, forge another or
// reach the terminal as a control (the messages quote the plan's data as JSON strings).
std::string format_problems(const std::string& source, const std::vector<PlanProblem>& problems) {
  std::string text;
  for (const PlanProblem& problem : problems) {
    if (!text.empty()) text += '\n';
    text += report_detail::printable(source);
    text += ": ";
    if (!problem.pointer.empty()) {
      text += report_detail::shown(problem.pointer);
      text += ": ";
    }
    text += report_detail::printable(problem.message);
  }
  return text;
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::off:
      return "off";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::error;
  if (text == "warning") return Severity::warning;
  if (text == "off") return Severity::off;
  return std::nullopt;
}

std::string_view to_string(TerminalKind kind) {
  switch (kind) {
    case TerminalKind::completed:
      return "completed";
    case TerminalKind::aborted:
      return "aborted";
    case TerminalKind::failed:
      return "failed";
  }
  return "completed";
}

PlanError::PlanError(std::string source, std::vector<PlanProblem> problems)
    : std::runtime_error(format_problems(source, problems)),
      source_(std::move(source)),
      problems_(std::move(problems)) {}

bool DurationRule::required_on(TerminalKind kind) const {
  return !on || std::find(on->begin(), on->end(), kind) != on->end();
}

const EventDeclaration* Flow::terminal(TerminalKind kind) const {
  const std::optional<EventDeclaration>* slot = &completed;
  if (kind == TerminalKind::aborted) slot = &aborted;
  if (kind == TerminalKind::failed) slot = &failed;
  return slot->has_value() ? &**slot : nullptr;
}

std::vector<TerminalKind> Flow::terminal_kinds() const {
  std::vector<TerminalKind> kinds;
  for (TerminalKind kind : {TerminalKind::completed, TerminalKind::aborted, TerminalKind::failed}) {
    if (terminal(kind) != nullptr) kinds.push_back(kind);
  }
  return kinds;
}

harness::FlowDefinition Flow::definition() const {
  harness::FlowDefinition definition;
  definition.id = id;
  definition.started = started.name;
  if (completed) definition.completed = completed->name;
  if (aborted) definition.aborted = aborted->name;
  if (failed) definition.failed = failed->name;
  definition.step_property = step_property;
  definition.reason_property = reason_property;
  definition.error_property = error_property;
  // A flow without a duration rule reports none: nothing in the plan asks for it.
  definition.duration_property = duration ? duration->property : std::string();
  return definition;
}

Plan::Plan(const Plan& other)
    : name(other.name),
      source(other.source),
      sha256(other.sha256),
      invocation(other.invocation),
      base_properties(other.base_properties),
      base_properties_json(other.base_properties_json),
      invocation_constant(other.invocation_constant),
      flows(other.flows),
      events(other.events),
      definitions(other.definitions),
      pii(other.pii),
      rule_severity(other.rule_severity),
      waivers(other.waivers) {
  build_index();
}

Plan& Plan::operator=(const Plan& other) {
  if (this != &other) {
    Plan copy(other);
    *this = std::move(copy);
  }
  return *this;
}

const Flow* Plan::find_flow(std::string_view id) const {
  const int index = flow_index(id);
  return index < 0 ? nullptr : &flows[static_cast<std::size_t>(index)];
}

int Plan::flow_index(std::string_view id) const {
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (flows[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const EventRole* Plan::find_event(std::string_view name) const {
  auto it = event_index_.find(name);
  return it == event_index_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string_view, const EventRole*>> Plan::event_roles() const {
  std::vector<std::pair<std::string_view, const EventRole*>> out;
  out.reserve(event_index_.size());
  for (const auto& [name, role] : event_index_) out.emplace_back(name, &role);
  return out;
}

void Plan::build_index() {
  event_index_.clear();
  auto add = [&](const EventDeclaration& declaration, EventRole::Kind kind, int flow, int index) {
    event_index_.emplace(declaration.name, EventRole{kind, flow, index, &declaration});
  };
  for (std::size_t f = 0; f < flows.size(); ++f) {
    const Flow& flow = flows[f];
    const int fi = static_cast<int>(f);
    add(flow.started, EventRole::Kind::started, fi, -1);
    if (flow.completed) add(*flow.completed, EventRole::Kind::completed, fi, -1);
    if (flow.aborted) add(*flow.aborted, EventRole::Kind::aborted, fi, -1);
    if (flow.failed) add(*flow.failed, EventRole::Kind::failed, fi, -1);
    for (std::size_t e = 0; e < flow.events.size(); ++e) {
      add(flow.events[e], EventRole::Kind::intermediate, fi, static_cast<int>(e));
    }
  }
  for (std::size_t e = 0; e < events.size(); ++e) {
    add(events[e], EventRole::Kind::standalone, -1, static_cast<int>(e));
  }
}

}  // namespace flowproof::conformance
