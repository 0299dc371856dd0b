// schema.hpp (internal) — a JSON Schema (the plan-format.md subset) compiled once, validated many
// times against simdjson values on the event path.
#pragma once

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace flowproof::conformance {

struct PlanProblem;

/// One way a value breaks a schema.
struct SchemaError {
  std::string pointer;  ///< JSON pointer within the validated value ("" for the value itself)
  std::string message;  ///< e.g. `"build" is not one of ["free", "grow"]`
};

class Schema {
 public:
  virtual ~Schema() = default;
  /// Validates a value, appending each error; returns true when the value is valid.
  virtual bool validate(simdjson::dom::element value, std::vector<SchemaError>& errors) const = 0;
};

/// Compiles `schema` (found at `pointer` in the plan). `definitions` is the plan's definitions map
/// for `$ref`. Problems (unknown keyword, bad type, dangling $ref, bad pattern) are appended with
/// their full JSON pointer; returns null when there was any.
std::shared_ptr<const Schema> compile_schema(const nlohmann::json& schema, const std::string& pointer,
                                             const nlohmann::json& definitions,
                                             std::vector<PlanProblem>& problems);

}  // namespace flowproof::conformance
