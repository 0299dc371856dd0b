// schema.hpp (internal) — a JSON Schema (the plan-format.md subset) compiled once, validated many
// times against simdjson values on the event path.
#pragma once

#include "memo.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flowproof::conformance {

struct PlanProblem;
class Regex;

/// Remembered answers of `pattern` keywords, per expression: one per checker (never shared between
/// threads; the compiled schema itself stays immutable). It changes speed, never a result.
class PatternMemos {
 public:
  /// regex.partial_match(text), remembered for short texts.
  bool partial_match(const Regex& regex, std::string_view text);

 private:
  std::unordered_map<const Regex*, detail::MatchMemo> memos_;
  const Regex* last_regex_ = nullptr;  ///< the expression asked last, and its memo
  detail::MatchMemo* last_memo_ = nullptr;
};

/// One way a value breaks a schema.
struct SchemaError {
  std::string pointer;  ///< JSON pointer within the validated value ("" for the value itself)
  std::string message;  ///< e.g. `"build" is not one of ["free", "grow"]`
};

/// The member-by-member form of a schema whose root only describes an object's members (`type`
/// allowing objects, `properties`, `required`, `additionalProperties`; no `enum`, `const`, `anyOf`
/// or `$ref` beside them). A caller that walks an object for other reasons too (the event path)
/// visits each member once: member() for every member in document order, then finish(), append
/// exactly the errors validate() appends, in the same order, and give its answer.
class ObjectSchema {
 public:
  /// What the walk has seen so far; one per object walked.
  struct State {
    std::uint64_t required_seen = 0;  ///< bits of the first 64 `required` names seen
    std::size_t seen = 0;             ///< how many of those bits are set
    bool ok = true;
  };
  /// One of the names `properties` or `required` mentions (opaque); null for any other name.
  using Entry = const void*;
  /// The whole check of a member whose schema tests nothing below the value: its type, perhaps
  /// that it is one of some strings (`enum`), and scalar keywords (number bounds, string lengths,
  /// a `pattern` simple enough to need no memo). A caller that walks many objects keeps it per name
  /// and calls passed() for a value that passes(); a value that does not goes to member(), which
  /// reports it, so the errors are exactly member()'s.
  struct Quick {
    bool usable = false;                                ///< false: always use member()
    std::uint8_t types = 0;                             ///< type bits (0: any type)
    const std::vector<std::string>* strings = nullptr;  ///< set: one of these strings
    const void* scalar = nullptr;  ///< set: the node, whose scalar keywords are tested too
    int required_slot = -1;        ///< its `required` bit, or -1
    bool passes(simdjson::dom::element value) const;
  };
  virtual ~ObjectSchema() = default;
  /// Every name find() knows.
  virtual std::vector<std::string_view> names() const = 0;
  virtual Entry find(std::string_view key) const = 0;
  /// One member; `entry` is find(key), which a caller may have looked up once and kept.
  virtual void member(State& state, Entry entry, std::string_view key, simdjson::dom::element value,
                      std::vector<SchemaError>& errors, PatternMemos* memos) const = 0;
  /// The quick form of find(key)'s check, when it has one.
  virtual Quick quick(Entry entry) const = 0;
  /// Records that the name with `required` bit `required_slot` (-1: none) was seen, as member()
  /// does for every member.
  static void seen_required(State& state, int required_slot) {
    if (required_slot < 0 || required_slot >= 64) return;
    const std::uint64_t bit = std::uint64_t{1} << required_slot;
    if (!(state.required_seen & bit)) {
      state.required_seen |= bit;
      ++state.seen;
    }
  }
  /// What member() records of a value that passed its quick check.
  static void passed(State& state, const Quick& quick) {
    seen_required(state, quick.required_slot);
  }
  /// member(), with `quick` (quick(entry), kept by the caller) tried first.
  void check(State& state, Entry entry, const Quick& quick, std::string_view key,
             simdjson::dom::element value, std::vector<SchemaError>& errors,
             PatternMemos* memos) const {
    if (quick.usable && quick.passes(value)) {
      passed(state, quick);
    } else {
      member(state, entry, key, value, errors, memos);
    }
  }
  /// The `required` check; returns the answer for the whole object.
  virtual bool finish(State& state, simdjson::dom::object object,
                      std::vector<SchemaError>& errors) const = 0;
};

class Schema {
 public:
  virtual ~Schema() = default;
  /// The member-by-member form, or null when the root is not a plain object schema.
  virtual const ObjectSchema* object_schema() const { return nullptr; }
  /// Validates a value, appending each error; returns true when the value is valid. `memos`
  /// (optional) remembers `pattern` answers across calls.
  virtual bool validate(simdjson::dom::element value, std::vector<SchemaError>& errors,
                        PatternMemos* memos) const = 0;
  bool validate(simdjson::dom::element value, std::vector<SchemaError>& errors) const {
    return validate(value, errors, nullptr);
  }
};

/// Compiles `schema` (found at `pointer` in the plan). `definitions` is the plan's definitions map
/// for `$ref`. Problems (unknown keyword, bad type, dangling $ref, bad pattern) are appended with
/// their full JSON pointer; returns null when there was any. `plan_properties`: the names the plan
/// itself defines for the event (base properties, the invocation key and order, a terminal's
/// step, reason, error-class and duration properties), which the root's `additionalProperties`
/// counts as declared: the checker's own rules check them (docs/plan.md).
std::shared_ptr<const Schema> compile_schema(const nlohmann::json& schema,
                                             const std::string& pointer,
                                             const nlohmann::json& definitions,
                                             std::vector<PlanProblem>& problems,
                                             const std::vector<std::string>& plan_properties = {});

}  // namespace flowproof::conformance
