// schema.cpp — compile_schema: the plan-format.md JSON Schema subset compiled into a tree of small
// checks, validated against simdjson values without allocating unless a value is invalid.
#include "schema.hpp"

#include "json_pointer.hpp"
#include "regex.hpp"

#include <flowproof/conformance/plan.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace flowproof::conformance {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// ---------------------------------------------------------------------------------------------
// Pointers (tokens: json_pointer.hpp)

// A JSON pointer into the validated value, kept on the stack and rendered only for an error.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  std::string render() const {
    std::string tail;
    if (parent == nullptr) return tail;
    tail = parent->render();
    tail += '/';
    tail += is_index ? std::to_string(index) : json_pointer::escape_token(key);
    return tail;
  }
};

// ---------------------------------------------------------------------------------------------
// Numbers, compared exactly across int64, uint64 and double.

struct Number {
  enum class Kind { int64, uint64, real } kind = Kind::int64;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;

  long double as_long_double() const {
    switch (kind) {
      case Kind::int64:
        return static_cast<long double>(i);
      case Kind::uint64:
        return static_cast<long double>(u);
      case Kind::real:
        break;
    }
    return d;
  }
  std::string text() const {
    switch (kind) {
      case Kind::int64:
        return std::to_string(i);
      case Kind::uint64:
        return std::to_string(u);
      case Kind::real:
        break;
    }
    return nlohmann::json(d).dump();
  }
};

int compare(const Number& a, const Number& b) {
  using K = Number::Kind;
  if (a.kind != K::real && b.kind != K::real) {
    if (a.kind == K::int64 && b.kind == K::int64) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    if (a.kind == K::uint64 && b.kind == K::uint64) return a.u < b.u ? -1 : (a.u > b.u ? 1 : 0);
    if (a.kind == K::int64) {  // b is uint64
      if (a.i < 0) return -1;
      const auto au = static_cast<std::uint64_t>(a.i);
      return au < b.u ? -1 : (au > b.u ? 1 : 0);
    }
    return -compare(b, a);
  }
  // long double holds every int64 and uint64 exactly on x86-64; elsewhere this is approximate.
  const long double x = a.as_long_double();
  const long double y = b.as_long_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::optional<Number> number_of(element value) {
  Number n;
  switch (value.type()) {
    case element_type::INT64:
      n.kind = Number::Kind::int64;
      n.i = value.get_int64().value_unsafe();
      return n;
    case element_type::UINT64:
      n.kind = Number::Kind::uint64;
      n.u = value.get_uint64().value_unsafe();
      return n;
    case element_type::DOUBLE:
      n.kind = Number::Kind::real;
      n.d = value.get_double().value_unsafe();
      return n;
    default:
      return std::nullopt;
  }
}

Number number_of(const nlohmann::json& value) {
  Number n;
  if (value.is_number_unsigned()) {
    n.kind = Number::Kind::uint64;
    n.u = value.get<std::uint64_t>();
  } else if (value.is_number_integer()) {
    n.kind = Number::Kind::int64;
    n.i = value.get<std::int64_t>();
  } else {
    n.kind = Number::Kind::real;
    n.d = value.get<double>();
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Types

enum TypeBit : std::uint8_t {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kString = 32,
  kInteger = 64,
};

constexpr std::pair<std::string_view, std::uint8_t> kTypeNames[] = {
    {"null", kNull},     {"boolean", kBoolean}, {"object", kObject},  {"array", kArray},
    {"number", kNumber}, {"string", kString},   {"integer", kInteger}};

bool is_integral(double d) { return std::isfinite(d) && std::floor(d) == d; }

// The name of a value's type for messages: integers (of any representation) are "integer".
std::string_view type_name(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::INT64:
    case element_type::UINT64:
      return "integer";
    case element_type::DOUBLE:
      return "number";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "value";
}

bool type_matches(std::uint8_t types, element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return types & kArray;
    case element_type::OBJECT:
      return types & kObject;
    case element_type::INT64:
    case element_type::UINT64:
      return types & (kNumber | kInteger);
    case element_type::DOUBLE:
      return (types & kNumber) ||
             ((types & kInteger) && is_integral(value.get_double().value_unsafe()));
    case element_type::STRING:
      return types & kString;
    case element_type::BOOL:
      return types & kBoolean;
    case element_type::NULL_VALUE:
      return types & kNull;
  }
  return false;
}

std::string describe_types(std::uint8_t types) {
  std::string out;
  for (const auto& [name, bit] : kTypeNames) {
    if (!(types & bit)) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Equality of a simdjson value and a JSON value (enum, const): numbers compare by value.

bool equals(element value, const nlohmann::json& expected) {
  switch (value.type()) {
    case element_type::STRING: {
      if (!expected.is_string()) return false;
      const std::string_view s = value.get_string().value_unsafe();
      return s == expected.get_ref<const std::string&>();
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return expected.is_number() && compare(*number_of(value), number_of(expected)) == 0;
    case element_type::BOOL:
      return expected.is_boolean() && value.get_bool().value_unsafe() == expected.get<bool>();
    case element_type::NULL_VALUE:
      return expected.is_null();
    case element_type::ARRAY: {
      if (!expected.is_array()) return false;
      std::size_t i = 0;
      // Copied out first: value_unsafe() on a temporary result returns a reference into it.
      const simdjson::dom::array array = value.get_array().value_unsafe();
      for (element item : array) {
        if (i >= expected.size() || !equals(item, expected[i])) return false;
        ++i;
      }
      return i == expected.size();
    }
    case element_type::OBJECT: {
      if (!expected.is_object()) return false;
      std::size_t count = 0;
      const simdjson::dom::object object = value.get_object().value_unsafe();
      for (auto field : object) {
        auto it = expected.find(std::string(field.key));
        if (it == expected.end() || !equals(field.value, *it)) return false;
        ++count;
      }
      return count == expected.size();
    }
  }
  return false;
}

// A value rendered for a message, cut short when long.
std::string show(element value) {
  std::string text = simdjson::minify(value);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// ---------------------------------------------------------------------------------------------
// The compiled tree

struct Node;

struct PropertyEntry {
  std::string name;
  const Node* schema = nullptr;   // null: only required, not described
  int required_slot = -1;         // index into Node::required, or -1
  bool declared_by_plan = false;  // a property the plan itself defines for the event (root only)
};

struct Node {
  std::string pointer;     // where it is in the plan (for compile-time problems)
  bool never = false;      // the schema `false`
  std::uint8_t types = 0;  // 0: any type

  std::optional<nlohmann::json> enum_values;  // an array
  std::string enum_text;                      // rendered once for messages
  std::optional<nlohmann::json> const_value;

  std::optional<Number> minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::optional<std::uint64_t> min_length, max_length;
  std::shared_ptr<const Regex> pattern;

  const Node* items = nullptr;
  std::optional<std::uint64_t> min_items, max_items;

  bool has_object_checks = false;
  std::vector<PropertyEntry> keys;  // sorted by name
  std::vector<std::string> required;
  bool additional_allowed = true;
  const Node* additional = nullptr;

  std::vector<const Node*> any_of;
  const Node* ref = nullptr;
  std::string ref_text;

  // Filled by finish() once the tree is complete, for the event path.
  bool only_ref = false;                  // nothing but a `$ref`: validate the target directly
  bool enum_all_strings = false;          // every enum value is a string: compare texts
  std::vector<std::string> enum_strings;  // those texts, in enum order

  bool has_number_checks() const {
    return minimum || maximum || exclusive_minimum || exclusive_maximum;
  }
  bool has_string_checks() const { return min_length || max_length || pattern; }

  const PropertyEntry* find_key(std::string_view name) const {
    if (keys.size() <= 8) {  // a few properties: sizes first, no string ordering
      for (const PropertyEntry& entry : keys) {
        if (detail::same_text(entry.name, name)) return &entry;
      }
      return nullptr;
    }
    auto it =
        std::lower_bound(keys.begin(), keys.end(), name,
                         [](const PropertyEntry& e, std::string_view n) { return e.name < n; });
    return it != keys.end() && it->name == name ? &*it : nullptr;
  }
};

// Whether a value is a string and one of `candidates` (an `enum` of strings).
bool one_of_strings(const std::vector<std::string>& candidates, element value) {
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) return false;
  for (const std::string& candidate : candidates) {
    if (detail::same_text(candidate, text)) return true;
  }
  return false;
}

// Appends an error when `errors` is set; anyOf probes alternatives with a null sink.
void fail(std::vector<SchemaError>* errors, const Path& path, std::string message) {
  if (errors != nullptr) errors->push_back({path.render(), std::move(message)});
}

bool validate_node(const Node& node, element value, const Path& path,
                   std::vector<SchemaError>* errors, PatternMemos* memos);

// One member of an object against the object keywords of `node`; false when it breaks them.
// validate_object and ObjectSchema::member share it, so both walks give the same errors.
bool validate_member(const Node& node, ObjectSchema::State& state, const PropertyEntry* entry,
                     std::string_view key, element value, const Path& path,
                     std::vector<SchemaError>* errors, PatternMemos* memos) {
  if (entry != nullptr) ObjectSchema::seen_required(state, entry->required_slot);
  if (entry != nullptr && entry->schema != nullptr) {
    const Path child{&path, key};
    return validate_node(*entry->schema, value, child, errors, memos);
  }
  // Defined by the plan for this event (a base property, the invocation key, a terminal's step):
  // checked by the checker's own rules, and never "not allowed" (docs/plan.md).
  if (entry != nullptr && entry->declared_by_plan) return true;
  // Not described by `properties`: additionalProperties decides.
  if (!node.additional_allowed) {
    const Path child{&path, key};
    fail(errors, child, "property \"" + std::string(key) + "\" is not allowed");
    return false;
  }
  if (node.additional != nullptr) {
    const Path child{&path, key};
    return validate_node(*node.additional, value, child, errors, memos);
  }
  return true;
}

// `required`, once every member has been seen; false when a name is missing.
bool validate_required(const Node& node, const ObjectSchema::State& state,
                       simdjson::dom::object object, const Path& path,
                       std::vector<SchemaError>* errors) {
  const std::size_t required_count = node.required.size();
  const std::size_t fast_slots = std::min<std::size_t>(required_count, 64);
  if (state.seen >= fast_slots && required_count <= 64) return true;
  // Slow path (a property is missing, or the list is too long for the bit set): look each up.
  bool ok = true;
  for (const std::string& name : node.required) {
    if (object.at_key(name).error() != simdjson::SUCCESS) {
      fail(errors, path, "missing required property \"" + name + "\"");
      ok = false;
      if (errors == nullptr) return false;
    }
  }
  return ok;
}

bool validate_object(const Node& node, simdjson::dom::object object, const Path& path,
                     std::vector<SchemaError>* errors, PatternMemos* memos) {
  ObjectSchema::State state;
  for (auto field : object) {
    if (!validate_member(node, state, node.find_key(field.key), field.key, field.value, path,
                         errors, memos)) {
      state.ok = false;
      if (errors == nullptr) return false;
    }
  }
  return validate_required(node, state, object, path, errors) && state.ok;
}

bool validate_node(const Node& start, element value, const Path& path,
                   std::vector<SchemaError>* errors, PatternMemos* memos) {
  const Node* target = &start;
  while (target->only_ref) target = target->ref;  // the same checks, without the hops
  const Node& node = *target;
  if (node.never) {
    fail(errors, path, "no value is allowed here");
    return false;
  }
  if (node.types != 0 && !type_matches(node.types, value)) {
    fail(errors, path,
         "expected " + describe_types(node.types) + ", got " + std::string(type_name(value)));
    return false;
  }
  bool ok = true;
  auto failed = [&](std::string message) {
    fail(errors, path, std::move(message));
    ok = false;
    return errors == nullptr;  // stop at the first failure when only probing
  };

  if (node.enum_all_strings) {
    if (!one_of_strings(node.enum_strings, value) &&
        failed(show(value) + " is not one of " + node.enum_text)) {
      return false;
    }
  } else if (node.enum_values) {
    bool found = false;
    for (const auto& candidate : *node.enum_values) {
      if (equals(value, candidate)) {
        found = true;
        break;
      }
    }
    if (!found && failed(show(value) + " is not one of " + node.enum_text)) return false;
  }
  if (node.const_value && !equals(value, *node.const_value) &&
      failed("expected " + node.const_value->dump() + ", got " + show(value))) {
    return false;
  }

  switch (value.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      if (node.has_number_checks()) {
        const Number n = *number_of(value);
        if (node.minimum && compare(n, *node.minimum) < 0 &&
            failed(n.text() + " is less than the minimum " + node.minimum->text())) {
          return false;
        }
        if (node.maximum && compare(n, *node.maximum) > 0 &&
            failed(n.text() + " is greater than the maximum " + node.maximum->text())) {
          return false;
        }
        if (node.exclusive_minimum && compare(n, *node.exclusive_minimum) <= 0 &&
            failed(n.text() + " is not greater than " + node.exclusive_minimum->text())) {
          return false;
        }
        if (node.exclusive_maximum && compare(n, *node.exclusive_maximum) >= 0 &&
            failed(n.text() + " is not less than " + node.exclusive_maximum->text())) {
          return false;
        }
      }
      break;
    case element_type::STRING:
      if (node.has_string_checks()) {
        const std::string_view text = value.get_string().value_unsafe();
        if (node.min_length || node.max_length) {
          const std::size_t length = utf8_length(text);
          if (node.min_length && length < *node.min_length &&
              failed(show(value) + " is shorter than " + std::to_string(*node.min_length) +
                     " characters")) {
            return false;
          }
          if (node.max_length && length > *node.max_length &&
              failed(show(value) + " is longer than " + std::to_string(*node.max_length) +
                     " characters")) {
            return false;
          }
        }
        if (node.pattern &&
            !(memos ? memos->partial_match(*node.pattern, text)
                    : node.pattern->partial_match(text)) &&
            failed(show(value) + " does not match the pattern \"" + node.pattern->pattern() +
                   "\"")) {
          return false;
        }
      }
      break;
    case element_type::ARRAY: {
      if (node.items == nullptr && !node.min_items && !node.max_items) break;
      const auto array = value.get_array().value_unsafe();
      std::size_t count = 0;
      for (element item : array) {
        if (node.items != nullptr) {
          const Path child{&path, {}, count, true};
          if (!validate_node(*node.items, item, child, errors, memos)) {
            ok = false;
            if (errors == nullptr) return false;
          }
        }
        ++count;
      }
      if (node.min_items && count < *node.min_items &&
          failed("expected at least " + std::to_string(*node.min_items) + " items, got " +
                 std::to_string(count))) {
        return false;
      }
      if (node.max_items && count > *node.max_items &&
          failed("expected at most " + std::to_string(*node.max_items) + " items, got " +
                 std::to_string(count))) {
        return false;
      }
      break;
    }
    case element_type::OBJECT:
      if (node.has_object_checks &&
          !validate_object(node, value.get_object().value_unsafe(), path, errors, memos)) {
        ok = false;
        if (errors == nullptr) return false;
      }
      break;
    default:
      break;
  }

  if (!node.any_of.empty()) {
    bool matched = false;
    for (const Node* alternative : node.any_of) {
      if (validate_node(*alternative, value, path, nullptr, memos)) {
        matched = true;
        break;
      }
    }
    if (!matched) {
      std::string message = "matches none of the anyOf alternatives";
      if (errors != nullptr) {
        std::vector<SchemaError> why;
        for (std::size_t i = 0; i < node.any_of.size(); ++i) {
          why.clear();
          validate_node(*node.any_of[i], value, path, &why, memos);
          message += i == 0 ? " (" : "; ";
          message += std::to_string(i) + ": ";
          for (std::size_t j = 0; j < why.size(); ++j) {
            if (j > 0) message += ", ";
            if (!why[j].pointer.empty() && why[j].pointer != path.render()) {
              message += why[j].pointer + ": ";
            }
            message += why[j].message;
          }
        }
        message += ")";
      }
      if (failed(std::move(message))) return false;
    }
  }
  if (node.ref != nullptr && !validate_node(*node.ref, value, path, errors, memos)) ok = false;
  return ok;
}

}  // namespace

bool ObjectSchema::Quick::passes(element value) const {
  // A node with scalar keywords is probed whole (its type and enum included).
  if (scalar != nullptr) {
    return validate_node(*static_cast<const Node*>(scalar), value, Path{}, nullptr, nullptr);
  }
  if (types != 0 && !type_matches(types, value)) return false;
  return strings == nullptr || one_of_strings(*strings, value);
}

namespace {

// The root of a plain object schema, member by member (see ObjectSchema).
class ObjectMembers final : public ObjectSchema {
 public:
  explicit ObjectMembers(const Node& node) : node_(node) {}

  std::vector<std::string_view> names() const override {
    std::vector<std::string_view> out;
    for (const PropertyEntry& entry : node_.keys) out.push_back(entry.name);
    return out;
  }

  Entry find(std::string_view key) const override { return node_.find_key(key); }

  Quick quick(Entry entry) const override {
    Quick out;
    const auto* property = static_cast<const PropertyEntry*>(entry);
    if (property == nullptr || property->schema == nullptr) {
      // What validate_member() does without a schema for the name: a name the plan defines, or
      // any other where additionalProperties allows anything, always passes.
      const bool declared = property != nullptr && property->declared_by_plan;
      out.usable = declared || (node_.additional_allowed && node_.additional == nullptr);
      if (property != nullptr) out.required_slot = property->required_slot;
      return out;
    }
    const Node* target = property->schema;
    while (target->only_ref) target = target->ref;
    const Node& node = *target;
    // Nodes with nothing below the value to walk, and no expression that wants a memo.
    if (node.never || (node.enum_values && !node.enum_all_strings) || node.const_value ||
        (node.pattern && !node.pattern->simple_partial()) || node.items != nullptr ||
        node.min_items || node.max_items || node.has_object_checks || !node.any_of.empty() ||
        node.ref != nullptr) {
      return out;
    }
    out.usable = true;
    out.types = node.types;
    if (node.enum_all_strings) out.strings = &node.enum_strings;
    if (node.has_number_checks() || node.has_string_checks()) out.scalar = &node;
    out.required_slot = property->required_slot;
    return out;
  }

  void member(State& state, Entry entry, std::string_view key, element value,
              std::vector<SchemaError>& errors, PatternMemos* memos) const override {
    const Path root;
    if (!validate_member(node_, state, static_cast<const PropertyEntry*>(entry), key, value, root,
                         &errors, memos)) {
      state.ok = false;
    }
  }

  bool finish(State& state, simdjson::dom::object object,
              std::vector<SchemaError>& errors) const override {
    const Path root;
    if (!validate_required(node_, state, object, root, &errors)) state.ok = false;
    return state.ok;
  }

  // Whether validate_node on an object value does nothing but validate_object at this node.
  static bool plain(const Node& node) {
    return !node.never && (node.types == 0 || (node.types & kObject) != 0) && !node.enum_values &&
           !node.const_value && node.any_of.empty() && node.ref == nullptr;
  }

 private:
  const Node& node_;
};

class CompiledSchema final : public Schema {
 public:
  bool validate(element value, std::vector<SchemaError>& errors,
                PatternMemos* memos) const override {
    const Path root;
    return validate_node(*root_, value, root, &errors, memos);
  }

  const ObjectSchema* object_schema() const override { return members_.get(); }

  // Called once the tree is complete.
  void prepare() {
    const Node* target = root_;
    while (target->only_ref) target = target->ref;
    if (ObjectMembers::plain(*target)) members_ = std::make_unique<ObjectMembers>(*target);
  }

  std::vector<std::unique_ptr<Node>> nodes;
  const Node* root_ = nullptr;

 private:
  std::unique_ptr<const ObjectMembers> members_;
};

// ---------------------------------------------------------------------------------------------
// Compiling

constexpr std::string_view kKeywords[] = {"type",
                                          "enum",
                                          "const",
                                          "pattern",
                                          "minimum",
                                          "maximum",
                                          "exclusiveMinimum",
                                          "exclusiveMaximum",
                                          "minLength",
                                          "maxLength",
                                          "items",
                                          "minItems",
                                          "maxItems",
                                          "properties",
                                          "required",
                                          "additionalProperties",
                                          "$ref",
                                          "anyOf",
                                          "description",
                                          "title"};

bool is_keyword(std::string_view key) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), key) != std::end(kKeywords);
}

std::string json_quote(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Compiler {
 public:
  Compiler(CompiledSchema& out, const nlohmann::json& definitions,
           std::vector<PlanProblem>& problems)
      : out_(out), definitions_(definitions), problems_(problems) {}

  const Node* compile(const nlohmann::json& schema, const std::string& pointer) {
    Node* node = new_node(pointer);
    fill(*node, schema, pointer);
    return node;
  }

  // Reports a `$ref` or `anyOf` chain that comes back to the same value without descending into
  // a property or item: validating it would never end.
  void check_cycles() {
    std::set<const Node*> done;
    for (const auto& node : out_.nodes) {
      std::set<const Node*> on_path;
      if (const Node* culprit = find_cycle(node.get(), on_path, done)) {
        const std::string via =
            culprit->ref_text.empty() ? "anyOf" : "$ref " + json_quote(culprit->ref_text);
        problem(culprit->pointer, via +
                                      " leads back to this schema without descending into a "
                                      "property or item (a cycle)");
        return;  // one cycle is enough to refuse the schema
      }
    }
  }

  std::size_t problem_count() const { return problems_.size() - initial_problems_; }

 private:
  Node* new_node(const std::string& pointer) {
    out_.nodes.push_back(std::make_unique<Node>());
    out_.nodes.back()->pointer = pointer;
    return out_.nodes.back().get();
  }

  void problem(const std::string& pointer, std::string message) {
    problems_.push_back({pointer, std::move(message)});
  }

  // Follows the edges to nodes validated against the same value (its $ref and anyOf
  // alternatives); returns the node whose edge closes a cycle, or null.
  const Node* find_cycle(const Node* node, std::set<const Node*>& on_path,
                         std::set<const Node*>& done) {
    if (done.count(node) != 0) return nullptr;
    on_path.insert(node);
    std::vector<const Node*> next = node->any_of;
    if (node->ref != nullptr) next.push_back(node->ref);
    for (const Node* child : next) {
      if (on_path.count(child) != 0) return node;
      if (const Node* culprit = find_cycle(child, on_path, done)) return culprit;
    }
    on_path.erase(node);
    done.insert(node);
    return nullptr;
  }

  std::optional<std::uint64_t> count_argument(const nlohmann::json& value,
                                              const std::string& pointer, std::string_view key) {
    // The same range as the plan's own integers (docs/plan.md): int64, so 1e19 is refused with
    // the range named rather than read as a count no string or array could reach.
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= kMax) {
      return value.get<std::uint64_t>();
    }
    if (value.is_number_integer() && !value.is_number_unsigned() &&
        value.get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(value.get<std::int64_t>());
    }
    if (value.is_number_float() && value.get<double>() >= 0 && is_integral(value.get<double>()) &&
        value.get<double>() < 0x1p63) {
      return static_cast<std::uint64_t>(value.get<double>());
    }
    problem(pointer, "\"" + std::string(key) +
                         "\" must be a non-negative integer up to 9223372036854775807, got " +
                         (value.is_number() ? value.dump() : std::string(value.type_name())));
    return std::nullopt;
  }

  std::optional<Number> number_argument(const nlohmann::json& value, const std::string& pointer,
                                        std::string_view key) {
    if (value.is_number()) return number_of(value);
    problem(pointer, "\"" + std::string(key) + "\" must be a number");
    return std::nullopt;
  }

  bool is_schema(const nlohmann::json& value) { return value.is_object() || value.is_boolean(); }

  const Node* sub_schema(const nlohmann::json& value, const std::string& pointer,
                         std::string_view key, const std::string& parent) {
    if (!is_schema(value)) {
      problem(parent, "\"" + std::string(key) + "\" must be a schema (an object or a boolean)");
      return nullptr;
    }
    return compile(value, pointer);
  }

  // A `$ref` is a URI fragment: percent-decoded first, then read as a JSON pointer (RFC 6901 §6),
  // so "#/definitions/a%20b" names "a b" and "#/definitions/a~1b" names "a/b". A malformed
  // %-escape and a "~" not followed by 0 or 1 are refused, as in the invocation's pointers.
  const Node* resolve(const std::string& ref, const std::string& pointer) {
    static constexpr std::string_view kPrefix = "/definitions/";
    const std::string quoted = json_quote(ref);
    if (ref.empty() || ref[0] != '#') {
      problem(pointer, "$ref " + quoted + " must have the form \"#/definitions/NAME\"");
      return nullptr;
    }
    std::string fragment;
    for (std::size_t i = 1; i < ref.size(); ++i) {
      if (ref[i] != '%') {
        fragment += ref[i];
        continue;
      }
      const int high = i + 2 < ref.size() ? hex_digit(ref[i + 1]) : -1;
      const int low = i + 2 < ref.size() ? hex_digit(ref[i + 2]) : -1;
      if (high < 0 || low < 0) {
        problem(pointer, "$ref " + quoted + " has a malformed percent-escape at " +
                             json_quote(ref.substr(i, 3)) + " (expected % and two hex digits)");
        return nullptr;
      }
      fragment += static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (fragment.compare(0, kPrefix.size(), kPrefix) != 0 || fragment.size() == kPrefix.size() ||
        fragment.find('/', kPrefix.size()) != std::string::npos) {
      problem(pointer, "$ref " + quoted + " must have the form \"#/definitions/NAME\"");
      return nullptr;
    }
    const std::string_view token = std::string_view(fragment).substr(kPrefix.size());
    if (!json_pointer::escapes_well_formed(token)) {
      problem(pointer,
              "$ref " + quoted + " is not a valid JSON pointer: \"~\" must be followed by 0 or 1");
      return nullptr;
    }
    const std::string name = json_pointer::unescape_token(token);
    if (auto it = resolved_.find(name); it != resolved_.end()) return it->second;
    if (!definitions_.is_object() || !definitions_.contains(name)) {
      problem(pointer, "$ref " + quoted + " names no definition");
      return nullptr;
    }
    const nlohmann::json& target = definitions_[name];
    const std::string target_pointer = "/definitions/" + json_pointer::escape_token(name);
    Node* node = new_node(target_pointer);
    resolved_[name] = node;  // before filling, so a recursive reference finds it
    if (!is_schema(target)) {
      problem(target_pointer, "a definition must be a schema (an object or a boolean)");
      return nullptr;
    }
    fill(*node, target, target_pointer);
    return node;
  }

  void fill(Node& node, const nlohmann::json& schema, const std::string& pointer) {
    if (schema.is_boolean()) {
      node.never = !schema.get<bool>();
      return;
    }
    if (!schema.is_object()) {
      problem(pointer, "a schema must be an object or a boolean");
      return;
    }
    for (const auto& [key, value] : schema.items()) {
      const std::string at = pointer + "/" + json_pointer::escape_token(key);
      if (!is_keyword(key)) {
        problem(pointer, "unknown keyword " + json_quote(key));
      } else if (key == "type") {
        fill_type(node, value, pointer);
      } else if (key == "enum") {
        if (!value.is_array() || value.empty()) {
          problem(pointer, "\"enum\" must be a non-empty array");
        } else {
          node.enum_values = value;
          node.enum_text = value.dump();
        }
      } else if (key == "const") {
        node.const_value = value;
      } else if (key == "pattern") {
        if (!value.is_string()) {
          problem(pointer, "\"pattern\" must be a string");
        } else {
          std::string error;
          node.pattern = Regex::compile(value.get<std::string>(), &error);
          if (!node.pattern)
            problem(pointer,
                    "invalid pattern " + json_quote(value.get<std::string>()) + ": " + error);
        }
      } else if (key == "minimum") {
        node.minimum = number_argument(value, pointer, key);
      } else if (key == "maximum") {
        node.maximum = number_argument(value, pointer, key);
      } else if (key == "exclusiveMinimum") {
        node.exclusive_minimum = number_argument(value, pointer, key);
      } else if (key == "exclusiveMaximum") {
        node.exclusive_maximum = number_argument(value, pointer, key);
      } else if (key == "minLength") {
        node.min_length = count_argument(value, pointer, key);
      } else if (key == "maxLength") {
        node.max_length = count_argument(value, pointer, key);
      } else if (key == "minItems") {
        node.min_items = count_argument(value, pointer, key);
      } else if (key == "maxItems") {
        node.max_items = count_argument(value, pointer, key);
      } else if (key == "items") {
        node.items = sub_schema(value, at, key, pointer);
      } else if (key == "properties") {
        fill_properties(node, value, pointer, at);
      } else if (key == "required") {
        fill_required(node, value, pointer);
      } else if (key == "additionalProperties") {
        node.has_object_checks = true;
        if (value.is_boolean()) {
          node.additional_allowed = value.get<bool>();
        } else {
          node.additional = sub_schema(value, at, key, pointer);
        }
      } else if (key == "$ref") {
        if (!value.is_string()) {
          problem(pointer, "\"$ref\" must be a string");
        } else {
          node.ref_text = value.get<std::string>();
          node.ref = resolve(node.ref_text, pointer);
        }
      } else if (key == "anyOf") {
        if (!value.is_array() || value.empty()) {
          problem(pointer, "\"anyOf\" must be a non-empty array of schemas");
        } else {
          for (std::size_t i = 0; i < value.size(); ++i) {
            if (const Node* alternative =
                    sub_schema(value[i], at + "/" + std::to_string(i), key, pointer)) {
              node.any_of.push_back(alternative);
            }
          }
        }
      } else if (key == "description" || key == "title") {
        if (!value.is_string()) problem(pointer, "\"" + key + "\" must be a string");
      }
    }
    // Sort the keys once so validation finds each property by binary search.
    std::sort(node.keys.begin(), node.keys.end(),
              [](const PropertyEntry& a, const PropertyEntry& b) { return a.name < b.name; });
    for (std::size_t i = 0; i < node.required.size(); ++i) {
      auto it =
          std::lower_bound(node.keys.begin(), node.keys.end(), node.required[i],
                           [](const PropertyEntry& e, const std::string& n) { return e.name < n; });
      if (it == node.keys.end() || it->name != node.required[i]) {
        it = node.keys.insert(it, PropertyEntry{node.required[i], nullptr, -1});
      }
      it->required_slot = static_cast<int>(i);
    }
  }

  void fill_type(Node& node, const nlohmann::json& value, const std::string& pointer) {
    auto add = [&](const nlohmann::json& name) {
      if (!name.is_string()) {
        problem(pointer, "\"type\" must be a type name or a list of type names");
        return;
      }
      const std::string& text = name.get_ref<const std::string&>();
      for (const auto& [type, bit] : kTypeNames) {
        if (text == type) {
          node.types |= bit;
          return;
        }
      }
      problem(pointer, "unknown type " + json_quote(text) +
                           " (expected null, boolean, object, array, number, string or integer)");
    };
    if (value.is_array()) {
      if (value.empty()) problem(pointer, "\"type\" must not be an empty list");
      // JSON Schema 2020-12: the elements of a `type` list MUST be unique.
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (std::find(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(i), value[i]) !=
            value.begin() + static_cast<std::ptrdiff_t>(i)) {
          problem(pointer + "/type/" + std::to_string(i),
                  value[i].dump() + " is listed twice in \"type\"");
          continue;
        }
        add(value[i]);
      }
    } else {
      add(value);
    }
  }

  void fill_properties(Node& node, const nlohmann::json& value, const std::string& pointer,
                       const std::string& at) {
    if (!value.is_object()) {
      problem(pointer, "\"properties\" must be an object mapping names to schemas");
      return;
    }
    node.has_object_checks = true;
    for (const auto& [name, sub] : value.items()) {
      const std::string sub_pointer = at + "/" + json_pointer::escape_token(name);
      if (!is_schema(sub)) {
        problem(sub_pointer, "a schema must be an object or a boolean");
        continue;
      }
      node.keys.push_back(PropertyEntry{name, compile(sub, sub_pointer), -1});
    }
  }

  void fill_required(Node& node, const nlohmann::json& value, const std::string& pointer) {
    if (!value.is_array() ||
        !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
      problem(pointer, "\"required\" must be an array of strings");
      return;
    }
    node.has_object_checks = true;
    // JSON Schema 2020-12: the elements of `required` MUST be unique.
    std::set<std::string> unique;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string& name = value[i].get_ref<const std::string&>();
      if (unique.insert(name).second) {
        node.required.push_back(name);
      } else {
        problem(pointer + "/required/" + std::to_string(i),
                json_quote(name) + " is listed twice in \"required\"");
      }
    }
  }

  CompiledSchema& out_;
  const nlohmann::json& definitions_;
  std::vector<PlanProblem>& problems_;
  std::size_t initial_problems_ = problems_.size();
  std::map<std::string, Node*> resolved_;
};

// Precomputes what the event path uses (see Node's last members).
void finish(Node& node) {
  node.only_ref = node.ref != nullptr && !node.never && node.types == 0 && !node.enum_values &&
                  !node.const_value && !node.has_number_checks() && !node.has_string_checks() &&
                  node.items == nullptr && !node.min_items && !node.max_items &&
                  !node.has_object_checks && node.any_of.empty();
  if (node.enum_values) {
    node.enum_all_strings = true;
    for (const auto& value : *node.enum_values) {
      if (!value.is_string()) {
        node.enum_all_strings = false;
        break;
      }
    }
    if (node.enum_all_strings) {
      for (const auto& value : *node.enum_values) node.enum_strings.push_back(value);
    }
  }
}

}  // namespace

bool PatternMemos::partial_match(const Regex& regex, std::string_view text) {
  // A simple expression (`^[0-9a-f-]{36}$`) is one pass over the text, cheaper than hashing it
  // and comparing it with a remembered copy that is rarely in the cache.
  if (regex.simple_partial()) return regex.partial_match(text);
  if (&regex != last_regex_) {
    auto found = memos_.find(&regex);
    if (found == memos_.end()) found = memos_.emplace(&regex, detail::MatchMemo(1024)).first;
    last_regex_ = &regex;
    last_memo_ = &found->second;  // unordered_map never moves its values
  }
  const std::uint64_t hash = detail::text_hash(text);
  if (const int* known = last_memo_->find(text, hash)) return *known != 0;
  const bool matched = regex.partial_match(text);
  last_memo_->remember(text, hash, matched ? 1 : 0);
  return matched;
}

std::shared_ptr<const Schema> compile_schema(const nlohmann::json& schema,
                                             const std::string& pointer,
                                             const nlohmann::json& definitions,
                                             std::vector<PlanProblem>& problems,
                                             const std::vector<std::string>& plan_properties) {
  auto compiled = std::make_shared<CompiledSchema>();
  Compiler compiler(*compiled, definitions, problems);
  if (!schema.is_object() && !schema.is_boolean()) {
    problems.push_back({pointer, "a schema must be an object or a boolean"});
    return nullptr;
  }
  compiled->root_ = compiler.compile(schema, pointer);
  compiler.check_cycles();
  if (compiler.problem_count() != 0) return nullptr;
  // The root is the first node compiled; only its own `additionalProperties` is concerned.
  Node& root = *compiled->nodes.front();
  if (!root.additional_allowed || root.additional != nullptr) {
    for (const std::string& name : plan_properties) {
      auto it =
          std::lower_bound(root.keys.begin(), root.keys.end(), name,
                           [](const PropertyEntry& e, const std::string& n) { return e.name < n; });
      if (it == root.keys.end() || it->name != name) {
        it = root.keys.insert(it, PropertyEntry{name, nullptr, -1});
      }
      it->declared_by_plan = true;
    }
  }
  for (const auto& node : compiled->nodes) finish(*node);
  compiled->prepare();
  return compiled;
}

}  // namespace flowproof::conformance
