// mutators.cpp — stream analysis, one-violation mutators per rule, valid streams and random plans
// for the checker's self-test.
#include <flowproof/properties/mutators.hpp>

#include <flowproof/conformance/generator.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

namespace flowproof::properties {
namespace {

using conformance::EventRole;
using conformance::Plan;
using conformance::TerminalKind;
using harness::Event;
using nlohmann::json;

std::string property_of(const std::string& pointer) {
  const std::string prefix = "/properties/";
  if (pointer.rfind(prefix, 0) != 0) return {};
  std::string name = pointer.substr(prefix.size());
  return name.find('/') == std::string::npos ? name : std::string();
}

std::string invocation_of(const Plan& plan, const Event& event) {
  const std::string key = property_of(plan.invocation.key);
  if (key.empty() || !event.properties.contains(key)) return {};
  return event.properties[key].dump();
}

bool is_track(const Event& event) { return event.type == harness::EventType::track; }

void renumber(const Plan& plan, std::vector<Event>& events, const std::string& invocation) {
  const std::string order = plan.invocation.order ? property_of(*plan.invocation.order) : "";
  if (order.empty()) return;
  std::int64_t next = plan.invocation.sequence_start;
  for (auto& event : events) {
    if (is_track(event) && invocation_of(plan, event) == invocation)
      event.properties[order] = next++;
  }
}

// Copies the base properties (and the key and order) of `from` onto `to`.
void copy_base(const Plan& plan, const Event& from, Event& to) {
  std::vector<std::string> names;
  if (plan.base_properties_json.contains("properties")) {
    for (const auto& [name, schema] : plan.base_properties_json["properties"].items()) {
      names.push_back(name);
    }
  }
  names.push_back(property_of(plan.invocation.key));
  if (plan.invocation.order) names.push_back(property_of(*plan.invocation.order));
  for (const auto& name : names) {
    if (name.empty()) continue;
    if (from.properties.contains(name)) {
      to.properties[name] = from.properties[name];
    } else {
      to.properties.erase(name);
    }
  }
}

template <class T>
std::optional<T> pick(const std::vector<T>& candidates, std::size_t choice) {
  if (candidates.empty()) return std::nullopt;
  return candidates[choice % candidates.size()];
}

bool has_implication(const Plan& plan, const std::vector<Event>& events,
                     const StreamInstance& instance) {
  const auto& flow = plan.flows[static_cast<std::size_t>(instance.flow)];
  for (auto index : instance.intermediates) {
    for (const auto& declared : flow.events) {
      if (declared.name == events[index].name && declared.implies) return true;
    }
  }
  return false;
}

bool duration_applies(const conformance::Flow& flow, TerminalKind kind) {
  if (!flow.duration) return false;
  return flow.duration->required_on(kind);
}

// Property names the checker looks at itself; a schema mutation must not touch them.
bool checked_by_flow_rules(const conformance::Flow& flow, const std::string& name) {
  return name == flow.step_property || name == flow.reason_property ||
         name == flow.error_property || (flow.duration && name == flow.duration->property);
}

std::vector<std::string> required_of(const json& schema) {
  std::vector<std::string> out;
  if (schema.is_object() && schema.contains("required") && schema["required"].is_array()) {
    for (const auto& name : schema["required"]) {
      if (name.is_string()) out.push_back(name.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::vector<StreamInstance> analyse_stream(const Plan& plan, const std::vector<Event>& events) {
  std::vector<StreamInstance> instances;
  std::map<std::string, std::vector<std::size_t>> open;  // invocation -> open instance indices
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!is_track(events[i])) continue;
    const EventRole* role = plan.find_event(events[i].name);
    if (role == nullptr || role->flow < 0) continue;
    const std::string invocation = invocation_of(plan, events[i]);
    auto& stack = open[invocation];
    const auto find_open = [&]() -> std::optional<std::size_t> {
      for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        if (instances[*it].flow == role->flow) return static_cast<std::size_t>(it - stack.rbegin());
      }
      return std::nullopt;
    };
    switch (role->kind) {
      case EventRole::Kind::started: {
        StreamInstance instance;
        instance.invocation = invocation;
        instance.flow = role->flow;
        instance.started = i;
        if (!stack.empty()) {
          instance.parent = stack.back();
          instances[stack.back()].has_children = true;
        }
        stack.push_back(instances.size());
        instances.push_back(instance);
        break;
      }
      case EventRole::Kind::completed:
      case EventRole::Kind::aborted:
      case EventRole::Kind::failed: {
        const auto from_back = find_open();
        if (!from_back) break;
        const std::size_t position = stack.size() - 1 - *from_back;
        StreamInstance& instance = instances[stack[position]];
        instance.terminal = i;
        instance.kind = role->kind == EventRole::Kind::completed ? TerminalKind::completed
                        : role->kind == EventRole::Kind::aborted ? TerminalKind::aborted
                                                                 : TerminalKind::failed;
        stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(position));
        break;
      }
      case EventRole::Kind::intermediate: {
        const auto from_back = find_open();
        if (from_back) instances[stack[stack.size() - 1 - *from_back]].intermediates.push_back(i);
        break;
      }
      case EventRole::Kind::standalone:
        break;
    }
  }
  return instances;
}

const std::vector<std::string>& mutation_rules() {
  static const std::vector<std::string> rules = {"FP003", "FP004", "FP005", "FP006", "FP007",
                                                 "FP101", "FP102", "FP103", "FP104", "FP105",
                                                 "FP106", "FP107", "FP108", "FP109", "FP110"};
  return rules;
}

std::optional<std::vector<Event>> inject_violation(const Plan& plan, std::vector<Event> events,
                                                   const std::string& rule, std::size_t choice) {
  const std::vector<StreamInstance> instances = analyse_stream(plan, events);
  const std::string order = plan.invocation.order ? property_of(*plan.invocation.order) : "";
  const std::string key = property_of(plan.invocation.key);
  const auto flow_of = [&plan](const StreamInstance& instance) -> const conformance::Flow& {
    return plan.flows[static_cast<std::size_t>(instance.flow)];
  };
  const auto complete = [](const StreamInstance& instance) {
    return instance.terminal.has_value();
  };

  // Indices of the track events of each invocation, in order.
  std::map<std::string, std::vector<std::size_t>> by_invocation;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (is_track(events[i])) by_invocation[invocation_of(plan, events[i])].push_back(i);
  }
  std::vector<std::string> invocations;
  for (const auto& [invocation, indices] : by_invocation) {
    if (!invocation.empty() && indices.size() >= 2) invocations.push_back(invocation);
  }

  const auto insert = [&](std::size_t at, Event event, const std::string& invocation) {
    events.insert(events.begin() + static_cast<std::ptrdiff_t>(at), std::move(event));
    renumber(plan, events, invocation);
    return events;
  };

  if (rule == "FP003" || rule == "FP004") {
    if (order.empty()) return std::nullopt;
    const auto invocation = pick(invocations, choice);
    if (!invocation) return std::nullopt;
    const auto& indices = by_invocation[*invocation];
    Event& last = events[indices.back()];
    if (rule == "FP003") {
      last.properties[order] = events[indices[indices.size() - 2]].properties[order];
    } else {
      last.properties[order] = last.properties[order].get<std::int64_t>() + 1;
    }
    return events;
  }
  if (rule == "FP005") {
    const auto invocation = pick(invocations, choice);
    if (!invocation) return std::nullopt;
    const std::size_t at = by_invocation[*invocation].front();
    Event unknown;
    unknown.name = "Zz Undeclared Event";
    unknown.timestamp = events[at].timestamp;
    copy_base(plan, events[at], unknown);
    return insert(at + 1, std::move(unknown), *invocation);
  }
  if (rule == "FP006") {
    std::vector<std::pair<std::size_t, std::string>> candidates;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (!is_track(events[i])) continue;
      const EventRole* role = plan.find_event(events[i].name);
      if (role == nullptr || role->declaration == nullptr) continue;
      for (const auto& name : required_of(role->declaration->schema_json)) {
        if (role->flow >= 0 &&
            checked_by_flow_rules(plan.flows[static_cast<std::size_t>(role->flow)], name)) {
          continue;
        }
        if (events[i].properties.contains(name)) candidates.emplace_back(i, name);
      }
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    events[chosen->first].properties.erase(chosen->second);
    return events;
  }
  if (rule == "FP007") {
    std::vector<std::pair<std::size_t, std::string>> candidates;
    const json& base = plan.base_properties_json.contains("properties")
                           ? plan.base_properties_json["properties"]
                           : json::object();
    for (const auto& name : plan.invocation_constant) {
      if (name == key || name == order) continue;
      const json schema = base.contains(name) ? base[name] : json::object();
      if (schema.contains("pattern") || schema.contains("enum") || schema.contains("const") ||
          schema.contains("maxLength")) {
        continue;
      }
      for (const auto& invocation : invocations) {
        const std::size_t last = by_invocation[invocation].back();
        if (events[last].properties.contains(name)) candidates.emplace_back(last, name);
      }
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    json& value = events[chosen->first].properties[chosen->second];
    if (value.is_string()) {
      value = value.get<std::string>() + "-changed";
    } else if (value.is_array()) {
      value.push_back("changed");
    } else if (value.is_null()) {
      const json schema = base.contains(chosen->second) ? base[chosen->second] : json::object();
      const json type = schema.value("type", json());
      const bool array = type == "array" || (type.is_array() && std::find(type.begin(), type.end(),
                                                                          "array") != type.end());
      value = array ? json::array({"changed"}) : json("changed");
    } else if (value.is_number_integer()) {
      value = value.get<std::int64_t>() + 1;
    } else {
      return std::nullopt;
    }
    return events;
  }
  if (rule == "FP101") {
    // A copy of a terminal, before anything else of its invocation happened.
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      if (complete(instances[i])) candidates.push_back(i);
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[*chosen];
    const std::size_t first = by_invocation[instance.invocation].front();
    Event orphan = events[*instance.terminal];
    return insert(first, std::move(orphan), instance.invocation);
  }
  if (rule == "FP102") {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      if (complete(instances[i]) && !instances[i].has_children) candidates.push_back(i);
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[*chosen];
    // A second Started while the first instance is open.
    return insert(instance.started + 1, events[instance.started], instance.invocation);
  }
  if (rule == "FP103") {
    // A leaf instance whose flow is not started again later in its invocation (that Started would
    // come while the instance is still open: FP102), and after whose terminal nothing else starts
    // before its container ends (that would be nested inside it: FP110, or FP102).
    const auto started_again = [&instances](const StreamInstance& instance) {
      const std::size_t open_until = instance.parent && instances[*instance.parent].terminal
                                         ? *instances[*instance.parent].terminal
                                         : std::numeric_limits<std::size_t>::max();
      return std::any_of(instances.begin(), instances.end(), [&](const StreamInstance& other) {
        if (other.invocation != instance.invocation || other.started <= instance.started) {
          return false;
        }
        return other.flow == instance.flow ||
               (other.started > *instance.terminal && other.started < open_until);
      });
    };
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      if (complete(instances[i]) && !instances[i].has_children && !started_again(instances[i])) {
        candidates.push_back(i);
      }
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[*chosen];
    const std::string invocation = instance.invocation;
    events.erase(events.begin() + static_cast<std::ptrdiff_t>(*instance.terminal));
    renumber(plan, events, invocation);
    return events;
  }
  if (rule == "FP104") {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      if (complete(instances[i])) candidates.push_back(i);
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[*chosen];
    return insert(*instance.terminal + 1, events[*instance.terminal], instance.invocation);
  }
  if (rule == "FP105" || rule == "FP106" || rule == "FP107" || rule == "FP108") {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      const StreamInstance& instance = instances[i];
      if (!complete(instance) || has_implication(plan, events, instance)) continue;
      const bool fits = rule == "FP105"   ? instance.kind != TerminalKind::completed
                        : rule == "FP106" ? instance.kind == TerminalKind::aborted
                        : rule == "FP107" ? instance.kind == TerminalKind::failed
                                          : duration_applies(flow_of(instance), instance.kind);
      if (fits) candidates.push_back(i);
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[*chosen];
    const conformance::Flow& flow = flow_of(instance);
    json& properties = events[*instance.terminal].properties;
    if (rule == "FP105") properties[flow.step_property] = "zz_no_such_step";
    if (rule == "FP106") properties[flow.reason_property] = "zz_no_such_reason";
    if (rule == "FP107") {
      properties[flow.error_property] = "connection refused: dial tcp 10.0.0.1:443";
    }
    if (rule == "FP108") properties[flow.duration->property] = flow.duration->max_ms + 1;
    return events;
  }
  if (rule == "FP109") {
    // An implying intermediate (copied from elsewhere) into an instance whose terminal differs.
    std::vector<std::pair<std::size_t, std::size_t>> candidates;  // (instance, event to copy)
    for (std::size_t i = 0; i < instances.size(); ++i) {
      const StreamInstance& instance = instances[i];
      if (!complete(instance) || has_implication(plan, events, instance)) continue;
      for (const auto& declared : flow_of(instance).events) {
        if (!declared.implies || declared.implies->terminal == instance.kind) continue;
        for (std::size_t e = 0; e < events.size(); ++e) {
          if (is_track(events[e]) && events[e].name == declared.name) {
            candidates.emplace_back(i, e);
            break;
          }
        }
      }
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& instance = instances[chosen->first];
    Event intermediate = events[chosen->second];
    intermediate.timestamp = events[instance.started].timestamp;
    copy_base(plan, events[instance.started], intermediate);
    return insert(instance.started + 1, std::move(intermediate), instance.invocation);
  }
  if (rule == "FP110") {
    // A complete leaf instance of flow B copied into an open instance of A that does not contain B.
    std::vector<std::pair<std::size_t, std::size_t>> candidates;  // (host, guest)
    for (std::size_t host = 0; host < instances.size(); ++host) {
      if (!complete(instances[host])) continue;
      const auto& contains = flow_of(instances[host]).contains;
      for (std::size_t guest = 0; guest < instances.size(); ++guest) {
        const StreamInstance& g = instances[guest];
        if (!complete(g) || g.has_children || g.flow == instances[host].flow) continue;
        const std::string& guest_id = flow_of(g).id;
        if (std::find(contains.begin(), contains.end(), guest_id) != contains.end()) continue;
        // No instance of the guest's flow may be open right after the host's Started.
        bool open = false;
        for (const auto& other : instances) {
          if (other.invocation == instances[host].invocation && other.flow == g.flow &&
              other.started <= instances[host].started &&
              (!other.terminal || *other.terminal > instances[host].started)) {
            open = true;
          }
        }
        if (!open) candidates.emplace_back(host, guest);
      }
    }
    const auto chosen = pick(candidates, choice);
    if (!chosen) return std::nullopt;
    const StreamInstance& host = instances[chosen->first];
    const StreamInstance& guest = instances[chosen->second];
    std::vector<Event> copy;
    copy.push_back(events[guest.started]);
    for (auto index : guest.intermediates) copy.push_back(events[index]);
    copy.push_back(events[*guest.terminal]);
    for (auto& event : copy) copy_base(plan, events[host.started], event);
    const std::string invocation = host.invocation;
    events.insert(events.begin() + static_cast<std::ptrdiff_t>(host.started + 1), copy.begin(),
                  copy.end());
    renumber(plan, events, invocation);
    return events;
  }
  return std::nullopt;
}

rc::Gen<std::vector<Event>> gen_valid_stream(const Plan& plan, int max_events) {
  // The plan is copied: rapidcheck re-runs this generator while shrinking, after the property
  // body that owned the plan (often a local parsed from a drawn text) has returned.
  auto owned = std::make_shared<const Plan>(plan);
  return rc::gen::exec([owned, max_events] {
    const Plan& plan = *owned;
    // Drawn at the nominal size: rapidcheck scales inRange by the case's size, which kept every
    // stream under a third of max_events (and the seed at 1 in the smallest cases), too short to
    // offer a place for the rarer rules (FP109 needs a declined-terms event and a second instance).
    conformance::GeneratorOptions options;
    options.events = static_cast<std::uint64_t>(
        *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(2, std::max(3, max_events + 1))));
    options.seed =
        *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<std::uint64_t>(1, 1'000'000));
    options.interleave = 1;
    std::ostringstream out;
    conformance::generate_stream(plan, options, out);
    std::vector<Event> events;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) events.push_back(harness::event_from_json(json::parse(line)));
    }
    return events;
  });
}

rc::Gen<std::string> gen_plan_text() {
  // At the nominal size: rapidcheck scales inRange by the case's size, which kept every plan at
  // one or two flows with one step. Shrinking still goes towards the smallest plan.
  return rc::gen::resize(
      rc::kNominalSize, rc::gen::exec([] {
        const int flow_count = *rc::gen::inRange(1, 5);
        const bool root_contains = *rc::gen::arbitrary<bool>();
        json flows = json::object();
        std::vector<std::string> ids;
        for (int f = 0; f < flow_count; ++f) ids.push_back("flow_" + std::to_string(f));
        for (int f = 0; f < flow_count; ++f) {
          const std::string& id = ids[static_cast<std::size_t>(f)];
          const std::string title = "Flow " + std::to_string(f);
          // at least one terminal kind; completed is drawn like the others
          bool completed = *rc::gen::arbitrary<bool>();
          bool aborted = *rc::gen::arbitrary<bool>();
          bool failed = *rc::gen::arbitrary<bool>();
          if (!completed && !aborted && !failed) completed = true;
          const json required_mode = {{"type", "object"},
                                      {"properties", {{"mode", {{"enum", {"a", "b"}}}}}},
                                      {"required", {"mode"}}};
          const auto schema = [&] {
            return *rc::gen::arbitrary<bool>() ? required_mode : json{{"type", "object"}};
          };
          json flow = {{"started", {{"event", title + " Started"}, {"schema", schema()}}}};
          if (completed)
            flow["completed"] = {{"event", title + " Completed"}, {"schema", schema()}};
          if (aborted) flow["aborted"] = {{"event", title + " Aborted"}, {"schema", schema()}};
          if (failed) flow["failed"] = {{"event", title + " Failed"}, {"schema", schema()}};
          std::vector<std::string> steps, reasons;
          if (aborted || failed) {
            const int count = *rc::gen::inRange(1, 5);
            for (int s = 0; s < count; ++s) steps.push_back("step_" + std::to_string(s));
            flow["steps"] = steps;
          }
          if (aborted) {
            const int count = *rc::gen::inRange(1, 4);
            for (int r = 0; r < count; ++r) reasons.push_back("reason_" + std::to_string(r));
            flow["reasons"] = reasons;
          }
          json events = json::object();
          if (*rc::gen::arbitrary<bool>()) {
            events[title + " Noted"] = {{"schema", schema()}};
          }
          if (aborted && *rc::gen::arbitrary<bool>()) {
            events[title + " Declined"] = {
                {"schema", schema()},
                {"implies",
                 {{"terminal", "aborted"},
                  {"properties", {{"step", steps[0]}, {"reason", reasons[0]}}}}}};
          }
          if (!events.empty()) flow["events"] = events;
          if (*rc::gen::arbitrary<bool>()) {
            flow["duration"] = {{"property", "duration_ms"},
                                {"tolerance_ms", *rc::gen::inRange(0, 2000)}};
          }
          if (f == 0 && root_contains && flow_count > 1) {
            flow["contains"] = std::vector<std::string>(ids.begin() + 1, ids.end());
          }
          flows[id] = flow;
        }
        json plan = {{"flowproof_plan", 1},
                     {"name", "generated"},
                     {"invocation",
                      {{"key", "/properties/invocation_id"}, {"order", "/properties/sequence"}}},
                     {"base_properties",
                      {{"properties",
                        {{"invocation_id", {{"type", "string"}}},
                         {"sequence", {{"type", "integer"}, {"minimum", 1}}},
                         {"command", {{"type", "string"}}}}},
                       {"required", {"invocation_id", "sequence", "command"}}}},
                     {"invocation_constant", {"invocation_id", "command"}},
                     {"flows", flows}};
        return plan.dump(2);
      }));
}

std::set<std::string> reported_rules(const conformance::Report& report) {
  std::set<std::string> rules;
  for (const auto& violation : report.violations) rules.insert(violation.rule);
  return rules;
}

}  // namespace flowproof::properties
