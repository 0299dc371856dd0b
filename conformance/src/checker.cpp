// checker.cpp — the Checker: reads inputs, checks each event's envelope (FP001, FP002, FP005,
// FP006, FP008) as it is read, hands a small record to the rule engine, and builds the Report
// (coverage, waivers, summary). See docs/checker.md.
#include <flowproof/conformance/checker.hpp>

#include "engine.hpp"
#include "memo.hpp"
#include "normalize.hpp"
#include "pii.hpp"
#include "reader.hpp"
#include "reporter_formats.hpp"
#include "schema.hpp"

#include <flowproof/conformance/rules.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
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

// JSON text of a value with every string written byte for byte (append_json_string), for an event
// nlohmann will not dump (a string that is not valid UTF-8): the reader then reports it (FP001)
// exactly as it reports the same bytes read from a file, where check() used to throw nlohmann's
// type_error.316.
void append_raw_json(const nlohmann::json& value, std::string& out) {
  if (value.is_object() || value.is_array()) {
    const bool object = value.is_object();
    out.push_back(object ? '{' : '[');
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      if (!first) out.push_back(',');
      first = false;
      if (object) {
        detail::append_json_string(key, out);
        out.push_back(':');
      }
      append_raw_json(member, out);
    }
    out.push_back(object ? '}' : ']');
  } else if (value.is_string()) {
    detail::append_json_string(value.get_ref<const std::string&>(), out);
  } else {
    out += value.dump();
  }
}

}  // namespace

std::string_view version() { return FLOWPROOF_VERSION; }

struct Checker::Impl final : detail::ReaderSink {
  static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};

  // One schema's member checks during walk_properties() (when the role's table walks it).
  struct SchemaWalk {
    ObjectSchema::State state;
    std::vector<SchemaError> errors;
    void start() {
      state = {};
      errors.clear();
    }
  };

  // What walk_properties needs to know about a member's key, for every name one of the role's
  // schemas or the record mentions: a small open-addressing table, looked up once per member.
  struct PropertyTable {
    struct Slot {
      std::string name;
      bool used = false;
      ObjectSchema::Entry base = nullptr;         ///< base->find(name)
      ObjectSchema::Entry own = nullptr;          ///< own->find(name)
      ObjectSchema::Quick base_quick, own_quick;  ///< their quick checks, when they have one
      std::uint32_t wanted = kNoSlot;             ///< index into wanted_names
      detail::PiiScanner::KeyRule pii = detail::PiiScanner::KeyRule::scan;
    };
    const ObjectSchema* base = nullptr;  ///< the base-property schema, when walked
    const ObjectSchema* own = nullptr;   ///< the event's own schema, when walked
    std::vector<Slot> slots;             ///< a power of two in size, at most half full
    Slot unknown;                        ///< the quick checks of any other name
    std::uint64_t mask = 0;

    void build(const ObjectSchema* base_in, const ObjectSchema* own_in,
               const std::vector<std::string>& wanted, const detail::PiiScanner& scanner) {
      base = base_in;
      own = own_in;
      std::vector<std::string_view> names(wanted.begin(), wanted.end());
      for (const ObjectSchema* schema : {base, own}) {
        if (schema == nullptr) continue;
        for (std::string_view name : schema->names()) names.push_back(name);
      }
      if (base) unknown.base_quick = base->quick(nullptr);
      if (own) unknown.own_quick = own->quick(nullptr);
      std::size_t size = 8;
      while (size < 2 * names.size()) size *= 2;
      slots.assign(size, Slot{});
      mask = size - 1;
      for (std::string_view name : names) {
        Slot* slot = place(name);
        if (slot->used) continue;
        slot->used = true;
        slot->name = std::string(name);
        slot->base = base ? base->find(name) : nullptr;
        slot->own = own ? own->find(name) : nullptr;
        if (base) slot->base_quick = base->quick(slot->base);
        if (own) slot->own_quick = own->quick(slot->own);
        for (std::size_t i = 0; i < wanted.size(); ++i) {
          if (wanted[i] == name) {
            slot->wanted = static_cast<std::uint32_t>(i);
            break;
          }
        }
        slot->pii = scanner.key_rule(name);
      }
    }

    // Where a key's search starts: its head, mixed so that the top bits (the index) depend on
    // every byte of it.
    static std::uint64_t start(std::string_view key) {
      return (detail::text_head(key) * 0x9E3779B97F4A7C15ull) >> 40;
    }

    // The slot holding `name`, or the empty one where it would go.
    Slot* place(std::string_view name) {
      for (std::uint64_t i = start(name);; ++i) {
        Slot& slot = slots[i & mask];
        if (!slot.used || detail::same_text(slot.name, name)) return &slot;
      }
    }

    const Slot* find(std::string_view key) const {
      for (std::uint64_t i = start(key);; ++i) {
        const Slot& slot = slots[i & mask];
        if (!slot.used) return nullptr;
        if (detail::same_text(slot.name, key)) return &slot;
      }
    }
  };

  // The plan's event roles by name, each with its PropertyTable once built: one look-up per event
  // in a small open-addressing table (Plan::find_event's unordered_map hashes with std::hash and
  // divides by a prime). Built from the plan when the checker is made; a name it does not hold is
  // an event the plan does not declare.
  struct RoleIndex {
    struct Slot {
      std::uint64_t hash = 0;
      std::string_view name;            ///< into the plan
      const EventRole* role = nullptr;  ///< null: the slot is free
      PropertyTable* table = nullptr;   ///< the role's table, once table_for() built it
    };
    std::vector<Slot> slots;
    std::uint64_t mask = 0;

    explicit RoleIndex(const Plan& plan) {
      const auto roles = plan.event_roles();  // names are unique: the plan's index holds them
      std::size_t size = 16;
      while (size < 2 * roles.size()) size *= 2;
      slots.assign(size, Slot{});
      mask = size - 1;
      for (const auto& [name, role] : roles) {
        const std::uint64_t hash = hash_of(name);
        std::uint64_t i = hash;
        while (slots[i & mask].role != nullptr) ++i;
        slots[i & mask] = Slot{hash, name, role, nullptr};
      }
    }

    // A hash of the name's size and its first and last eight bytes (two loads, no loop): event
    // names are few and differ there, and a collision only costs a comparison.
    static std::uint64_t hash_of(std::string_view name) {
      std::uint64_t h = detail::text_head(name);
      if (name.size() > 8) {
        std::uint64_t first, last;
        std::memcpy(&first, name.data(), 8);
        std::memcpy(&last, name.data() + name.size() - 8, 8);
        h ^= (first * 0x9E3779B97F4A7C15ull) ^ (last * 0xC2B2AE3D27D4EB4Full);
      }
      h *= 0x9E3779B97F4A7C15ull;
      return h ^ (h >> 32);
    }

    Slot* find(std::string_view name) {
      const std::uint64_t hash = hash_of(name);
      for (std::uint64_t i = hash;; ++i) {
        Slot& slot = slots[i & mask];
        if (slot.role == nullptr) return nullptr;
        if (slot.hash == hash && detail::same_text(slot.name, name)) return &slot;
      }
    }
  };

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
        last_progress(started_at),
        roles(plan) {
    if (plan.invocation.order) order_pointer = detail::CompiledPointer(*plan.invocation.order);
    if (const std::string* name = key_pointer.property_key()) key_slot = want(*name);
    if (order_pointer) {
      if (const std::string* name = order_pointer->property_key()) order_slot = want(*name);
    }
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
                     const std::string_view* invocation) {
    Violation v;
    if (invocation) v.invocation = *invocation;
    if (role && role->flow >= 0) v.flow = plan.flows[static_cast<std::size_t>(role->flow)].id;
    v.event = std::string(event.name);
    v.at.push_back(Location{inputs[current_input], line, std::nullopt});
    if (has_sequence) v.at.back().sequence = sequence;
    return v;
  }

  // A property's value into a record field: a string as a view into the document (valid for
  // this event; the engine keeps what it holds longer), anything else as canonical JSON.
  static void fill(simdjson::dom::element value, detail::Field& field) {
    std::string_view text;
    if (value.get(text) == simdjson::SUCCESS) {
      field.set_string(text);
    } else {
      field.set_other([&](std::string& out) { detail::append_canonical(value, out); });
    }
  }

  // The slot of a property the record needs (constants, terminal properties).
  std::uint32_t want(const std::string& name) {
    for (std::uint32_t i = 0; i < wanted_names.size(); ++i) {
      if (wanted_names[i] == name) return i;
    }
    wanted_names.push_back(name);
    return static_cast<std::uint32_t>(wanted_names.size() - 1);
  }

  // One walk over `properties` for everything the event path needs from them: the wanted
  // properties (the first of each name, as a look-up by name finds), the member checks of both
  // schemas when they are plain object schemas (Schema::object_schema), and the personal-data scan.
  // Each member's key is looked up once, in the role's PropertyTable, which it returns. What the
  // walk finds is reported afterwards, in the order the rules are checked.
  const PropertyTable& walk_properties(const detail::EventView& event, RoleIndex::Slot* role) {
    std::fill(wanted_found.begin(), wanted_found.end(), 0);
    const PropertyTable& table = table_for(role);
    base_walk.start();
    own_walk.start();
    pii_findings.clear();
    if (!event.has_properties) return table;
    // Copied out first: value_unsafe() on a temporary result returns a reference into it.
    const simdjson::dom::object properties = event.properties.get_object().value_unsafe();
    for (auto field : properties) {
      const std::string_view key = field.key;
      const PropertyTable::Slot* slot = table.find(key);
      if (slot != nullptr && slot->wanted != kNoSlot && !wanted_found[slot->wanted]) {
        wanted_found[slot->wanted] = 1;
        wanted_values[slot->wanted] = field.value;
      }
      // A key no schema or record mentions has the quick check of an unknown name.
      const PropertyTable::Slot& quick = slot != nullptr ? *slot : table.unknown;
      if (table.base) {
        table.base->check(base_walk.state, slot ? slot->base : nullptr, quick.base_quick, key,
                          field.value, base_walk.errors, &pattern_memos);
      }
      if (table.own) {
        table.own->check(own_walk.state, slot ? slot->own : nullptr, quick.own_quick, key,
                         field.value, own_walk.errors, &pattern_memos);
      }
      if (pii_on) {
        pii.scan_member(slot ? slot->pii : pii.key_rule(key), key, field.value, pii_findings);
      }
    }
    return table;
  }

  // The walk's look-up table for an event role (`slot`: the role's place in `roles`, null for an
  // event the plan does not declare), built the first time the role is seen.
  const PropertyTable& table_for(RoleIndex::Slot* slot) {
    PropertyTable*& cached = slot != nullptr ? slot->table : unknown_table;
    if (cached != nullptr) return *cached;
    const EventRole* role = slot != nullptr ? slot->role : nullptr;
    PropertyTable& table = tables.emplace_back();
    const bool schemas = findings.on(Rule::fp006);
    table.build(schemas && plan.base_properties ? plan.base_properties->object_schema() : nullptr,
                schemas && role && role->declaration && role->declaration->schema
                    ? role->declaration->schema->object_schema()
                    : nullptr,
                wanted_names, pii);
    cached = &table;
    return table;
  }

  // A property the walk found (for a pointer that names a member of `properties`) or, for any
  // other pointer, the pointer resolved.
  bool find(const detail::CompiledPointer& pointer, std::uint32_t slot,
            const detail::EventView& event, simdjson::dom::element& out) const {
    if (slot == kNoSlot) return pointer.resolve(event, out);
    if (!wanted_found[slot]) return false;
    out = wanted_values[slot];
    return true;
  }

  void fill_property(std::uint32_t slot, detail::Field& field) {
    field.clear();
    if (wanted_found[slot]) fill(wanted_values[slot], field);
  }

  // FP006 for one schema: finishes the walk's member checks (`walked`: the table's form of the
  // schema), or validates the whole object when the walk did not check it member by member.
  void check_schema(const Schema& schema, const ObjectSchema* walked, SchemaWalk& walk,
                    simdjson::dom::element properties, const detail::EventView& event,
                    std::uint64_t line, const EventRole* role, const std::string_view* invocation,
                    std::string_view what) {
    std::vector<SchemaError>& schema_errors = walk.errors;
    if (walked != nullptr) {
      if (walked->finish(walk.state, properties.get_object().value_unsafe(), schema_errors)) {
        return;
      }
    } else if (schema.validate(properties, schema_errors, &pattern_memos)) {
      return;
    }
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
    RoleIndex::Slot* role_slot = roles.find(event.name);
    const EventRole* role = role_slot != nullptr ? role_slot->role : nullptr;
    has_sequence = false;
    const PropertyTable& table = walk_properties(event, role_slot);
    // FP002: the invocation key (and the order value, when declared) must be there.
    simdjson::dom::element value;
    const bool key_present = find(key_pointer, key_slot, event, value);
    bool key_ok = key_present;
    if (key_ok) {
      std::string_view text;
      if (value.get(text) == simdjson::SUCCESS) {
        key = text;  // a view into the document, valid for this call
      } else if (value.is_number()) {
        number_key.clear();
        detail::append_canonical(value, number_key);
        key = number_key;
      } else {
        key_ok = false;
      }
    }
    if (!key_ok) {
      Violation v = envelope(event, line, role, nullptr);
      if (key_present) {  // there, but neither a string nor a number
        std::string text;
        detail::append_canonical(value, text);
        v.message = json_quoted(event.name) + " has an invocation key " +
                    report_detail::shortened(text, 80) + " at " + plan.invocation.key +
                    " that is not a string or a number";
      } else {
        v.message = json_quoted(event.name) + " has no invocation key " + plan.invocation.key +
                    " (a string or a number)";
      }
      findings.add(Rule::fp002, std::move(v));
      return;
    }
    if (order_pointer) {
      std::optional<std::int64_t> order;
      bool present = find(*order_pointer, order_slot, event, value);
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
                              " at " + order_pointer->text() +
                              (detail::integer_out_of_range(value)
                                   ? " that is out of range (beyond a 64-bit signed integer)"
                                   : " that is not an integer")
                        : json_quoted(event.name) + " has no order value " + order_pointer->text();
        findings.add(Rule::fp002, std::move(v));
        return;
      }
      has_sequence = true;
      sequence = *order;
    }
    std::uint32_t invocation = engine.intern(key);
    const std::string_view invocation_key = key;  // the same text as engine.key(invocation)

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
        check_schema(*plan.base_properties, table.base, base_walk, properties, event, line, role,
                     &invocation_key, "the base-property schema");
      }
      if (role && role->declaration && role->declaration->schema) {
        check_schema(*role->declaration->schema, table.own, own_walk, properties, event, line, role,
                     &invocation_key, "its schema");
      }
    }
    // FP008: personal data anywhere inside the properties (found by the walk).
    if (pii_on) {
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
      if (auto ms = timestamps.read(value)) {
        record.has_timestamp = true;
        record.timestamp = *ms;
      }
    }
    bool is_terminal =
        role && (role->kind == EventRole::Kind::completed ||
                 role->kind == EventRole::Kind::aborted || role->kind == EventRole::Kind::failed);
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
          const simdjson::dom::element value = wanted_values[slots.duration];
          if (auto ms = detail::integer_value(value)) {
            record.duration_is_integer = true;
            record.duration_ms = *ms;
          } else if (detail::integer_out_of_range(value) && value.get_double().value() > 0) {
            // 1e20: an integer, past any max_ms (reported so, not as "not an integer")
            record.duration_is_integer = true;
            record.duration_ms = std::numeric_limits<std::int64_t>::max();
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
  detail::TimestampReader timestamps;  // remembers the last date and hour
  std::chrono::steady_clock::time_point started_at, last_progress;
  std::uint32_t current_input = 0;
  std::uint64_t arrival = 0;
  bool has_sequence = false;
  std::int64_t sequence = 0;
  std::string_view key;    ///< this event's invocation key: into the document or number_key
  std::string number_key;  ///< the canonical text of a number key
  // Properties the record needs, found in one pass per event (see gather()).
  struct TerminalSlots {
    std::uint32_t step = 0, reason = 0, error_class = 0, duration = 0;
    std::vector<std::uint32_t> implied;  ///< parallel to Engine::implied_properties(flow)
  };
  std::vector<std::string> wanted_names;
  std::vector<simdjson::dom::element> wanted_values;
  std::vector<unsigned char> wanted_found;
  std::vector<std::uint32_t> constant_slots;  ///< parallel to Plan::invocation_constant
  std::vector<TerminalSlots> terminal_slots;  ///< per flow
  std::uint32_t key_slot = kNoSlot;           ///< the invocation key's slot, when it is a property
  std::uint32_t order_slot = kNoSlot;         ///< the same for the order value
  SchemaWalk base_walk, own_walk;
  RoleIndex roles;
  std::deque<PropertyTable> tables;        ///< one per role seen; never moves them
  PropertyTable* unknown_table = nullptr;  ///< the table of events the plan does not declare
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
      // The minimum as given (shortest round-trip form); the ratio to six digits unless rounding
      // would make it look no lower than the minimum (0.25 "below" 0.2500001).
      const auto shortest = detail::shortest_text;
      std::ostringstream six;
      six << ratio;
      const std::string ratio_text =
          std::stod(six.str()) < *options.min_coverage ? six.str() : shortest(ratio);
      Violation v;
      v.message = "coverage " + ratio_text + " is below the required minimum " +
                  shortest(*options.min_coverage);
      findings.add(Rule::fp202, severity, std::move(v));
    }
  }

  // Waivers: the first that matches a violation gives its `why`; every one that matches is used
  // (a waiver behind a broader one still matches, so it is not "unused").
  std::vector<Violation>& violations = findings.violations();
  std::vector<bool> used(plan.waivers.size(), false);
  for (Violation& v : violations) {
    for (std::size_t w = 0; w < plan.waivers.size(); ++w) {
      const Waiver& waiver = plan.waivers[w];
      if (waiver.rule != v.rule) continue;
      if (waiver.flow && (!v.flow || *v.flow != *waiver.flow)) continue;
      if (waiver.event && (!v.event || *v.event != *waiver.event)) continue;
      if (!v.waived) {
        v.waived = true;
        v.waiver_why = waiver.why;
      }
      used[w] = true;
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
  engine.outcome_invocations(report.outcome_invocations, report.outcome_invocations_cut);
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
    const nlohmann::json json = segment_json(event);
    try {
      text += json.dump();
    } catch (const nlohmann::json::type_error&) {
      append_raw_json(json, text);  // not valid UTF-8: FP001, as from a file
    }
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
