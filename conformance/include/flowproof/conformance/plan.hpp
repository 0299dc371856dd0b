// flowproof/conformance/plan.hpp — the tracking plan (docs/contract/plan-format.md), loaded and
// validated as a whole.
//
//   Plan plan = load_plan("cli.plan.json");        // throws PlanError listing every problem
//   const Flow& create = *plan.find_flow("application_create");
//   harness::FlowTracker tracker(&client, create.definition());
#pragma once

#include <flowproof/harness/flow.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flowproof::conformance {

class Schema;  // a compiled JSON Schema (internal)
class Regex;   // a compiled RE2 expression (internal)

enum class Severity { off, warning, error };
std::string_view to_string(Severity severity);
/// Parses "error", "warning" or "off"; nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view text);

enum class TerminalKind { completed, aborted, failed };
std::string_view to_string(TerminalKind kind);

/// One problem of a plan, at a JSON pointer.
struct PlanProblem {
  std::string pointer;  ///< e.g. /flows/application_create/aborted/schema/properties/reason
  std::string message;  ///< e.g. unknown keyword "enumm"
};

/// A plan that breaks the contract; what() lists every problem as "FILE: POINTER: MESSAGE".
class PlanError : public std::runtime_error {
 public:
  PlanError(std::string source, std::vector<PlanProblem> problems);
  const std::string& source() const { return source_; }
  const std::vector<PlanProblem>& problems() const { return problems_; }

 private:
  std::string source_;
  std::vector<PlanProblem> problems_;
};

/// `{"event": NAME, "schema": ...}`.
struct EventDeclaration {
  std::string name;
  std::string pointer;                   ///< where it is declared in the plan
  std::shared_ptr<const Schema> schema;  ///< null when none was given
  nlohmann::json schema_json;            ///< the schema as written (for docs and generators)
};

struct Implication {
  TerminalKind terminal;
  nlohmann::json properties = nlohmann::json::object();  ///< property -> exact value
};

struct IntermediateEvent : EventDeclaration {
  std::optional<Implication> implies;
};

struct DurationRule {
  std::string property = "duration_ms";
  /// The terminal kinds that must carry the property. nullopt: every terminal the flow declares
  /// (load_plan writes them out when the plan leaves `on` out); empty (`"on": []`): none must,
  /// and a value is still checked wherever present.
  std::optional<std::vector<TerminalKind>> on;
  std::int64_t tolerance_ms = 1000;
  std::int64_t max_ms = 86'400'000;

  /// Whether a terminal of this kind must carry the property.
  bool required_on(TerminalKind kind) const;
};

struct Flow {
  std::string id;
  std::string pointer;  ///< /flows/ID
  EventDeclaration started;
  std::optional<EventDeclaration> completed, aborted, failed;
  std::vector<std::string> steps;
  std::vector<std::string> reasons;
  std::string step_property = "step";
  std::string reason_property = "reason";
  std::string error_property = "error_class";
  bool reason_required = true;
  std::string error_class_pattern;           ///< the expression as written (or the default)
  std::shared_ptr<const Regex> error_class;  ///< compiled, matched in full
  std::vector<IntermediateEvent> events;
  std::optional<DurationRule> duration;
  std::vector<std::string> contains;

  const EventDeclaration* terminal(TerminalKind kind) const;
  /// Declared terminal kinds, in the order completed, aborted, failed.
  std::vector<TerminalKind> terminal_kinds() const;
  /// The harness's view of this flow, for FlowTracker.
  harness::FlowDefinition definition() const;
};

struct InvocationSpec {
  std::string key;                   ///< JSON pointer, e.g. /properties/invocation_id
  std::optional<std::string> order;  ///< JSON pointer to an integer sequence
  std::string timestamp = "/timestamp";
  std::int64_t sequence_start = 1;
};

struct Waiver {
  std::string rule;
  std::optional<std::string> flow;
  std::optional<std::string> event;
  std::string why;
  std::string pointer;  ///< /waivers/N
};

struct PiiRules {
  std::vector<std::string> deny_keys;
  /// name -> (expression as written, compiled). Searched unanchored.
  std::vector<std::pair<std::string, std::string>> deny_patterns;
  std::vector<std::shared_ptr<const Regex>> compiled_patterns;  ///< parallel to deny_patterns
  std::vector<std::string> allow_keys;
  bool built_in = false;  ///< true when the plan had no `pii` and the default applies
};

/// Where an event name belongs in the plan.
struct EventRole {
  enum class Kind { started, completed, aborted, failed, intermediate, standalone };
  Kind kind;
  int flow = -1;   ///< index into Plan::flows; -1 for standalone
  int index = -1;  ///< index into Flow::events (intermediate) or Plan::events (standalone)
  const EventDeclaration* declaration = nullptr;
};

struct Plan {
  Plan() = default;
  /// Copies rebuild the event index (it points into this plan's own flows and events).
  /// (A member added to Plan must be added to this constructor in plan.cpp too.)
  Plan(const Plan& other);
  Plan& operator=(const Plan& other);
  Plan(Plan&&) noexcept = default;
  Plan& operator=(Plan&&) noexcept = default;

  std::string name;
  std::string source;  ///< path or name it was loaded from
  std::string sha256;  ///< of the plan's bytes, lower-case hex
  InvocationSpec invocation;
  std::shared_ptr<const Schema> base_properties;  ///< null when none declared
  nlohmann::json base_properties_json;            ///< as written, with `required`
  std::vector<std::string> invocation_constant;
  std::vector<Flow> flows;               ///< in the order the plan lists them
  std::vector<EventDeclaration> events;  ///< standalone events
  nlohmann::json definitions = nlohmann::json::object();
  PiiRules pii;
  std::map<std::string, Severity> rule_severity;  ///< from the plan's `rules`
  std::vector<Waiver> waivers;

  const Flow* find_flow(std::string_view id) const;
  int flow_index(std::string_view id) const;  ///< -1 when absent
  const EventRole* find_event(std::string_view name) const;
  /// Every declared event name with its role: what find_event() answers from (in no order).
  std::vector<std::pair<std::string_view, const EventRole*>> event_roles() const;

  /// Fills the event-name index; parse_plan calls it. Call again after editing flows by hand.
  void build_index();

 private:
  // Transparent hashing: find_event looks a string_view up without building a std::string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  std::unordered_map<std::string, EventRole, NameHash, std::equal_to<>> event_index_;
};

/// Parses and validates a plan; throws PlanError naming every problem with its JSON pointer.
Plan parse_plan(std::string_view text, std::string source = "<plan>");
/// Reads and parses a plan file; throws PlanError (an unreadable file is a problem at pointer "").
Plan load_plan(const std::filesystem::path& path);

/// A human-readable listing of the plan's flows, events, steps and reasons (`flowproof plan lint`).
std::string describe_plan(const Plan& plan);

}  // namespace flowproof::conformance
