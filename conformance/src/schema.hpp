// schema.hpp (internal) — a JSON Schema (the plan-format.md subset) compiled once, validated many
// times against simdjson values on the event path.
#pragma once

#include "memo.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

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

class Schema {
 public:
  virtual ~Schema() = default;
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
/// their full JSON pointer; returns null when there was any.
std::shared_ptr<const Schema> compile_schema(const nlohmann::json& schema,
                                             const std::string& pointer,
                                             const nlohmann::json& definitions,
                                             std::vector<PlanProblem>& problems);

}  // namespace flowproof::conformance
