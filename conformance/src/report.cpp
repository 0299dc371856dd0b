// report.cpp — Report::coverage_ratio() and the JSON report of report-format.md.
#include <flowproof/conformance/report.hpp>

namespace flowproof::conformance {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

nlohmann::json location_json(const Location& at) {
  return {{"input", at.input},
          {"line", at.line},
          {"sequence", at.sequence ? nlohmann::json(*at.sequence) : nlohmann::json(nullptr)}};
}

nlohmann::json counts_json(const std::map<std::string, std::uint64_t>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, count] : counts) out[key] = count;
  return out;
}

nlohmann::json flags_json(const std::map<std::string, bool>& flags) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, seen] : flags) out[key] = seen;
  return out;
}

}  // namespace

double Report::coverage_ratio() const {
  std::size_t total = 0, covered = 0;
  for (const auto& [flow, coverage] : this->coverage) {
    for (const auto* part : {&coverage.terminals, &coverage.reasons, &coverage.failure_steps}) {
      for (const auto& [name, seen] : *part) {
        ++total;
        if (seen) ++covered;
      }
    }
  }
  return total == 0 ? 1.0 : static_cast<double>(covered) / static_cast<double>(total);
}

nlohmann::json violation_json(const Violation& v) {
  nlohmann::json at = nlohmann::json::array();
  for (const Location& location : v.at) at.push_back(location_json(location));
  nlohmann::json item = {{"rule", v.rule},
                         {"name", v.name},
                         {"severity", std::string(to_string(v.severity))},
                         {"waived", v.waived},
                         {"invocation", optional_text(v.invocation)},
                         {"flow", optional_text(v.flow)},
                         {"event", optional_text(v.event)},
                         {"at", std::move(at)},
                         {"message", v.message}};
  if (v.waived) item["why"] = v.waiver_why;
  return item;
}

nlohmann::json to_json(const Report& report) {
  nlohmann::json out = to_json_without_violations(report);
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : report.violations) violations.push_back(violation_json(v));
  out["violations"] = std::move(violations);
  return out;
}

nlohmann::json to_json_without_violations(const Report& report) {
  nlohmann::json out = nlohmann::json::object();
  out["flowproof_report"] = 1;
  out["tool"] = {{"name", report.tool_name}, {"version", report.tool_version}};
  out["plan"] = {{"name", report.plan_name}, {"sha256", report.plan_sha256}};
  out["inputs"] = report.inputs;
  out["verdict"] = std::string(report.verdict());
  const Summary& s = report.summary;
  out["summary"] = {
      {"inputs", s.inputs},           {"lines", s.lines},         {"events", s.events},
      {"skipped", s.skipped},         {"malformed", s.malformed}, {"blank", s.blank},
      {"invocations", s.invocations}, {"instances", s.instances}, {"errors", s.errors},
      {"warnings", s.warnings},       {"waived", s.waived}};
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleCount& rule : report.rules) {
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"severity", std::string(to_string(rule.severity))},
                     {"violations", rule.violations}});
  }
  out["rules"] = std::move(rules);
  nlohmann::json flows = nlohmann::json::object();
  for (const auto& [id, outcomes] : report.flows) {
    flows[id] = {{"instances", outcomes.instances},
                 {"open", outcomes.open},
                 {"completed", outcomes.completed},
                 {"aborted", counts_json(outcomes.aborted)},
                 {"failed", counts_json(outcomes.failed)}};
  }
  out["flows"] = std::move(flows);
  nlohmann::json unused = nlohmann::json::array();
  for (const Waiver& waiver : report.unused_waivers) {
    nlohmann::json item = {{"rule", waiver.rule}, {"why", waiver.why}, {"pointer", waiver.pointer}};
    if (waiver.flow) item["flow"] = *waiver.flow;
    if (waiver.event) item["event"] = *waiver.event;
    unused.push_back(std::move(item));
  }
  out["unused_waivers"] = std::move(unused);
  nlohmann::json coverage = nlohmann::json::object();
  for (const auto& [id, flow] : report.coverage) {
    coverage[id] = {{"terminals", flags_json(flow.terminals)},
                    {"reasons", flags_json(flow.reasons)},
                    {"failure_steps", flags_json(flow.failure_steps)}};
  }
  out["coverage"] = std::move(coverage);
  out["coverage_ratio"] = report.coverage_ratio();
  nlohmann::json labels = nlohmann::json::object();
  for (const auto& [invocation, label] : report.invocation_labels) labels[invocation] = label;
  out["invocation_labels"] = std::move(labels);
  nlohmann::json timelines = nlohmann::json::object();
  for (const auto& [invocation, entries] : report.timelines) {
    nlohmann::json list = nlohmann::json::array();
    for (const TimelineEntry& entry : entries) {
      list.push_back({{"at", location_json(entry.at)},
                      {"event", entry.event},
                      {"properties", entry.properties}});
    }
    timelines[invocation] = std::move(list);
  }
  out["timelines"] = std::move(timelines);
  return out;
}

}  // namespace flowproof::conformance
