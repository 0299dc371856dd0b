// plan_loader.cpp — parse_plan and load_plan: reads a tracking plan (docs/contract/plan-format.md)
// and validates all of it, collecting every problem with its JSON pointer before refusing it.
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/rules.hpp>

#include "json_pointer.hpp"
#include "json_structure.hpp"
#include "regex.hpp"
#include "schema.hpp"
#include "sha256.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace flowproof::conformance {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultErrorClass = R"(^[A-Za-z_*][A-Za-z0-9_.:*<>\[\]/-]{0,127}$)";

// What an integer the plan holds may be: its range is int64's, said in every message so that
// 9223372036854775808 is not refused as if it were not a non-negative integer.
constexpr std::string_view kNonNegative = "a non-negative integer up to 9223372036854775807";

// Plans nest a few schema levels; anything deeper is refused before parsing, because validating a
// schema and comparing enum values recurse (100000 nested arrays would overflow the stack).
constexpr std::size_t kMaxPlanDepth = 128;

// The 1-based line where JSON nesting first goes deeper than kMaxPlanDepth, or 0 when it never
// does.
std::size_t line_too_deep(std::string_view text) {
  std::size_t depth = 0, line = 1;
  JsonStructure structure;
  for (char c : text) {
    if (c == '\n') ++line;
    const JsonStructure::Byte byte = structure.feed(c);
    if (byte == JsonStructure::Byte::open) {
      if (++depth > kMaxPlanDepth) return line;
    } else if (byte == JsonStructure::Byte::close && depth > 0) {
      --depth;
    }
  }
  return 0;
}

// The built-in personal-data patterns, used when a plan has no `pii` (docs/plan.md lists them).
const std::vector<std::pair<std::string, std::string>>& default_pii_patterns() {
  static const std::vector<std::pair<std::string, std::string>> patterns = {
      {"email", R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})"},
      {"bearer_token", R"(\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*)"},
      {"hex_secret", R"(\b[0-9a-fA-F]{32,}\b)"},
      {"base64_secret", R"([A-Za-z0-9+/]{32,}={0,2})"},
  };
  return patterns;
}

std::string json_quote(std::string_view text) { return json(std::string(text)).dump(); }

std::string join_quoted(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += json_quote(name);
  }
  return out;
}

std::string type_of(const json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number_float()) return "number";
  return value.type_name();
}

// True when `text` is a JSON pointer (RFC 6901) that names a member: "/a/b", "~" only as ~0 ~1.
bool valid_pointer(std::string_view text) {
  return !text.empty() && text[0] == '/' && json_pointer::escapes_well_formed(text);
}

std::optional<TerminalKind> parse_kind(std::string_view text) {
  if (text == "completed") return TerminalKind::completed;
  if (text == "aborted") return TerminalKind::aborted;
  if (text == "failed") return TerminalKind::failed;
  return std::nullopt;
}

// A nlohmann parse error's position as line and column (1-based), from the byte offset.
std::string syntax_error_message(std::string_view text, const json::parse_error& error) {
  const std::size_t end = std::min<std::size_t>(error.byte == 0 ? 0 : error.byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::string detail = error.what();
  // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: ".
  if (auto colon = detail.find(": ");
      colon != std::string::npos && detail.rfind("[json.", 0) == 0) {
    detail = detail.substr(colon + 2);
  }
  return "JSON syntax error at line " + std::to_string(line) + ", column " +
         std::to_string(end - line_start + 1) + ": " + detail;
}

// One SAX pass over the plan's text for what nlohmann::json loses: keys that occur twice in one
// object (json would silently keep the last value, and the contract says nothing in a plan is
// silently ignored), and the order in which the plan lists the members of the objects whose order
// the loader keeps (json sorts its keys). Linear in the text: a key is recorded as it comes, never
// found by a search through the keys before it (nlohmann::ordered_json's parse does that search,
// which made a plan of 10,000 flows quadratic to load).
class KeyScanner : public nlohmann::json_sax<json> {
 public:
  // `ordered`: the pointers of the objects whose key order is recorded, as tokens (unescaped);
  // a "*" token stands for any key ({"flows", "*", "events"} is every flow's `events`).
  explicit KeyScanner(std::vector<std::vector<std::string_view>> ordered)
      : ordered_(std::move(ordered)) {}

  std::vector<PlanProblem> problems;
  // The pointer of each object matched by `ordered` -> its distinct keys in the order they first
  // occur. An object written twice (under a duplicate key) has the keys of its last occurrence,
  // as json keeps the last value.
  std::unordered_map<std::string, std::vector<std::string>> key_order;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    Frame frame;
    if (recorded()) {
      frame.order = &key_order[pointer()];  // unordered_map never moves its values
      frame.order->clear();
    }
    frames_.push_back(std::move(frame));
    return true;
  }
  bool key(string_t& name) override {
    Frame& frame = frames_.back();
    frame.key = name;
    if (!frame.keys.insert(name).second) {
      problems.push_back({pointer(), "duplicate key " + json(name).dump() +
                                         " (only one value per key is allowed)"});
    } else if (frame.order != nullptr) {
      frame.order->push_back(name);
    }
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return value();
  }
  bool start_array(std::size_t) override {
    Frame frame;
    frame.array = true;
    frames_.push_back(std::move(frame));
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return value();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;
    std::set<std::string> keys;
    std::vector<std::string>* order = nullptr;  // where this object's key order goes, if kept
  };

  // A value ended: the next element of an enclosing array has the next index.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }

  // Whether the object starting now (at the current key of the innermost frame) is one of
  // `ordered_`.
  bool recorded() const {
    for (const std::vector<std::string_view>& tokens : ordered_) {
      if (tokens.size() != frames_.size()) continue;
      bool match = true;
      for (std::size_t i = 0; i < tokens.size() && match; ++i) {
        match = !frames_[i].array && (tokens[i] == "*" || tokens[i] == frames_[i].key);
      }
      if (match) return true;
    }
    return false;
  }

  std::string pointer() const {
    std::string out;
    for (const Frame& frame : frames_) {
      out += '/';
      out += frame.array ? std::to_string(frame.index) : json_pointer::escape_token(frame.key);
    }
    return out;
  }

  std::vector<std::vector<std::string_view>> ordered_;
  std::vector<Frame> frames_;
};

class Loader {
 public:
  explicit Loader(std::string source) { plan_.source = std::move(source); }

  Plan load(std::string_view text) {
    plan_.sha256 = sha256_hex(text);
    if (const std::size_t line = line_too_deep(text)) {
      problem("", "JSON nesting is deeper than " + std::to_string(kMaxPlanDepth) +
                      " levels at line " + std::to_string(line));
      throw PlanError(plan_.source, std::move(problems_));
    }
    json document;
    try {
      document = json::parse(text.begin(), text.end(), nullptr, true, false);
    } catch (const json::parse_error& error) {
      problem("", syntax_error_message(text, error));
      throw PlanError(plan_.source, std::move(problems_));
    } catch (const json::out_of_range& error) {
      // A number too large for a double (1e999) is reported as out_of_range, not parse_error.
      std::string detail = error.what();
      if (auto at = detail.find("] "); at != std::string::npos) detail = detail.substr(at + 2);
      problem("", "JSON number out of range: " + detail);
      throw PlanError(plan_.source, std::move(problems_));
    }
    // The objects read through members_in_order: their members keep the plan's order.
    KeyScanner keys({{"flows"}, {"events"}, {"flows", "*", "events"}, {"pii", "deny_patterns"}});
    json::sax_parse(text.begin(), text.end(), &keys);
    problems_ = std::move(keys.problems);
    key_order_ = std::move(keys.key_order);
    read_document(document);
    if (!problems_.empty()) throw PlanError(plan_.source, deduplicated(std::move(problems_)));
    plan_.build_index();
    return std::move(plan_);
  }

 private:
  // ----- problems and small readers

  void problem(std::string pointer, std::string message) {
    problems_.push_back({std::move(pointer), std::move(message)});
  }

  // Compiling one definition through several `$ref`s reports its problems once per use.
  static std::vector<PlanProblem> deduplicated(std::vector<PlanProblem> problems) {
    std::vector<PlanProblem> unique;
    std::set<std::pair<std::string, std::string>> seen;
    for (PlanProblem& p : problems) {
      if (seen.insert({p.pointer, p.message}).second) unique.push_back(std::move(p));
    }
    return unique;
  }

  // The members of the object at `pointer` in the order the plan lists them (nlohmann::json sorts
  // its keys; flows and events keep the plan's order). `pointer` must be one of the objects that
  // load() asks KeyScanner to record.
  std::vector<std::pair<std::string, const json*>> members_in_order(const json& object,
                                                                    const std::string& pointer) {
    const auto order = key_order_.find(pointer);
    if (order == key_order_.end()) {
      throw std::logic_error("plan loader: the key order of " + pointer + " was not recorded");
    }
    std::vector<std::pair<std::string, const json*>> members;
    members.reserve(order->second.size());
    for (const std::string& key : order->second) {
      if (auto it = object.find(key); it != object.end()) members.emplace_back(key, &*it);
    }
    if (members.size() != object.size()) {  // not the same object: fall back to the sorted order
      members.clear();
      for (const auto& [key, value] : object.items()) members.emplace_back(key, &value);
    }
    return members;
  }

  // Reports each member of `object` that is not one of `allowed`.
  void check_keys(const json& object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        problem(
            pointer + "/" + json_pointer::escape_token(key),
            "unknown key " + json_quote(key) + " (expected one of " + join_quoted(allowed) + ")");
      }
    }
  }

  bool expect_object(const json& value, const std::string& pointer) {
    if (value.is_object()) return true;
    problem(pointer, "expected an object, got " + type_of(value));
    return false;
  }

  std::optional<std::string> read_string(const json& value, const std::string& pointer,
                                         bool allow_empty = false) {
    if (!value.is_string()) {
      problem(pointer, "expected a string, got " + type_of(value));
      return std::nullopt;
    }
    std::string text = value.get<std::string>();
    if (text.empty() && !allow_empty) {
      problem(pointer, "must not be empty");
      return std::nullopt;
    }
    return text;
  }

  // An integer (a JSON number with no fractional part); `minimum` bounds it from below.
  std::optional<std::int64_t> read_integer(const json& value, const std::string& pointer,
                                           std::int64_t minimum, std::string_view what) {
    std::optional<std::int64_t> number;
    if (value.is_number_integer() && !value.is_number_unsigned()) {
      number = value.get<std::int64_t>();
    } else if (value.is_number_unsigned() &&
               value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
      number = static_cast<std::int64_t>(value.get<std::uint64_t>());
    } else if (value.is_number_float()) {
      const double d = value.get<double>();
      if (std::isfinite(d) && std::floor(d) == d && d >= -0x1p63 && d < 0x1p63) {
        number = static_cast<std::int64_t>(d);
      }
    }
    if (!number || *number < minimum) {
      problem(pointer, "expected " + std::string(what) + ", got " +
                           (value.is_number() ? value.dump() : type_of(value)));
      return std::nullopt;
    }
    return number;
  }

  // A list of distinct strings.
  std::vector<std::string> read_string_list(const json& value, const std::string& pointer,
                                            bool allow_empty_strings = false) {
    std::vector<std::string> list;
    if (!value.is_array()) {
      problem(pointer, "expected an array of strings, got " + type_of(value));
      return list;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string at = pointer + "/" + std::to_string(i);
      auto text = read_string(value[i], at, allow_empty_strings);
      if (!text) continue;
      if (!seen.insert(*text).second) {
        problem(at, json_quote(*text) + " is listed twice");
        continue;
      }
      list.push_back(std::move(*text));
    }
    return list;
  }

  std::shared_ptr<const Regex> read_regex(const json& value, const std::string& pointer,
                                          std::string* written) {
    auto text = read_string(value, pointer);
    if (!text) return nullptr;
    std::string error;
    auto regex = compiled_regex(*text, &error);
    if (!regex) problem(pointer, "invalid regular expression " + json_quote(*text) + ": " + error);
    if (written != nullptr) *written = *text;
    return regex;
  }

  // One compiled Regex per distinct expression of the plan: ten thousand flows with the default
  // error class share one automaton (compiling it once per flow was most of the loading time and
  // ~20 KB per flow). A compiled Regex is immutable and safe to share between flows and threads.
  std::shared_ptr<const Regex> compiled_regex(const std::string& expression, std::string* error) {
    if (auto it = regexes_.find(expression); it != regexes_.end()) {
      if (!it->second.first && error != nullptr) *error = it->second.second;
      return it->second.first;
    }
    std::string message;
    auto regex = Regex::compile(expression, &message);
    if (!regex && error != nullptr) *error = message;
    regexes_.emplace(expression, std::make_pair(regex, std::move(message)));
    return regex;
  }

  std::shared_ptr<const Schema> read_schema(const json& value, const std::string& pointer) {
    return compile_schema(value, pointer, definitions_, problems_);
  }

  // Remembers where each event name is declared; a second declaration is a problem.
  void declare_event(const std::string& name, const std::string& pointer) {
    auto [it, inserted] = event_pointers_.emplace(name, pointer);
    if (!inserted) {
      problem(pointer, "event " + json_quote(name) + " is declared twice: also at " + it->second);
    }
  }

  // ----- the document

  void read_document(const json& document) {
    if (!document.is_object()) {
      problem("", "a plan must be a JSON object, got " + type_of(document));
      return;
    }
    check_keys(document, "",
               {"flowproof_plan", "name", "invocation", "base_properties", "invocation_constant",
                "flows", "events", "definitions", "pii", "rules", "waivers"});

    if (!document.contains("flowproof_plan")) {
      problem("/flowproof_plan", "missing required key \"flowproof_plan\" (the integer 1)");
    } else {
      const json& version = document["flowproof_plan"];
      if (version.is_number_integer() && version.get<std::int64_t>() != 1) {
        problem("/flowproof_plan",
                "unsupported plan version " + version.dump() + " (this flowproof reads version 1)");
      } else if (!version.is_number_integer() || version.get<std::int64_t>() != 1) {
        problem("/flowproof_plan", "must be the integer 1, got " + version.dump());
      }
    }

    if (!document.contains("name")) {
      problem("/name", "missing required key \"name\"");
    } else if (auto name = read_string(document["name"], "/name")) {
      plan_.name = *name;
    }

    // Definitions first: every schema may refer to them.
    if (document.contains("definitions")) {
      const json& definitions = document["definitions"];
      if (expect_object(definitions, "/definitions")) {
        definitions_ = definitions;
        plan_.definitions = definitions;
        for (const auto& [name, schema] : definitions.items()) {
          read_schema(schema, "/definitions/" + json_pointer::escape_token(name));
        }
      }
    }

    if (!document.contains("invocation")) {
      problem("/invocation", "missing required key \"invocation\"");
    } else {
      read_invocation(document["invocation"]);
    }
    if (document.contains("base_properties")) read_base_properties(document["base_properties"]);
    if (document.contains("invocation_constant")) {
      plan_.invocation_constant =
          read_string_list(document["invocation_constant"], "/invocation_constant");
      if (document["invocation_constant"].is_array()) {
        check_invocation_constant(document["invocation_constant"]);
      }
    }

    if (!document.contains("flows")) {
      problem("/flows", "missing required key \"flows\"");
    } else if (expect_object(document["flows"], "/flows")) {
      read_flows(document["flows"]);
    }
    if (document.contains("events") && expect_object(document["events"], "/events")) {
      for (const auto& [name, member] : members_in_order(document["events"], "/events")) {
        const json& declaration = *member;
        const std::string pointer = "/events/" + json_pointer::escape_token(name);
        if (!expect_object(declaration, pointer)) continue;
        check_keys(declaration, pointer, {"schema"});
        EventDeclaration event;
        event.name = name;
        event.pointer = pointer;
        if (name.empty()) problem(pointer, "an event name must not be empty");
        declare_event(name, pointer);
        read_event_schema(declaration, pointer, event, plan_properties());
        plan_.events.push_back(std::move(event));
      }
    }

    if (document.contains("pii")) {
      read_pii(document["pii"]);
    } else {
      plan_.pii.built_in = true;
      for (const auto& [name, expression] : default_pii_patterns()) {
        plan_.pii.deny_patterns.emplace_back(name, expression);
        plan_.pii.compiled_patterns.push_back(compiled_regex(expression, nullptr));
      }
    }
    if (document.contains("rules")) read_rules(document["rules"]);
    if (document.contains("waivers")) read_waivers(document["waivers"]);
  }

  void read_invocation(const json& value) {
    if (!expect_object(value, "/invocation")) return;
    check_keys(value, "/invocation", {"key", "order", "timestamp", "sequence_start"});
    auto pointer_member = [&](std::string_view key) -> std::optional<std::string> {
      const std::string at = "/invocation/" + std::string(key);
      auto text = read_string(value[std::string(key)], at);
      if (text && !valid_pointer(*text)) {
        problem(at, json_quote(*text) +
                        " is not a JSON pointer to a member (e.g. \"/properties/invocation_id\")");
        return std::nullopt;
      }
      return text;
    };
    if (!value.contains("key")) {
      problem("/invocation/key", "missing required key \"key\" (a JSON pointer)");
    } else if (auto key = pointer_member("key")) {
      plan_.invocation.key = *key;
    }
    if (value.contains("order")) plan_.invocation.order = pointer_member("order");
    if (plan_.invocation.order && !plan_.invocation.key.empty() &&
        *plan_.invocation.order == plan_.invocation.key) {
      // Grouping and ordering by one value: every order value would be the invocation's id.
      problem("/invocation/order", json_quote(*plan_.invocation.order) +
                                       " is also the invocation key (/invocation/key): the order "
                                       "must be a sequence number of its own");
    }
    if (value.contains("timestamp")) {
      if (auto timestamp = pointer_member("timestamp")) plan_.invocation.timestamp = *timestamp;
    }
    if (value.contains("sequence_start")) {
      if (auto start = read_integer(value["sequence_start"], "/invocation/sequence_start", 0,
                                    kNonNegative)) {
        plan_.invocation.sequence_start = *start;
      }
    }
  }

  void read_base_properties(const json& value) {
    if (!expect_object(value, "/base_properties")) return;
    check_keys(value, "/base_properties", {"properties", "required"});
    plan_.base_properties_json = value;
    json schema = json::object();
    for (const char* key : {"properties", "required"}) {
      if (value.contains(key)) schema[key] = value[key];
    }
    if (schema.contains("properties") && !schema["properties"].is_object()) {
      problem("/base_properties/properties",
              "expected an object mapping property names to schemas, got " +
                  type_of(schema["properties"]));
      return;
    }
    plan_.base_properties = read_schema(schema, "/base_properties");
  }

  // A constant property the base properties do not declare is most likely a typo; the property
  // the invocation is ordered by changes with every event, so it cannot be constant.
  void check_invocation_constant(const json& written) {
    const json& base = plan_.base_properties_json;
    const bool declared =
        base.is_object() && base.contains("properties") && base["properties"].is_object();
    for (std::size_t i = 0; i < written.size(); ++i) {
      if (!written[i].is_string()) continue;
      const std::string name = written[i].get<std::string>();
      const std::string at = "/invocation_constant/" + std::to_string(i);
      if (plan_.invocation.order &&
          *plan_.invocation.order == "/properties/" + json_pointer::escape_token(name)) {
        problem(at, json_quote(name) + " is the invocation's order (/invocation/order), which " +
                        "changes with every event");
      } else if (declared && !name.empty() && !base["properties"].contains(name)) {
        problem(at, json_quote(name) + " is not declared in base_properties.properties");
      }
    }
  }

  // ----- flows

  void read_flows(const json& flows) {
    // Every flow id first, so `contains` may name a flow listed later.
    for (const auto& [id, flow] : flows.items()) flow_ids_.insert(id);
    for (const auto& [id, member] : members_in_order(flows, "/flows")) {
      const json& value = *member;
      const std::string pointer = "/flows/" + json_pointer::escape_token(id);
      static const std::shared_ptr<const Regex> id_pattern =
          Regex::compile("[a-z][a-z0-9_]*", nullptr);
      if (!id_pattern->full_match(id)) {
        problem(pointer, "flow id " + json_quote(id) + " must match ^[a-z][a-z0-9_]*$");
      }
      if (!expect_object(value, pointer)) continue;
      plan_.flows.push_back(read_flow(id, value, pointer));
    }
  }

  // `{"event": NAME, "schema": ...}` for started and the terminals.
  std::optional<EventDeclaration> read_named_event(const json& flow, std::string_view key,
                                                   const std::string& flow_pointer) {
    if (!flow.contains(std::string(key))) return std::nullopt;
    const std::string pointer = flow_pointer + "/" + std::string(key);
    const json& value = flow[std::string(key)];
    EventDeclaration event;
    event.pointer = pointer;
    if (!expect_object(value, pointer)) return event;
    check_keys(value, pointer, {"event", "schema"});
    if (!value.contains("event")) {
      problem(pointer, "missing required key \"event\" (the event name)");
    } else if (auto name = read_string(value["event"], pointer + "/event")) {
      event.name = *name;
      declare_event(event.name, pointer);
    }
    std::vector<std::string> names = plan_properties();
    if (key != "started") terminal_properties(flow, key, names);
    read_event_schema(value, pointer, event, names);
    return event;
  }

  // `names`: the properties the plan itself defines for the event, which the schema's
  // `additionalProperties` counts as declared (docs/plan.md, "additionalProperties").
  void read_event_schema(const json& declaration, const std::string& pointer,
                         EventDeclaration& event, const std::vector<std::string>& names) {
    if (!declaration.contains("schema")) return;
    event.schema_json = declaration["schema"];
    event.schema =
        compile_schema(event.schema_json, pointer + "/schema", definitions_, problems_, names);
  }

  // The properties every event carries by the plan: the base properties, and the invocation's
  // key and order when they point at a member of `properties`.
  std::vector<std::string> plan_properties() const {
    std::vector<std::string> names;
    const json& base = plan_.base_properties_json;
    if (base.is_object() && base.contains("properties") && base["properties"].is_object()) {
      for (const auto& [name, ignored] : base["properties"].items()) names.push_back(name);
    }
    static constexpr std::string_view kProperties = "/properties/";
    for (const std::string* at :
         {&plan_.invocation.key, plan_.invocation.order ? &*plan_.invocation.order : nullptr}) {
      if (at == nullptr || at->compare(0, kProperties.size(), kProperties) != 0) continue;
      const std::string_view token = std::string_view(*at).substr(kProperties.size());
      if (token.find('/') == std::string_view::npos) {
        names.push_back(json_pointer::unescape_token(token));
      }
    }
    return names;
  }

  // Adds what a terminal of `kind` carries by the flow's own rules: the step, reason,
  // error-class and duration properties (as written, or their defaults), and the properties an
  // intermediate event implies for that kind. Read from the JSON before the flow is, so that the
  // terminal's schema can be compiled where it is declared.
  static void terminal_properties(const json& flow, std::string_view kind,
                                  std::vector<std::string>& names) {
    for (const auto& [key, fallback] :
         {std::pair{"step_property", "step"}, std::pair{"reason_property", "reason"},
          std::pair{"error_property", "error_class"}}) {
      const auto it = flow.find(key);
      names.push_back(it != flow.end() && it->is_string() ? it->get<std::string>() : fallback);
    }
    if (const auto duration = flow.find("duration");
        duration != flow.end() && duration->is_object()) {
      const auto it = duration->find("property");
      names.push_back(it != duration->end() && it->is_string() ? it->get<std::string>()
                                                               : "duration_ms");
    }
    const auto events = flow.find("events");
    if (events == flow.end() || !events->is_object()) return;
    for (const auto& [name, event] : events->items()) {
      if (!event.is_object() || !event.contains("implies")) continue;
      const json& implies = event["implies"];
      if (!implies.is_object() || implies.value("terminal", json()) != json(kind) ||
          !implies.contains("properties") || !implies["properties"].is_object()) {
        continue;
      }
      for (const auto& [property, ignored] : implies["properties"].items()) {
        names.push_back(property);
      }
    }
  }

  Flow read_flow(const std::string& id, const json& value, const std::string& pointer) {
    check_keys(value, pointer,
               {"started", "completed", "aborted", "failed", "steps", "reasons", "step_property",
                "reason_property", "error_property", "reason_required", "error_class", "events",
                "duration", "contains"});
    Flow flow;
    flow.id = id;
    flow.pointer = pointer;
    if (auto started = read_named_event(value, "started", pointer)) {
      flow.started = std::move(*started);
    } else {
      problem(pointer + "/started",
              "missing required key \"started\" (the event that opens the flow)");
    }
    flow.completed = read_named_event(value, "completed", pointer);
    flow.aborted = read_named_event(value, "aborted", pointer);
    flow.failed = read_named_event(value, "failed", pointer);
    if (!flow.completed && !flow.aborted && !flow.failed) {
      problem(pointer,
              "a flow needs at least one terminal: \"completed\", \"aborted\" or \"failed\"");
    }

    // Whether the vocabularies were read without a problem: implied steps and reasons are
    // checked against them only then (a bad `steps` is one problem, not one more per implies).
    std::size_t before = problems_.size();
    if (value.contains("steps")) {
      flow.steps = read_string_list(value["steps"], pointer + "/steps", true);
      // Every Aborted and Failed names one of the steps (FP105): with none, each would fail.
      if (value["steps"].is_array() && value["steps"].empty() && (flow.aborted || flow.failed)) {
        problem(pointer + "/steps",
                "must not be empty when \"aborted\" or \"failed\" is declared: every Aborted "
                "and Failed names one of the flow's steps");
      }
    } else if (flow.aborted || flow.failed) {
      problem(pointer + "/steps",
              "missing key \"steps\": required when \"aborted\" or \"failed\" is declared");
    }
    steps_known_ = problems_.size() == before;
    before = problems_.size();
    if (value.contains("reasons")) {
      flow.reasons = read_string_list(value["reasons"], pointer + "/reasons");
    } else if (flow.aborted) {
      problem(pointer + "/reasons",
              "missing key \"reasons\": required when \"aborted\" is declared");
    }
    reasons_known_ = problems_.size() == before;

    for (auto [key, target] : {std::pair{"step_property", &flow.step_property},
                               std::pair{"reason_property", &flow.reason_property},
                               std::pair{"error_property", &flow.error_property}}) {
      if (!value.contains(key)) continue;
      if (auto text = read_string(value[key], pointer + "/" + key)) *target = *text;
    }
    if (value.contains("reason_required")) {
      if (value["reason_required"].is_boolean()) {
        flow.reason_required = value["reason_required"].get<bool>();
      } else {
        problem(pointer + "/reason_required",
                "expected a boolean, got " + type_of(value["reason_required"]));
      }
    }
    // Every Aborted carries one of the reasons unless reason_required is false: with none listed
    // and reasons required, each would fail (FP106). `"reasons": []` with `"reason_required":
    // false` says an Aborted carries no reason, and is accepted.
    if (flow.aborted && flow.reason_required && value.contains("reasons") &&
        value["reasons"].is_array() && value["reasons"].empty()) {
      problem(pointer + "/reasons",
              "must not be empty when \"aborted\" is declared and \"reason_required\" is true: "
              "every Aborted carries one of the flow's reasons");
      reasons_known_ = false;
    }
    if (value.contains("error_class")) {
      flow.error_class =
          read_regex(value["error_class"], pointer + "/error_class", &flow.error_class_pattern);
    } else {
      flow.error_class_pattern = std::string(kDefaultErrorClass);
      flow.error_class = compiled_regex(flow.error_class_pattern, nullptr);
    }

    if (value.contains("events") && expect_object(value["events"], pointer + "/events")) {
      for (const auto& [name, declaration] :
           members_in_order(value["events"], pointer + "/events")) {
        read_intermediate(flow, name, *declaration,
                          pointer + "/events/" + json_pointer::escape_token(name));
      }
    }
    if (value.contains("duration")) read_duration(flow, value["duration"], pointer + "/duration");
    check_property_names(flow, value, pointer);
    if (value.contains("contains")) {
      flow.contains = read_string_list(value["contains"], pointer + "/contains");
      for (std::size_t i = 0; i < flow.contains.size(); ++i) {
        const std::string at = pointer + "/contains/" + std::to_string(i);
        if (flow.contains[i] == id) {
          problem(at, "a flow cannot contain itself");
        } else if (flow_ids_.count(flow.contains[i]) == 0) {
          problem(at, json_quote(flow.contains[i]) + " names no flow of this plan");
        }
      }
    }
    return flow;
  }

  // The step, reason, error-class and duration properties are four different properties: one
  // name for two of them would make every terminal break one of the two rules (an Aborted's
  // step would have to be one of the reasons too). Reported at the member the plan wrote (the
  // later one when both are written), naming the other.
  void check_property_names(const Flow& flow, const json& value, const std::string& pointer) {
    struct Member {
      std::string_view label;
      const std::string* name;
      std::string at;
      bool written;
    };
    std::vector<Member> members = {
        {"step_property", &flow.step_property, pointer + "/step_property",
         value.contains("step_property")},
        {"reason_property", &flow.reason_property, pointer + "/reason_property",
         value.contains("reason_property")},
        {"error_property", &flow.error_property, pointer + "/error_property",
         value.contains("error_property")},
    };
    if (flow.duration) {
      const json& duration = value["duration"];
      members.push_back({"duration.property", &flow.duration->property,
                         pointer + "/duration/property", duration.contains("property")});
    }
    std::set<std::size_t> reported;
    for (std::size_t j = 1; j < members.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (*members[i].name != *members[j].name) continue;
        const Member& here = members[j].written ? members[j] : members[i];
        const Member& other = members[j].written ? members[i] : members[j];
        if (!here.written ||
            !reported.insert(static_cast<std::size_t>(&here - members.data())).second)
          continue;
        problem(here.at, json_quote(*here.name) + " is also the flow's " +
                             std::string(other.label) +
                             (other.written ? " (" + other.at + ")" : " (its default)") +
                             ": each must be a property of its own");
      }
    }
  }

  void read_intermediate(Flow& flow, const std::string& name, const json& value,
                         const std::string& pointer) {
    if (!expect_object(value, pointer)) return;
    check_keys(value, pointer, {"schema", "implies"});
    IntermediateEvent event;
    event.name = name;
    event.pointer = pointer;
    if (name.empty()) problem(pointer, "an event name must not be empty");
    declare_event(name, pointer);
    read_event_schema(value, pointer, event, plan_properties());
    if (value.contains("implies"))
      event.implies = read_implies(flow, value["implies"], pointer + "/implies");
    flow.events.push_back(std::move(event));
  }

  std::optional<Implication> read_implies(const Flow& flow, const json& value,
                                          const std::string& pointer) {
    if (!expect_object(value, pointer)) return std::nullopt;
    check_keys(value, pointer, {"terminal", "properties"});
    Implication implication;
    if (!value.contains("terminal")) {
      problem(pointer + "/terminal", "missing required key \"terminal\"");
      return std::nullopt;
    }
    auto kind_text = read_string(value["terminal"], pointer + "/terminal");
    if (!kind_text) return std::nullopt;
    auto kind = parse_kind(*kind_text);
    if (!kind) {
      problem(pointer + "/terminal",
              json_quote(*kind_text) + " is not a terminal kind (completed, aborted or failed)");
      return std::nullopt;
    }
    if (flow.terminal(*kind) == nullptr) {
      problem(pointer + "/terminal",
              "the flow declares no " + json_quote(*kind_text) + " terminal");
    }
    implication.terminal = *kind;
    if (!value.contains("properties")) return implication;
    if (!expect_object(value["properties"], pointer + "/properties")) return implication;
    implication.properties = value["properties"];
    for (const auto& [property, expected] : implication.properties.items()) {
      const std::string at = pointer + "/properties/" + json_pointer::escape_token(property);
      const bool carries_step = *kind != TerminalKind::completed;
      if (property == flow.step_property) {
        if (!carries_step) {
          problem(at, "a completed terminal carries no step");
        } else if (steps_known_ && (!expected.is_string() ||
                                    std::find(flow.steps.begin(), flow.steps.end(),
                                              expected.get<std::string>()) == flow.steps.end())) {
          problem(at, expected.dump() + " is not one of the flow's steps");
        }
      } else if (property == flow.reason_property) {
        if (*kind != TerminalKind::aborted) {
          problem(at, "only an aborted terminal carries a reason");
        } else if (reasons_known_ &&
                   (!expected.is_string() ||
                    std::find(flow.reasons.begin(), flow.reasons.end(),
                              expected.get<std::string>()) == flow.reasons.end())) {
          problem(at, expected.dump() + " is not one of the flow's reasons");
        }
      } else if (property == flow.error_property) {
        if (*kind != TerminalKind::failed) {
          problem(at, "only a failed terminal carries an error class");
        } else if (!expected.is_string() ||
                   (flow.error_class &&
                    !flow.error_class->full_match(expected.get<std::string>()))) {
          problem(at, expected.dump() + " does not match the flow's error_class expression");
        }
      }
    }
    return implication;
  }

  void read_duration(Flow& flow, const json& value, const std::string& pointer) {
    if (!expect_object(value, pointer)) return;
    check_keys(value, pointer, {"property", "on", "tolerance_ms", "max_ms"});
    DurationRule rule;
    if (value.contains("property")) {
      if (auto text = read_string(value["property"], pointer + "/property")) rule.property = *text;
    }
    if (value.contains("on")) {
      const std::vector<std::string> names = read_string_list(value["on"], pointer + "/on");
      rule.on.emplace();
      for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string at = pointer + "/on/" + std::to_string(i);
        auto kind = parse_kind(names[i]);
        if (!kind) {
          problem(at,
                  json_quote(names[i]) + " is not a terminal kind (completed, aborted or failed)");
        } else if (flow.terminal(*kind) == nullptr) {
          problem(at, "the flow declares no " + json_quote(names[i]) + " terminal");
        } else {
          rule.on->push_back(*kind);
        }
      }
    } else {
      rule.on = flow.terminal_kinds();
    }
    if (value.contains("tolerance_ms")) {
      if (auto n =
              read_integer(value["tolerance_ms"], pointer + "/tolerance_ms", 0, kNonNegative)) {
        rule.tolerance_ms = *n;
      }
    }
    if (value.contains("max_ms")) {
      if (auto n = read_integer(value["max_ms"], pointer + "/max_ms", 0, kNonNegative)) {
        rule.max_ms = *n;
      }
    }
    flow.duration = std::move(rule);
  }

  // ----- pii, rules, waivers

  void read_pii(const json& value) {
    if (!expect_object(value, "/pii")) return;
    check_keys(value, "/pii", {"deny_keys", "deny_patterns", "allow_keys"});
    if (value.contains("deny_keys")) {
      plan_.pii.deny_keys = read_string_list(value["deny_keys"], "/pii/deny_keys");
    }
    if (value.contains("allow_keys")) {
      plan_.pii.allow_keys = read_string_list(value["allow_keys"], "/pii/allow_keys");
    }
    check_denied_and_allowed(value);
    if (value.contains("deny_patterns") &&
        expect_object(value["deny_patterns"], "/pii/deny_patterns")) {
      for (const auto& [name, member] :
           members_in_order(value["deny_patterns"], "/pii/deny_patterns")) {
        const json& expression = *member;
        const std::string at = "/pii/deny_patterns/" + json_pointer::escape_token(name);
        if (name.empty()) {
          // A finding names its pattern; a finding without a name is one of a denied key.
          problem(at, "a pattern name must not be empty (findings are reported by it)");
          continue;
        }
        std::string written;
        auto regex = read_regex(expression, at, &written);
        if (!regex) continue;
        plan_.pii.deny_patterns.emplace_back(name, written);
        plan_.pii.compiled_patterns.push_back(std::move(regex));
      }
    }
  }

  // A key both denied and allowed is refused: a denied key is a violation whatever its value,
  // an allowed key only exempts its value from the deny patterns, so the plan would say two
  // things. Denied keys match in any case, so "Email" and "email" are the same key here.
  void check_denied_and_allowed(const json& pii) {
    const json* deny = pii.contains("deny_keys") ? &pii["deny_keys"] : nullptr;
    const json* allow = pii.contains("allow_keys") ? &pii["allow_keys"] : nullptr;
    if (deny == nullptr || allow == nullptr || !deny->is_array() || !allow->is_array()) return;
    auto lower = [](std::string text) {
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    };
    for (std::size_t a = 0; a < allow->size(); ++a) {
      if (!(*allow)[a].is_string()) continue;
      const std::string allowed = (*allow)[a].get<std::string>();
      for (std::size_t d = 0; d < deny->size(); ++d) {
        if (!(*deny)[d].is_string() || lower((*deny)[d].get<std::string>()) != lower(allowed)) {
          continue;
        }
        problem("/pii/allow_keys/" + std::to_string(a),
                json_quote(allowed) + " is also denied at /pii/deny_keys/" + std::to_string(d) +
                    ": a key is either denied (a violation whatever its value) or allowed "
                    "(its value exempt from the deny patterns), not both");
        break;
      }
    }
  }

  void read_rules(const json& value) {
    if (!expect_object(value, "/rules")) return;
    for (const auto& [id, severity] : value.items()) {
      const std::string at = "/rules/" + json_pointer::escape_token(id);
      if (find_rule(id) == nullptr) {
        problem(at, "unknown rule " + json_quote(id));
        continue;
      }
      std::optional<Severity> parsed;
      if (severity.is_string()) parsed = parse_severity(severity.get<std::string>());
      if (!parsed) {
        problem(at, "expected \"error\", \"warning\" or \"off\", got " + severity.dump());
        continue;
      }
      plan_.rule_severity[id] = *parsed;
    }
  }

  void read_waivers(const json& value) {
    if (!value.is_array()) {
      problem("/waivers", "expected an array of waivers, got " + type_of(value));
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string pointer = "/waivers/" + std::to_string(i);
      const json& item = value[i];
      if (!expect_object(item, pointer)) continue;
      check_keys(item, pointer, {"rule", "flow", "event", "why"});
      Waiver waiver;
      waiver.pointer = pointer;
      bool ok = true;
      if (!item.contains("rule")) {
        problem(pointer + "/rule", "missing required key \"rule\"");
        ok = false;
      } else if (auto rule = read_string(item["rule"], pointer + "/rule")) {
        waiver.rule = *rule;
        if (find_rule(*rule) == nullptr) {
          problem(pointer + "/rule", "unknown rule " + json_quote(*rule));
          ok = false;
        }
      } else {
        ok = false;
      }
      if (item.contains("flow")) {
        waiver.flow = read_string(item["flow"], pointer + "/flow");
        if (!waiver.flow) {
          ok = false;
        } else if (flow_ids_.count(*waiver.flow) == 0) {
          problem(pointer + "/flow", json_quote(*waiver.flow) + " names no flow of this plan");
          ok = false;
        }
      }
      if (item.contains("event")) {
        waiver.event = read_string(item["event"], pointer + "/event");
        if (!waiver.event) {
          ok = false;
        } else if (event_pointers_.count(*waiver.event) == 0) {
          problem(pointer + "/event",
                  json_quote(*waiver.event) + " is declared nowhere in this plan");
          ok = false;
        } else if (waiver.flow &&
                   event_pointers_[*waiver.event].rfind(
                       "/flows/" + json_pointer::escape_token(*waiver.flow) + "/", 0) != 0) {
          problem(pointer + "/event", json_quote(*waiver.event) + " is not an event of flow " +
                                          json_quote(*waiver.flow));
          ok = false;
        }
      }
      if (!item.contains("why")) {
        problem(pointer + "/why",
                "missing required key \"why\": say why the violation is expected");
        ok = false;
      } else if (auto why = read_string(item["why"], pointer + "/why")) {
        waiver.why = *why;
      } else {
        ok = false;
      }
      if (ok) plan_.waivers.push_back(std::move(waiver));
    }
  }

  Plan plan_;
  std::vector<PlanProblem> problems_;
  json definitions_ = json::object();
  // For the objects members_in_order reads: pointer -> keys in the plan's order (KeyScanner).
  std::unordered_map<std::string, std::vector<std::string>> key_order_;
  std::set<std::string> flow_ids_;
  // expression -> (compiled, or null with RE2's error)
  std::map<std::string, std::pair<std::shared_ptr<const Regex>, std::string>> regexes_;
  bool steps_known_ = true;    // the flow being read has its `steps` without a problem
  bool reasons_known_ = true;  // ... and its `reasons`
  std::map<std::string, std::string> event_pointers_;  // name -> where declared
};

}  // namespace

Plan parse_plan(std::string_view text, std::string source) {
  return Loader(std::move(source)).load(text);
}

Plan load_plan(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw PlanError(path.string(), {{"", "cannot read the plan file: it is a directory"}});
  }
  // The system's reason follows the message: "cannot read the plan file: No such file or
  // directory" (errno is set by the open and the read underneath the stream).
  auto unreadable = [&path](int error_number) {
    std::string message = "cannot read the plan file";
    if (error_number != 0) message += std::string(": ") + std::strerror(error_number);
    return PlanError(path.string(), {{"", std::move(message)}});
  };
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw unreadable(errno);
  std::ostringstream bytes;
  errno = 0;
  bytes << in.rdbuf();
  if (in.bad()) throw unreadable(errno);
  return parse_plan(bytes.str(), path.string());
}

}  // namespace flowproof::conformance
