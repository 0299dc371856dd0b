// checker.cpp — the Checker: reads inputs, checks each event's envelope (FP001, FP002, FP005,
// FP006, FP008) as it is read, hands a small record to the rule engine, and builds the Report
// (coverage, waivers, summary). See docs/checker.md.
#include <flowproof/conformance/checker.hpp>

#include "engine.hpp"
#include "memo.hpp"
#include "normalize.hpp"
#include "pii.hpp"
#include "reader.hpp"
#include "schema.hpp"

#include <flowproof/conformance/rules.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>

#ifndef FLOWPROOF_VERSION
#define FLOWPROOF_VERSION "0.1.0"
#endif

namespace flowproof::conformance {
namespace {

using detail::Rule;

constexpr std::size_t kMaxSchemaErrorsShown = 3;

std::string json_quoted(std::string_view text) {
  std::string out;
  detail::append_json_string(text, out);
  return out;
}

// Segment-shaped JSON of a recorded event (the same shape harness::to_json writes).
nlohmann::json segment_json(const harness::Event& event) {
  nlohmann::json out = nlohmann::json::object();
  out["type"] = event.type == harness::EventType::track ? "track" : "identify";
  if (event.type == harness::EventType::track) out["event"] = event.name;
  out[event.type == harness::EventType::track ? "properties" : "traits"] = event.properties;
  if (!event.timestamp.empty()) out["timestamp"] = event.timestamp;
  if (!event.anonymous_id.empty()) out["anonymousId"] = event.anonymous_id;
  if (!event.user_id.empty()) out["userId"] = event.user_id;
  if (!event.message_id.empty()) out["messageId"] = event.message_id;
  if (!event.context.empty()) out["context"] = event.context;
  return out;
}

}  // namespace

std::string_view version() { return FLOWPROOF_VERSION; }

struct Checker::Impl final : detail::ReaderSink {
  Impl(const Plan& plan_in, CheckOptions options_in)
      : plan(plan_in),
        options(std::move(options_in)),
        findings(plan, options, inputs),
        engine(plan, options, findings, inputs),
        reader(options.limits, *this),
        pii(plan.pii),
        key_pointer(plan.invocation.key),
        timestamp_pointer(plan.invocation.timestamp),
        started_at(std::chrono::steady_clock::now()),
        last_progress(started_at) {
    if (plan.invocation.order) order_pointer = detail::CompiledPointer(*plan.invocation.order);
    for (const std::string& name : plan.invocation_constant) constant_slots.push_back(want(name));
    for (std::size_t f = 0; f < plan.flows.size(); ++f) {
      const Flow& flow = plan.flows[f];
      TerminalSlots slots;
      slots.step = want(flow.step_property);
      slots.reason = want(flow.reason_property);
      slots.error_class = want(flow.error_property);
      if (flow.duration) slots.duration = want(flow.duration->property);
      for (const std::string& name : engine.implied_properties(static_cast<int>(f))) {
        slots.implied.push_back(want(name));
      }
      terminal_slots.push_back(std::move(slots));
    }
    wanted_values.resize(wanted_names.size());
    wanted_found.resize(wanted_names.size());
    if (empty_parser.parse("{}", 2).get(empty_object) != simdjson::SUCCESS) {
      throw std::logic_error("simdjson cannot parse {}");
    }
    pii_on = findings.on(Rule::fp008);
  }

  void begin_input(std::string_view name) {
    if (finished) throw std::logic_error("Checker: input added after finish()");
    inputs.emplace_back(name);
    current_input = static_cast<std::uint32_t>(inputs.size() - 1);
  }

  void end_input() {
    if (options.progress) report_progress();
  }

  void report_progress() {
    auto now = std::chrono::steady_clock::now();
    last_progress = now;
    const auto& counters = reader.counters();
    Progress progress{counters.bytes, counters.lines, counters.events,
                      std::chrono::duration<double>(now - started_at).count()};
    options.progress(progress);
  }

  void on_progress(const detail::ReaderCounters&) override {
    if (!options.progress) return;
    if (std::chrono::steady_clock::now() - last_progress < std::chrono::milliseconds(250)) return;
    report_progress();
  }

  void on_malformed(std::uint64_t line, std::string message) override {
    Violation v;
    v.at.push_back(Location{inputs[current_input], line, std::nullopt});
    v.message = "line " + std::to_string(line) + ": " + message;
    findings.add(Rule::fp001, std::move(v));
  }

  Violation envelope(const detail::EventView& event, std::uint64_t line, const EventRole* role,
                     const std::string* invocation) {
    Violation v;
    if (invocation) v.invocation = *invocation;
    if (role && role->flow >= 0) v.flow = plan.flows[static_cast<std::size_t>(role->flow)].id;
    v.event = std::string(event.name);
    v.at.push_back(Location{inputs[current_input], line, std::nullopt});
    if (has_sequence) v.at.back().sequence = sequence;
    return v;
  }

  static void fill(simdjson::dom::element value, detail::Field& field) {
    field.present = true;
    std::string_view text;
    if (value.get(text) == simdjson::SUCCESS) {
      field.is_string = true;
      field.text.assign(text);
    } else {
      field.is_string = false;
      field.text.clear();
      detail::append_canonical(value, field.text);
    }
  }

  // The slot of a property the record needs (constants, terminal properties).
  std::uint32_t want(const std::string& name) {
    for (std::uint32_t i = 0; i < wanted_names.size(); ++i) {
      if (wanted_names[i] == name) return i;
    }
    wanted_names.push_back(name);
    wanted_lengths |= detail::length_bit(name.size());
    return static_cast<std::uint32_t>(wanted_names.size() - 1);
  }

  // Finds every wanted property in one pass over `properties` (the first of each name, as a
  // look-up by name would).
  void gather(const detail::EventView& event) {
    std::fill(wanted_found.begin(), wanted_found.end(), 0);
    if (!event.has_properties || wanted_names.empty()) return;
    // Copied out first: value_unsafe() on a temporary result returns a reference into it.
    const simdjson::dom::object properties = event.properties.get_object().value_unsafe();
    for (auto field : properties) {
      const std::string_view key = field.key;
      if (!(wanted_lengths & detail::length_bit(key.size()))) continue;
      for (std::size_t i = 0; i < wanted_names.size(); ++i) {
        if (!wanted_found[i] && detail::same_text(wanted_names[i], key)) {
          wanted_found[i] = 1;
          wanted_values[i] = field.value;
          break;
        }
      }
    }
  }

  void fill_property(std::uint32_t slot, detail::Field& field) {
    field.clear();
    if (wanted_found[slot]) fill(wanted_values[slot], field);
  }

  void check_schema(const Schema& schema, simdjson::dom::element properties,
                    const detail::EventView& event, std::uint64_t line, const EventRole* role,
                    const std::string* invocation, std::string_view what) {
    schema_errors.clear();
    if (schema.validate(properties, schema_errors, &pattern_memos)) return;
    Violation v = envelope(event, line, role, invocation);
    std::string message =
        "properties of " + json_quoted(event.name) + " break " + std::string(what);
    for (std::size_t i = 0; i < schema_errors.size() && i < kMaxSchemaErrorsShown; ++i) {
      message += i == 0 ? ": " : "; ";
      message += (schema_errors[i].pointer.empty() ? std::string("properties")
                                                   : schema_errors[i].pointer) +
                 " " + schema_errors[i].message;
    }
    if (schema_errors.size() > kMaxSchemaErrorsShown) {
      message += " (and " + std::to_string(schema_errors.size() - kMaxSchemaErrorsShown) + " more)";
    }
    v.message = std::move(message);
    findings.add(Rule::fp006, std::move(v));
  }

  void on_event(const detail::EventView& event, std::uint64_t line) override {
    const EventRole* role = plan.find_event(event.name);
    has_sequence = false;
    // FP002: the invocation key (and the order value, when declared) must be there.
    simdjson::dom::element value;
    bool key_ok = key_pointer.resolve(event, value);
    if (key_ok) {
      std::string_view text;
      if (value.get(text) == simdjson::SUCCESS) {
        key.assign(text);
      } else if (value.is_number()) {
        key.clear();
        detail::append_canonical(value, key);
      } else {
        key_ok = false;
      }
    }
    if (!key_ok) {
      Violation v = envelope(event, line, role, nullptr);
      v.message = json_quoted(event.name) + " has no invocation key " + plan.invocation.key +
                  " (a string or a number)";
      findings.add(Rule::fp002, std::move(v));
      return;
    }
    if (order_pointer) {
      std::optional<std::int64_t> order;
      bool present = order_pointer->resolve(event, value);
      if (present) order = detail::integer_value(value);
      if (!order) {
        Violation v = envelope(event, line, role, &key);
        v.message = present
                        ? json_quoted(event.name) + " has an order value " +
                              [&] {
                                std::string text;
                                detail::append_canonical(value, text);
                                return text;
                              }() +
                              " at " + order_pointer->text() + " that is not an integer"
                        : json_quoted(event.name) + " has no order value " + order_pointer->text();
        findings.add(Rule::fp002, std::move(v));
        return;
      }
      has_sequence = true;
      sequence = *order;
    }
    std::uint32_t invocation = engine.intern(key);
    const std::string& invocation_key = key;  // the same text as engine.key(invocation)

    // FP005: unknown events are still checked against the base properties and for personal data.
    if (role == nullptr && findings.on(Rule::fp005)) {
      Violation v = envelope(event, line, role, &invocation_key);
      v.message = json_quoted(event.name) + " is not declared in the plan";
      findings.add(Rule::fp005, std::move(v));
    }
    // FP006: the base-property schema and the event's own schema.
    if (findings.on(Rule::fp006)) {
      simdjson::dom::element properties = event.has_properties ? event.properties : empty_object;
      if (plan.base_properties) {
        check_schema(*plan.base_properties, properties, event, line, role, &invocation_key,
                     "the base-property schema");
      }
      if (role && role->declaration && role->declaration->schema) {
        check_schema(*role->declaration->schema, properties, event, line, role, &invocation_key,
                     "its schema");
      }
    }
    // FP008: personal data anywhere inside the properties.
    if (pii_on && event.has_properties) {
      pii_findings.clear();
      pii.scan(event.properties, pii_findings);
      for (const auto& finding : pii_findings) {
        Violation v = envelope(event, line, role, &invocation_key);
        v.message = finding.pattern.empty()
                        ? "property " + finding.path + " of " + json_quoted(event.name) +
                              " has a denied key"
                        : "property " + finding.path + " of " + json_quoted(event.name) +
                              " matches the deny pattern " + json_quoted(finding.pattern);
        findings.add(Rule::fp008, std::move(v));
      }
    }

    detail::EventRecord& record = engine.scratch();
    record.role = role;
    record.name.assign(event.name);
    record.invocation = invocation;
    record.input = current_input;
    record.line = line;
    record.arrival = arrival++;
    record.has_sequence = has_sequence;
    record.sequence = has_sequence ? sequence : 0;
    record.has_timestamp = false;
    if (timestamp_pointer.resolve(event, value)) {
      if (auto ms = detail::timestamp_ms(value)) {
        record.has_timestamp = true;
        record.timestamp = *ms;
      }
    }
    bool is_terminal =
        role && (role->kind == EventRole::Kind::completed ||
                 role->kind == EventRole::Kind::aborted || role->kind == EventRole::Kind::failed);
    gather(event);
    if (is_terminal) {
      const Flow& flow = plan.flows[static_cast<std::size_t>(role->flow)];
      const TerminalSlots& slots = terminal_slots[static_cast<std::size_t>(role->flow)];
      fill_property(slots.step, record.step);
      fill_property(slots.reason, record.reason);
      fill_property(slots.error_class, record.error_class);
      record.duration.clear();
      record.duration_is_integer = false;
      if (flow.duration) {
        fill_property(slots.duration, record.duration);
        if (record.duration.present) {
          if (auto ms = detail::integer_value(wanted_values[slots.duration])) {
            record.duration_is_integer = true;
            record.duration_ms = *ms;
          }
        }
      }
      record.implied.resize(slots.implied.size());
      for (std::size_t i = 0; i < slots.implied.size(); ++i) {
        fill_property(slots.implied[i], record.implied[i]);
      }
    } else {
      record.step.clear();
      record.reason.clear();
      record.error_class.clear();
      record.duration.clear();
      record.implied.clear();
    }
    record.constants.resize(constant_slots.size());
    for (std::size_t i = 0; i < constant_slots.size(); ++i) {
      fill_property(constant_slots[i], record.constants[i]);
    }
    engine.add(record);
  }

  Report finish();

  const Plan& plan;
  CheckOptions options;
  std::vector<std::string> inputs;
  detail::Findings findings;
  detail::Engine engine;
  detail::Reader reader;
  detail::PiiScanner pii;
  bool pii_on = false;
  detail::CompiledPointer key_pointer;
  std::optional<detail::CompiledPointer> order_pointer;
  detail::CompiledPointer timestamp_pointer;
  std::chrono::steady_clock::time_point started_at, last_progress;
  std::uint32_t current_input = 0;
  std::uint64_t arrival = 0;
  bool has_sequence = false;
  std::int64_t sequence = 0;
  std::string key;
  // Properties the record needs, found in one pass per event (see gather()).
  struct TerminalSlots {
    std::uint32_t step = 0, reason = 0, error_class = 0, duration = 0;
    std::vector<std::uint32_t> implied;  ///< parallel to Engine::implied_properties(flow)
  };
  std::vector<std::string> wanted_names;
  std::uint64_t wanted_lengths = 0;  ///< detail::length_bit of each wanted name
  std::vector<simdjson::dom::element> wanted_values;
  std::vector<unsigned char> wanted_found;
  std::vector<std::uint32_t> constant_slots;  ///< parallel to Plan::invocation_constant
  std::vector<TerminalSlots> terminal_slots;  ///< per flow
  std::vector<SchemaError> schema_errors;
  PatternMemos pattern_memos;
  std::vector<detail::PiiFinding> pii_findings;
  simdjson::dom::parser empty_parser;
  simdjson::dom::element empty_object;
  bool finished = false;
};

Report Checker::Impl::finish() {
  if (finished) throw std::logic_error("Checker::finish() called twice");
  finished = true;
  engine.finish();

  Report report;
  report.tool_version = std::string(version());
  report.plan_name = plan.name;
  report.plan_sha256 = plan.sha256;
  report.inputs = inputs;

  // Outcomes and coverage per flow, in plan order.
  const auto& tallies = engine.tallies();
  for (std::size_t f = 0; f < plan.flows.size(); ++f) {
    const Flow& flow = plan.flows[f];
    const detail::FlowTally& tally = tallies[f];
    report.flows.emplace_back(flow.id, tally.outcomes);
    FlowCoverage coverage;
    for (TerminalKind kind : flow.terminal_kinds()) {
      bool seen = kind == TerminalKind::completed ? tally.outcomes.completed > 0
                  : kind == TerminalKind::aborted ? !tally.outcomes.aborted.empty()
                                                  : !tally.outcomes.failed.empty();
      coverage.terminals[std::string(to_string(kind))] = seen;
    }
    for (std::size_t r = 0; r < flow.reasons.size(); ++r) {
      coverage.reasons[flow.reasons[r]] = tally.reasons_seen[r];
    }
    if (flow.failed) {
      for (std::size_t s = 0; s < flow.steps.size(); ++s) {
        coverage.failure_steps[flow.steps[s]] = tally.steps_failed[s];
      }
    }
    report.coverage.emplace_back(flow.id, std::move(coverage));
  }

  // FP201 / FP202: whole-input coverage findings.
  for (std::size_t f = 0; f < plan.flows.size(); ++f) {
    const Flow& flow = plan.flows[f];
    if (findings.on(Rule::fp201) && tallies[f].outcomes.instances == 0) {
      Violation v;
      v.flow = flow.id;
      v.event = flow.started.name;
      v.message = "flow " + flow.id + " has no instance in the input";
      findings.add(Rule::fp201, std::move(v));
    }
    if (!findings.on(Rule::fp202)) continue;
    const FlowCoverage& coverage = report.coverage[f].second;
    auto gap = [&](std::string what) {
      Violation v;
      v.flow = flow.id;
      v.message = flow.id + ": " + what + " was never observed";
      findings.add(Rule::fp202, std::move(v));
    };
    for (const auto& [kind, seen] : coverage.terminals) {
      if (!seen) gap("terminal " + kind);
    }
    for (const auto& [reason, seen] : coverage.reasons) {
      if (!seen) gap("abort reason " + json_quoted(reason));
    }
    for (const auto& [step, seen] : coverage.failure_steps) {
      if (!seen) gap("failure at step " + json_quoted(step));
    }
  }
  if (options.min_coverage) {
    double ratio = report.coverage_ratio();
    if (ratio < *options.min_coverage) {
      Severity severity = Severity::error;
      if (auto found = options.severity_overrides.find("FP202");
          found != options.severity_overrides.end()) {
        severity = found->second;
      }
      Violation v;
      std::ostringstream message;
      message << "coverage " << ratio << " is below the required minimum " << *options.min_coverage;
      v.message = message.str();
      findings.add(Rule::fp202, severity, std::move(v));
    }
  }

  // Waivers.
  std::vector<Violation>& violations = findings.violations();
  std::vector<bool> used(plan.waivers.size(), false);
  for (Violation& v : violations) {
    for (std::size_t w = 0; w < plan.waivers.size(); ++w) {
      const Waiver& waiver = plan.waivers[w];
      if (waiver.rule != v.rule) continue;
      if (waiver.flow && (!v.flow || *v.flow != *waiver.flow)) continue;
      if (waiver.event && (!v.event || *v.event != *waiver.event)) continue;
      v.waived = true;
      v.waiver_why = waiver.why;
      used[w] = true;
      break;
    }
  }
  for (std::size_t w = 0; w < plan.waivers.size(); ++w) {
    if (!used[w]) report.unused_waivers.push_back(plan.waivers[w]);
  }

  // Violations by input (in the order read), then line; whole-input findings last.
  auto rank = [&](const Violation& v) {
    if (v.at.empty()) return std::pair<std::size_t, std::uint64_t>(inputs.size(), 0);
    auto found = std::find(inputs.begin(), inputs.end(), v.at.front().input);
    return std::pair<std::size_t, std::uint64_t>(static_cast<std::size_t>(found - inputs.begin()),
                                                 v.at.front().line);
  };
  std::vector<std::pair<std::pair<std::size_t, std::uint64_t>, std::size_t>> order;
  order.reserve(violations.size());
  for (std::size_t i = 0; i < violations.size(); ++i) order.emplace_back(rank(violations[i]), i);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  report.violations.reserve(violations.size());
  for (const auto& [unused, i] : order) report.violations.push_back(std::move(violations[i]));
  violations.clear();

  // Summary and rule counts.
  const auto& counters = reader.counters();
  Summary& summary = report.summary;
  summary.inputs = inputs.size();
  summary.lines = counters.lines;
  summary.events = counters.events;
  summary.skipped = counters.skipped;
  summary.malformed = counters.malformed;
  summary.blank = counters.blank;
  summary.invocations = engine.invocation_count();
  summary.instances = engine.instances();
  std::map<std::string, RuleCount> counts;
  for (const Violation& v : report.violations) {
    if (v.waived) {
      ++summary.waived;
    } else if (v.severity == Severity::error) {
      ++summary.errors;
    } else if (v.severity == Severity::warning) {
      ++summary.warnings;
    }
    RuleCount& count = counts[v.rule];
    if (count.id.empty()) {
      count.id = v.rule;
      count.name = v.name;
      count.severity = v.severity;
    } else if (v.severity == Severity::error) {
      count.severity = Severity::error;
    }
    ++count.violations;
  }
  for (auto& [id, count] : counts) report.rules.push_back(std::move(count));

  report.timelines = engine.timelines(report.violations, options.limits.max_timeline_invocations);
  report.invocation_labels = options.invocation_labels;
  report.outcome_invocations = engine.outcome_invocations();
  for (std::size_t r = 0; r < static_cast<std::size_t>(Rule::count); ++r) {
    auto rule = static_cast<Rule>(r);
    report.rule_severities[std::string(detail::rule_id(rule))] = findings.severity(rule);
  }
  return report;
}

Checker::Checker(const Plan& plan, CheckOptions options)
    : impl_(std::make_unique<Impl>(plan, std::move(options))) {}
Checker::~Checker() = default;
Checker::Checker(Checker&&) noexcept = default;
Checker& Checker::operator=(Checker&&) noexcept = default;

void Checker::add_file(const std::filesystem::path& path) {
  auto source = detail::open_file_source(path);
  impl_->begin_input(path.string());
  impl_->reader.read(*source);
  impl_->end_input();
}

void Checker::add_stream(std::string_view input_name, std::istream& in) {
  auto source = detail::make_istream_source(in, std::string(input_name));
  impl_->begin_input(input_name);
  impl_->reader.read(*source);
  impl_->end_input();
}

void Checker::add_text(std::string_view input_name, std::string_view text) {
  impl_->begin_input(input_name);
  impl_->reader.read_text(text);
  impl_->end_input();
}

void Checker::add_events(std::string_view input_name, const std::vector<harness::Event>& events) {
  std::string text;
  for (const auto& event : events) {
    text += segment_json(event).dump();
    text.push_back('\n');
  }
  add_text(input_name, text);
}

Report Checker::finish() { return impl_->finish(); }

Severity effective_severity(std::string_view rule_id, const Plan& plan,
                            const CheckOptions& options) {
  const RuleInfo* info = find_rule(rule_id);
  Severity severity = info ? info->default_severity : Severity::error;
  if (auto found = plan.rule_severity.find(std::string(rule_id));
      found != plan.rule_severity.end()) {
    severity = found->second;
  }
  if (options.require_coverage && info && info->group == RuleGroup::coverage) {
    severity = Severity::error;
  }
  if (auto found = options.severity_overrides.find(std::string(rule_id));
      found != options.severity_overrides.end()) {
    severity = found->second;
  }
  return severity;
}

Report check(const Plan& plan, const std::vector<harness::Event>& events, CheckOptions options) {
  Checker checker(plan, std::move(options));
  checker.add_events("events", events);
  return checker.finish();
}

}  // namespace flowproof::conformance
