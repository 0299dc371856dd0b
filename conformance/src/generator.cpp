// generator.cpp — synthetic JSON Lines streams shaped by a plan (generator.hpp): schema-satisfying
// property values, random walks through flows, interleaved invocations and injected defects.
#include <flowproof/conformance/generator.hpp>

#include "regex.hpp"
#include "saturating.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace flowproof::conformance {
namespace {

using nlohmann::json;

// Portable draws over mt19937_64 (the standard distributions differ between libraries, and a seed
// must give the same stream everywhere).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t n) { return n ? engine_() % n : 0; }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    if (high <= low) return low;
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <class Container>
  const auto& pick(const Container& items) {
    return items[below(items.size())];
  }
  std::string hex(std::size_t digits) {
    static constexpr char alphabet[] = "0123456789abcdef";
    std::string text(digits, '0');
    for (char& c : text) c = alphabet[below(16)];
    return text;
  }
  std::string uuid() {
    std::string text = hex(8) + "-" + hex(4) + "-4" + hex(3) + "-" + hex(4) + "-" + hex(12);
    text[19] = "89ab"[below(4)];
    return text;
  }
  std::string word(std::size_t length) {
    std::string text(length, 'a');
    for (char& c : text) c = static_cast<char>('a' + below(26));
    return text;
  }

 private:
  std::mt19937_64 engine_;
};

std::string iso_time(std::int64_t epoch_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds{epoch_ms}};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), int(clock.hours().count()),
                int(clock.minutes().count()), int(clock.seconds().count()),
                int(clock.subseconds().count()));
  return text;
}

// Makes values that satisfy the plan's schema subset.
class ValueMaker {
 public:
  ValueMaker(const Plan& plan, Random& random) : plan_(plan), random_(random) {}

  json make(const json& schema, int depth = 0) {
    const json& s = resolve(schema);
    if (!s.is_object()) return random_.word(6);
    if (auto it = s.find("const"); it != s.end()) return *it;
    if (auto it = s.find("enum"); it != s.end() && it->is_array() && !it->empty()) {
      return random_.pick(*it);
    }
    if (auto it = s.find("anyOf"); it != s.end() && it->is_array() && !it->empty()) {
      return make(random_.pick(*it), depth + 1);
    }
    std::string type;
    if (auto it = s.find("type"); it != s.end()) {
      if (it->is_string()) {
        type = it->get<std::string>();
      } else if (it->is_array() && !it->empty()) {
        // Mostly a real value; null (when allowed) now and then, as products send it.
        std::vector<std::string> types;
        for (const json& t : *it) {
          if (t.is_string() && (t != "null" || it->size() == 1)) types.push_back(t);
        }
        const bool null_allowed = std::find(it->begin(), it->end(), "null") != it->end();
        type =
            types.empty() || (null_allowed && random_.chance(0.3)) ? "null" : random_.pick(types);
      }
    } else if (s.contains("properties")) {
      type = "object";
    } else if (s.contains("items")) {
      type = "array";
    } else {
      type = "string";
    }
    if (type == "string") return make_string(s);
    if (type == "integer") return make_integer(s);
    if (type == "number") return make_number(s);
    if (type == "boolean") return random_.chance(0.5);
    if (type == "null") return nullptr;
    if (type == "array") {
      const std::int64_t min_items = s.value("minItems", std::int64_t{0});
      const std::int64_t max_items = std::max(min_items, s.value("maxItems", min_items + 3));
      json items = json::array();
      const std::int64_t count = depth > 6 ? min_items : random_.between(min_items, max_items);
      for (std::int64_t i = 0; i < count; ++i) {
        items.push_back(make(s.value("items", json::object()), depth + 1));
      }
      return items;
    }
    return make_object(s, depth + 1);
  }

  /// An object for a schema's `properties`: required members always, optional ones now and then.
  json make_object(const json& schema, int depth = 0) {
    const json& s = resolve(schema);
    json object = json::object();
    if (!s.is_object()) return object;
    std::vector<std::string> required;
    if (auto it = s.find("required"); it != s.end() && it->is_array()) {
      for (const json& name : *it) required.push_back(name.get<std::string>());
    }
    if (auto it = s.find("properties"); it != s.end() && it->is_object()) {
      for (const auto& [name, property] : it->items()) {
        const bool needed = std::find(required.begin(), required.end(), name) != required.end();
        if (!needed && (denied(name) || depth > 6 || !random_.chance(0.5))) continue;
        object[name] = make(property, depth);
      }
    }
    for (const std::string& name : required) {
      if (!object.contains(name)) object[name] = random_.word(6);
    }
    return object;
  }

  const json& resolve(const json& schema) const {
    const json* s = &schema;
    for (int hops = 0; hops < 32 && s->is_object(); ++hops) {
      auto ref = s->find("$ref");
      if (ref == s->end() || !ref->is_string()) break;
      const std::string target = ref->get<std::string>();
      static constexpr std::string_view prefix = "#/definitions/";
      if (target.rfind(prefix, 0) != 0) break;
      auto found = plan_.definitions.find(target.substr(prefix.size()));
      if (found == plan_.definitions.end()) break;
      s = &*found;
    }
    return *s;
  }

  /// True when the text matches the expression in full (compiled once per expression).
  bool full_match(const std::string& pattern, const std::string& text) {
    const Regex* regex = compiled(pattern);
    return regex && regex->full_match(text);
  }

 private:
  bool denied(const std::string& key) const {
    return std::find(plan_.pii.deny_keys.begin(), plan_.pii.deny_keys.end(), key) !=
           plan_.pii.deny_keys.end();
  }

  const Regex* compiled(const std::string& pattern) {
    auto it = regexes_.find(pattern);
    if (it == regexes_.end()) {
      std::string error;
      it = regexes_.emplace(pattern, Regex::compile(pattern, &error)).first;
    }
    return it->second.get();
  }

  json make_string(const json& s) {
    const auto min_length = static_cast<std::size_t>(s.value("minLength", std::int64_t{0}));
    const auto max_length =
        std::max(min_length, static_cast<std::size_t>(s.value("maxLength", std::int64_t{1000})));
    const auto fits = [&](const std::string& text) {
      return text.size() >= min_length && text.size() <= max_length;
    };
    const std::size_t low = std::max<std::size_t>(min_length, 2);
    const std::size_t high = std::min(max_length, std::max<std::size_t>(low, 10));
    auto it = s.find("pattern");
    if (it == s.end() || !it->is_string()) {
      return random_.word(static_cast<std::size_t>(random_.between(
          static_cast<std::int64_t>(std::min(low, max_length)), static_cast<std::int64_t>(high))));
    }
    // A pattern: try shapes that common patterns describe until one matches.
    const Regex* regex = compiled(it->get<std::string>());
    for (int attempt = 0; attempt < 12; ++attempt) {
      std::string candidate;
      switch (attempt % 6) {
        case 0:
          candidate = random_.word(std::min(high, std::max(low, std::size_t{6})));
          break;
        case 1:
          candidate = random_.uuid();
          break;
        case 2:
          candidate = random_.hex(std::max<std::size_t>(low, 8));
          break;
        case 3:
          candidate = std::to_string(random_.between(1, 99999));
          break;
        case 4:
          candidate = "v" + std::to_string(random_.between(1, 9)) + ".0." +
                      std::to_string(random_.between(0, 9));
          break;
        default:
          candidate = random_.word(low);
          break;
      }
      if (fits(candidate) && (!regex || regex->partial_match(candidate))) return candidate;
    }
    return random_.word(low);  // no shape fits: the checker will say so (FP006)
  }

  json make_integer(const json& s) {
    double low = s.value("minimum", -1e300), high = s.value("maximum", 1e300);
    if (auto it = s.find("exclusiveMinimum"); it != s.end() && it->is_number()) {
      low = std::max(low, std::floor(it->get<double>()) + 1);
    }
    if (auto it = s.find("exclusiveMaximum"); it != s.end() && it->is_number()) {
      high = std::min(high, std::ceil(it->get<double>()) - 1);
    }
    if (low < -1e18) low = high < 1e18 ? std::min(0.0, high - 1000) : 0;
    if (high > 1e18) high = low + 1000;
    return random_.between(static_cast<std::int64_t>(std::ceil(low)),
                           static_cast<std::int64_t>(std::floor(high)));
  }

  json make_number(const json& s) {
    double low = s.value("minimum", 0.0), high = s.value("maximum", low + 1000.0);
    if (auto it = s.find("exclusiveMinimum"); it != s.end() && it->is_number()) {
      low = std::max(low, it->get<double>());
    }
    if (auto it = s.find("exclusiveMaximum"); it != s.end() && it->is_number()) {
      high = std::min(high, it->get<double>());
    }
    const double value = low + (high - low) * (0.05 + 0.9 * random_.unit());
    return std::clamp(value, low, high);
  }

  const Plan& plan_;
  Random& random_;
  std::unordered_map<std::string, std::shared_ptr<const Regex>> regexes_;
};

enum class Role { started, completed, aborted, failed, intermediate, standalone, extra };

// One event of an invocation before the envelope (ids, sequence, base properties) is added.
struct Draft {
  json event;  // type, event, properties
  std::int64_t ms = 0;
  Role role = Role::extra;
  int flow = -1;
  int instance = -1;
  const IntermediateEvent* intermediate = nullptr;
};

Role role_of(TerminalKind kind) {
  switch (kind) {
    case TerminalKind::completed:
      return Role::completed;
    case TerminalKind::aborted:
      return Role::aborted;
    case TerminalKind::failed:
      return Role::failed;
  }
  return Role::completed;
}

bool is_terminal(Role role) {
  return role == Role::completed || role == Role::aborted || role == Role::failed;
}

const std::vector<std::string>& defect_rules() {
  static const std::vector<std::string> rules = {
      "FP001", "FP002", "FP003", "FP004", "FP005", "FP006", "FP007", "FP008", "FP101",
      "FP102", "FP103", "FP104", "FP105", "FP106", "FP107", "FP108", "FP109", "FP110"};
  return rules;
}

class Generator {
 public:
  Generator(const Plan& plan, const GeneratorOptions& options)
      : plan_(plan), options_(options), random_(options.seed), values_(plan, random_) {
    for (std::size_t f = 0; f < plan.flows.size(); ++f) {
      bool contained = false;
      for (const Flow& other : plan.flows) {
        contained |= std::find(other.contains.begin(), other.contains.end(), plan.flows[f].id) !=
                     other.contains.end();
      }
      if (!contained) roots_.push_back(static_cast<int>(f));
    }
    if (roots_.empty()) {
      for (std::size_t f = 0; f < plan.flows.size(); ++f) roots_.push_back(static_cast<int>(f));
    }
    clock_ = options.start_ms;
  }

  GeneratorStats run(std::ostream& out) {
    struct Active {
      std::vector<std::string> lines;
      std::size_t next = 0;
    };
    std::vector<Active> active;
    std::uint64_t reserved = 0;
    const std::size_t interleave = std::max<std::size_t>(options_.interleave, 1);
    while (stats_.lines < options_.events) {
      while (active.size() < interleave && reserved < options_.events) {
        Active invocation{build_invocation(options_.events - reserved), 0};
        reserved += invocation.lines.size();
        active.push_back(std::move(invocation));
      }
      Active& chosen = active[random_.below(active.size())];
      out << chosen.lines[chosen.next++] << '\n';
      ++stats_.lines;
      if (chosen.next == chosen.lines.size()) {
        std::swap(chosen, active.back());  // order among the open ones is random anyway
        active.pop_back();
      }
    }
    return stats_;
  }

 private:
  // One invocation's lines, at most `budget` of them (and at least one).
  std::vector<std::string> build_invocation(std::uint64_t budget) {
    ++stats_.invocations;
    const bool defective = options_.defect_rate > 0 && random_.chance(options_.defect_rate);
    for (int attempt = 0; attempt < 12; ++attempt) {
      std::vector<Draft> drafts = walk_invocation(attempt < 8);
      std::string rule;
      std::vector<std::string> lines;
      if (defective) {
        rule = options_.defect_rule ? *options_.defect_rule : random_.pick(defect_rules());
        if (!apply_defect(rule, drafts, lines)) continue;
      } else {
        lines = finish(drafts);
      }
      if (lines.size() > budget) continue;
      if (defective) {
        ++stats_.defective_invocations;
        ++stats_.defects[rule];
      }
      return lines;
    }
    // Nothing fits the remaining budget: the smallest clean invocation, or a single line.
    std::vector<Draft> drafts = walk_invocation(false);
    if (budget >= drafts.size() && !drafts.empty()) return finish(drafts);
    if (!plan_.events.empty()) {
      std::vector<Draft> one{make_draft(random_.pick(plan_.events), Role::standalone, -1)};
      return finish(one);
    }
    // No standalone event to send: an identify call, which the checker counts and skips.
    json identify = {{"type", "identify"},
                     {"userId", random_.hex(12)},
                     {"traits", json::object()},
                     {"timestamp", iso_time(clock_)},
                     {"messageId", random_.uuid()}};
    return {identify.dump()};
  }

  std::int64_t tick() { return clock_ += random_.between(1, 1500); }

  Draft make_draft(const EventDeclaration& declaration, Role role, int flow) {
    Draft draft;
    draft.event = {{"type", "track"},
                   {"event", declaration.name},
                   {"properties", values_.make_object(declaration.schema_json)}};
    draft.ms = clock_;
    draft.role = role;
    draft.flow = flow;
    return draft;
  }

  // A whole invocation: one root flow instance (nested flows inside), or a standalone event.
  std::vector<Draft> walk_invocation(bool full) {
    std::vector<Draft> drafts;
    clock_ += random_.between(0, 200);
    const std::int64_t saved = clock_;
    if (plan_.flows.empty()) {
      if (!plan_.events.empty()) {
        drafts.push_back(make_draft(random_.pick(plan_.events), Role::standalone, -1));
      }
      return drafts;
    }
    std::vector<int> open;
    walk(random_.pick(roots_), drafts, open, full ? 0 : 99);
    clock_ = saved;  // invocations overlap in time, as concurrent processes do
    return drafts;
  }

  Draft make_terminal(const Flow& flow, int f, TerminalKind kind, std::int64_t started_ms,
                      const IntermediateEvent* implier) {
    Draft draft = make_draft(*flow.terminal(kind), role_of(kind), f);
    json& properties = draft.event["properties"];
    if (kind != TerminalKind::completed && !flow.steps.empty()) {
      properties[flow.step_property] = random_.pick(flow.steps);
    } else if (kind == TerminalKind::completed) {
      properties.erase(flow.step_property);
    }
    if (kind == TerminalKind::aborted && !flow.reasons.empty()) {
      properties[flow.reason_property] = random_.pick(flow.reasons);
    } else {
      properties.erase(flow.reason_property);
    }
    if (kind == TerminalKind::failed) properties[flow.error_property] = error_class(flow);
    if (implier) {
      for (const auto& [name, value] : implier->implies->properties.items()) {
        properties[name] = value;
      }
    }
    if (flow.duration) {
      if (flow.duration->required_on(kind)) {
        properties[flow.duration->property] =
            std::min(draft.ms - started_ms, flow.duration->max_ms);
      } else {
        properties.erase(flow.duration->property);
      }
    }
    return draft;
  }

  std::string error_class(const Flow& flow) {
    static const std::vector<std::string> defaults = {
        "ApiError",           "TimeoutError",    "net.OpError",      "*url.Error",
        "std::runtime_error", "ConnectionError", "PermissionDenied", "context.DeadlineExceeded"};
    const std::size_t first = random_.below(defaults.size());
    for (std::size_t i = 0; i < defaults.size(); ++i) {
      const std::string& candidate = defaults[(first + i) % defaults.size()];
      if (!flow.error_class || flow.error_class->full_match(candidate)) return candidate;
    }
    // A narrow expression: words written in it, alone or two together, are likely candidates
    // ("^(Card|Network)Error$" gives "NetworkError").
    std::vector<std::string> words;
    std::string word;
    for (char c : flow.error_class_pattern + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':') {
        word += c;
      } else if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    }
    for (const std::string& first : words) {
      if (flow.error_class->full_match(first)) return first;
      for (const std::string& second : words) {
        if (flow.error_class->full_match(first + second)) return first + second;
      }
    }
    return "Error";
  }

  // Started, a few intermediates / nested flows / standalone events, exactly one terminal.
  void walk(int f, std::vector<Draft>& drafts, std::vector<int>& open, int depth) {
    const Flow& flow = plan_.flows[static_cast<std::size_t>(f)];
    const int instance = next_instance_++;
    tick();
    drafts.push_back(make_draft(flow.started, Role::started, f));
    drafts.back().instance = instance;
    const std::int64_t started_ms = clock_;
    open.push_back(f);

    const auto kinds = flow.terminal_kinds();
    TerminalKind kind = random_.pick(kinds);
    if (flow.completed && random_.chance(0.5)) kind = TerminalKind::completed;
    std::vector<const IntermediateEvent*> free, implying;
    for (const IntermediateEvent& event : flow.events) {
      (event.implies ? implying : free).push_back(&event);
    }
    const IntermediateEvent* implier = nullptr;
    if (!implying.empty() && flow.terminal(implying.front()->implies->terminal) &&
        random_.chance(0.25)) {
      implier = random_.pick(implying);
      if (!flow.terminal(implier->implies->terminal)) implier = nullptr;
    }
    if (implier) kind = implier->implies->terminal;

    std::vector<int> children;
    for (std::size_t c = 0; c < plan_.flows.size(); ++c) {
      const std::string& id = plan_.flows[c].id;
      bool allowed = std::find(open.begin(), open.end(), static_cast<int>(c)) == open.end();
      for (int o : open) {
        const auto& contains = plan_.flows[static_cast<std::size_t>(o)].contains;
        allowed = allowed && std::find(contains.begin(), contains.end(), id) != contains.end();
      }
      if (allowed) children.push_back(static_cast<int>(c));
    }
    const std::int64_t steps = depth > 3 ? 0 : random_.between(0, 3);
    for (std::int64_t i = 0; i < steps; ++i) {
      const double roll = random_.unit();
      if (!children.empty() && roll < 0.5) {
        walk(random_.pick(children), drafts, open, depth + 1);
      } else if (!free.empty() && roll < 0.9) {
        tick();
        const IntermediateEvent* event = random_.pick(free);
        drafts.push_back(make_draft(*event, Role::intermediate, f));
        drafts.back().instance = instance;
        drafts.back().intermediate = event;
      } else if (!plan_.events.empty() && roll >= 0.9) {
        tick();
        drafts.push_back(make_draft(random_.pick(plan_.events), Role::standalone, -1));
      }
    }
    if (implier) {
      tick();
      drafts.push_back(make_draft(*implier, Role::intermediate, f));
      drafts.back().instance = instance;
      drafts.back().intermediate = implier;
    }
    tick();
    drafts.push_back(make_terminal(flow, f, kind, started_ms, implier));
    drafts.back().instance = instance;
    drafts.back().intermediate = implier;  // its step/reason are implied: not for defects
    open.pop_back();
  }

  // The envelope: base properties (written last, as products do), invocation key, order,
  // timestamp, ids and context.
  std::vector<json> envelope(std::vector<Draft>& drafts) {
    const std::string invocation = random_.uuid();
    const std::string anonymous_id = random_.hex(10);
    const json base = values_.make_object(plan_.base_properties_json);
    std::vector<json> events;
    events.reserve(drafts.size());
    std::int64_t sequence = plan_.invocation.sequence_start;
    for (Draft& draft : drafts) {
      json& event = draft.event;
      event["context"] = {{"library", {{"name", "flowproof-gen"}, {"version", "0.1.0"}}},
                          {"os", {{"name", "linux"}}},
                          {"app", {{"version", "1.4.2"}}}};
      for (const auto& [name, value] : base.items()) event["properties"][name] = value;
      event[json::json_pointer(plan_.invocation.key)] = invocation;
      if (plan_.invocation.order) event[json::json_pointer(*plan_.invocation.order)] = sequence++;
      event[json::json_pointer(plan_.invocation.timestamp)] = iso_time(draft.ms);
      event["anonymousId"] = anonymous_id;
      event["messageId"] = random_.uuid();
      events.push_back(std::move(event));
    }
    return events;
  }

  std::vector<std::string> finish(std::vector<Draft>& drafts) { return lines_of(envelope(drafts)); }

  static std::vector<std::string> lines_of(const std::vector<json>& events) {
    std::vector<std::string> lines;
    lines.reserve(events.size());
    for (const json& event : events) lines.push_back(event.dump());
    return lines;
  }

  // Indices of drafts satisfying a predicate.
  std::vector<std::size_t> find(const std::vector<Draft>& drafts,
                                const std::function<bool(const Draft&)>& predicate) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (predicate(drafts[i])) found.push_back(i);
    }
    return found;
  }

  const Flow& flow_of(const Draft& draft) const {
    return plan_.flows[static_cast<std::size_t>(draft.flow)];
  }

  // Applies one defect of `rule`; false when this invocation (or plan) offers no place for it.
  bool apply_defect(const std::string& rule, std::vector<Draft>& drafts,
                    std::vector<std::string>& lines) {
    if (drafts.empty()) return false;
    const auto terminals = find(drafts, [](const Draft& d) { return is_terminal(d.role); });
    if (rule == "FP001") {
      lines = finish(drafts);
      const std::string line = lines.front().substr(0, lines.front().size() / 2);
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(random_.below(lines.size() + 1)),
                   line);
      return true;
    }
    if (rule == "FP002" || rule == "FP003" || rule == "FP004" || rule == "FP007") {
      std::vector<json> events = envelope(drafts);
      if (!envelope_defect(rule, events)) return false;
      lines = lines_of(events);
      return true;
    }
    if (rule == "FP005") {
      std::string name = "Generated Undeclared Event";
      while (plan_.find_event(name)) name += " X";
      Draft extra = drafts.front();
      extra.event["event"] = name;
      extra.event["properties"] = json::object();
      extra.role = Role::extra;
      drafts.insert(drafts.begin() + 1, extra);
    } else if (rule == "FP006") {
      std::vector<std::pair<std::size_t, std::string>> places;
      for (std::size_t i = 0; i < drafts.size(); ++i) {
        const EventRole* role = plan_.find_event(drafts[i].event["event"].get<std::string>());
        if (!role || !role->declaration) continue;
        const json& schema = values_.resolve(role->declaration->schema_json);
        if (!schema.is_object() || !schema.contains("required")) continue;
        for (const json& name : schema["required"]) {
          const std::string key = name.get<std::string>();
          if (drafts[i].flow >= 0) {
            const Flow& flow = flow_of(drafts[i]);
            if (key == flow.step_property || key == flow.reason_property ||
                key == flow.error_property || (flow.duration && key == flow.duration->property)) {
              continue;
            }
          }
          if (base_declares(key)) continue;
          places.emplace_back(i, key);
        }
      }
      if (places.empty()) return false;
      const auto& [index, key] = random_.pick(places);
      drafts[index].event["properties"].erase(key);
    } else if (rule == "FP008") {
      std::string key = "contact";
      std::string value = "jane.doe@example.com";
      const auto& allow = plan_.pii.allow_keys;
      for (const std::string& denied : plan_.pii.deny_keys) {
        if (std::find(allow.begin(), allow.end(), denied) == allow.end() &&
            !base_declares(denied)) {
          key = denied;
          break;
        }
      }
      drafts[random_.below(drafts.size())].event["properties"][key] = value;
    } else if (rule == "FP101") {
      const auto intermediates = find(drafts, [](const Draft& d) {
        return d.role == Role::intermediate && !d.intermediate->implies;
      });
      const auto& places = intermediates.empty() ? terminals : intermediates;
      if (places.empty()) return false;
      Draft orphan = drafts[random_.pick(places)];
      orphan.ms = drafts.front().ms;
      orphan.role = Role::extra;
      drafts.insert(drafts.begin(), orphan);
    } else if (rule == "FP102") {
      const std::size_t index = 0;  // the root's Started: no other flow is open before it
      if (drafts[index].role != Role::started) return false;
      Draft again = drafts[index];
      again.role = Role::extra;
      drafts.insert(drafts.begin() + 1, again);
    } else if (rule == "FP103") {
      if (!is_terminal(drafts.back().role)) return false;
      drafts.pop_back();
    } else if (rule == "FP104") {
      if (!is_terminal(drafts.back().role)) return false;
      Draft again = drafts.back();
      again.role = Role::extra;
      drafts.push_back(again);
    } else if (rule == "FP105" || rule == "FP106" || rule == "FP107" || rule == "FP108") {
      if (!terminal_defect(rule, drafts, terminals)) return false;
    } else if (rule == "FP109") {
      if (!implication_defect(drafts, terminals)) return false;
    } else if (rule == "FP110") {
      if (!nesting_defect(drafts)) return false;
    } else {
      return false;
    }
    lines = finish(drafts);
    return true;
  }

  bool base_declares(const std::string& key) const {
    const json& properties = plan_.base_properties_json.value("properties", json::object());
    return properties.contains(key);
  }

  // A duration longer than the span between Started and the terminal allows (or than max_ms),
  // yet a valid integer; nullopt when the terminal carries none, or when no integer is too long
  // (tolerance_ms and max_ms as large as INT64_MAX mean "no limit": the sums saturate).
  std::optional<std::int64_t> too_long_duration(const Draft& draft) const {
    const Flow& flow = flow_of(draft);
    if (!flow.duration) return std::nullopt;
    const json& properties = draft.event["properties"];
    auto it = properties.find(flow.duration->property);
    if (it == properties.end() || !it->is_number_integer()) return std::nullopt;
    const std::int64_t longest =
        detail::saturating_add(it->get<std::int64_t>(), flow.duration->tolerance_ms);
    const std::int64_t bad = std::min(detail::saturating_add(longest, 60'000),
                                      detail::saturating_add(flow.duration->max_ms, 1));
    if (bad <= longest && bad <= flow.duration->max_ms) return std::nullopt;
    return bad;
  }

  bool terminal_defect(const std::string& rule, std::vector<Draft>& drafts,
                       const std::vector<std::size_t>& terminals) {
    std::vector<std::size_t> places;
    for (std::size_t i : terminals) {
      const Flow& flow = flow_of(drafts[i]);
      const Role role = drafts[i].role;
      const bool implied = drafts[i].intermediate != nullptr;
      const bool fits = rule == "FP105" ? role != Role::completed && !flow.steps.empty() && !implied
                        : rule == "FP106" ? !implied
                        : rule == "FP107"
                            ? role == Role::failed &&
                                  (!flow.error_class || !flow.error_class->full_match(bad_error))
                            : too_long_duration(drafts[i]).has_value();
      if (fits) places.push_back(i);
    }
    if (places.empty()) return false;
    Draft& draft = drafts[random_.pick(places)];
    const Flow& flow = flow_of(draft);
    json& properties = draft.event["properties"];
    if (rule == "FP105") {
      std::string step = "not_a_step";
      while (std::find(flow.steps.begin(), flow.steps.end(), step) != flow.steps.end()) step += "_";
      properties[flow.step_property] = step;
    } else if (rule == "FP106") {
      if (draft.role == Role::aborted) {
        std::string reason = "not_a_reason";
        while (std::find(flow.reasons.begin(), flow.reasons.end(), reason) != flow.reasons.end()) {
          reason += "_";
        }
        properties[flow.reason_property] = reason;
      } else {  // a Completed or Failed must not carry a reason
        properties[flow.reason_property] = flow.reasons.empty() ? "cancelled" : flow.reasons[0];
      }
    } else if (rule == "FP107") {
      properties[flow.error_property] = bad_error;
    } else {
      // Longer than the span between Started and the terminal allows, yet a valid integer.
      properties[flow.duration->property] = *too_long_duration(draft);
    }
    return true;
  }

  bool implication_defect(std::vector<Draft>& drafts, const std::vector<std::size_t>& terminals) {
    for (std::size_t i : terminals) {
      const Flow& flow = flow_of(drafts[i]);
      for (const IntermediateEvent& event : flow.events) {
        if (!event.implies) continue;
        bool holds = drafts[i].role == role_of(event.implies->terminal);
        for (const auto& [name, value] : event.implies->properties.items()) {
          holds = holds && drafts[i].event["properties"].value(name, json()) == value;
        }
        if (holds) continue;
        Draft extra = make_draft(event, Role::extra, drafts[i].flow);
        extra.ms = drafts[i].ms;
        drafts.insert(drafts.begin() + static_cast<std::ptrdiff_t>(i), extra);
        return true;
      }
    }
    return false;
  }

  // Starts another flow inside an instance whose flow does not list it in `contains`.
  bool nesting_defect(std::vector<Draft>& drafts) {
    std::vector<int> open;  // flows open before each position
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (is_terminal(drafts[i].role) && !open.empty()) open.pop_back();
      if (drafts[i].role != Role::started) continue;
      open.push_back(drafts[i].flow);
      const Flow& outer = flow_of(drafts[i]);
      for (std::size_t c = 0; c < plan_.flows.size(); ++c) {
        const Flow& inner = plan_.flows[c];
        const bool listed = std::find(outer.contains.begin(), outer.contains.end(), inner.id) !=
                            outer.contains.end();
        if (listed || std::find(open.begin(), open.end(), static_cast<int>(c)) != open.end()) {
          continue;
        }
        const std::int64_t saved = clock_;
        clock_ = drafts[i].ms;
        Draft started = make_draft(inner.started, Role::extra, static_cast<int>(c));
        Draft terminal = make_terminal(inner, static_cast<int>(c), inner.terminal_kinds().front(),
                                       started.ms, nullptr);
        clock_ = saved;
        terminal.role = Role::extra;
        drafts.insert(drafts.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                      {std::move(started), std::move(terminal)});
        return true;
      }
    }
    return false;
  }

  bool envelope_defect(const std::string& rule, std::vector<json>& events) {
    const auto order = plan_.invocation.order;
    if (rule == "FP002") {
      json copy = events[random_.below(events.size())];
      json::json_pointer key(plan_.invocation.key);
      copy[key.parent_pointer()].erase(key.back());
      copy["messageId"] = random_.uuid();
      events.insert(events.begin() + static_cast<std::ptrdiff_t>(random_.below(events.size() + 1)),
                    std::move(copy));
      return true;
    }
    if (rule == "FP007") {  // a constant base property takes a second value
      const json base_schema = plan_.base_properties_json.value("properties", json::object());
      if (events.size() < 2) return false;
      for (const std::string& name : plan_.invocation_constant) {
        if ("/properties/" + name == plan_.invocation.key || !base_schema.contains(name)) continue;
        json& properties = events.back()["properties"];
        const json current = properties.value(name, json());
        for (int attempt = 0; attempt < 10; ++attempt) {
          json other = values_.make(base_schema.at(name));
          if (other != current) {
            properties[name] = other;
            return true;
          }
        }
      }
      return false;
    }
    if (!order) return false;
    const json::json_pointer pointer(*order);
    if (rule == "FP003") {
      if (events.size() < 2) return false;
      events.back()[pointer] = events[events.size() - 2][pointer];
      return true;
    }
    if (rule == "FP004") {
      if (events.size() < 2) return false;
      for (std::size_t i = 1 + random_.below(events.size() - 1); i < events.size(); ++i) {
        events[i][pointer] = events[i][pointer].get<std::int64_t>() + 1;
      }
      return true;
    }
    return false;
  }

  static constexpr const char* bad_error = "connection refused: dial tcp 10.0.0.7:443";

  const Plan& plan_;
  GeneratorOptions options_;
  Random random_;
  ValueMaker values_;
  std::vector<int> roots_;
  std::int64_t clock_ = 0;
  int next_instance_ = 0;
  GeneratorStats stats_;
};

}  // namespace

std::vector<std::string> generator_defect_rules() { return defect_rules(); }

GeneratorStats generate_stream(const Plan& plan, const GeneratorOptions& options,
                               std::ostream& out) {
  if (!(options.defect_rate >= 0 && options.defect_rate <= 1)) {
    throw std::invalid_argument("defect rate must be between 0 and 1");
  }
  if (options.interleave == 0) throw std::invalid_argument("interleave must be at least 1");
  if (options.defect_rule) {
    const auto& rules = defect_rules();
    if (std::find(rules.begin(), rules.end(), *options.defect_rule) == rules.end()) {
      throw std::invalid_argument("cannot inject defects of rule " + *options.defect_rule);
    }
  }
  if (plan.flows.empty() && plan.events.empty()) {
    throw std::invalid_argument("the plan declares no flow and no event to generate");
  }
  Generator generator(plan, options);
  return generator.run(out);
}

}  // namespace flowproof::conformance
