// flowproof/properties/script.hpp — what the random fakes drew in one run, as a readable script
// that can be saved (JSON) and replayed through the scripted fakes.
//
//   Script script = world.script();
//   std::cout << script.to_text();
//   //   #1 confirm "Accept terms?" -> no
//   //   #3 backend create_application -> billing_required
//   //   #4 wait browser -> interrupt
//   nlohmann::json saved = to_json(script);
//   Script again = script_from_json(saved);    // replay with World::replay(options, again)
#pragma once

#include <flowproof/fakes/backend.hpp>
#include <flowproof/fakes/prompter.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace flowproof::properties {

/// One drawn decision: a prompt answer, a backend outcome, a Ctrl-C, or a named flag.
struct ScriptStep {
  enum class Kind { answer, outcome, interrupt, flag };
  Kind kind = Kind::answer;
  std::size_t call = 0;  ///< the session call number it happened at (0 for flags)
  std::string point =
      {};  ///< call point id, e.g. "prompt:confirm", "backend:update_plan", "flag:dry_run"
  std::string detail = {};          ///< the question, or the operation name
  fakes::PromptAnswer answer = {};  ///< Kind::answer
  std::string value = {};  ///< Kind::outcome: the outcome's name; Kind::flag: "true" / "false"
  bool flow_open = false;  ///< whether the flow under test was open when it was drawn

  /// e.g. `confirm "Accept terms?" -> no`, `backend create_application -> billing_required`.
  std::string describe() const;
};

/// The decisions of one run, in the order they were drawn.
struct Script {
  std::vector<ScriptStep> steps = {};

  /// One numbered line per step ("(no decisions drawn)" when empty); lines end in '\n'.
  std::string to_text() const;
  /// The value a flag was drawn with, or nullptr when it never was.
  const ScriptStep* flag(const std::string& name) const;
};

/// Parses an outcome name ("billing_required"); throws std::invalid_argument for an unknown one.
fakes::Outcome outcome_from_string(const std::string& name);
/// A backend response for an outcome (bodies of successes come from the caller).
fakes::Response response_for(fakes::Outcome outcome, const nlohmann::json& request,
                             nlohmann::json success_body = nlohmann::json::object());

/// The script as JSON: {"steps": [{"kind": "answer", "call": 1, "point": ..., ...}]}.
nlohmann::json to_json(const Script& script);
/// Reads to_json's output back; throws std::invalid_argument naming the bad member.
Script script_from_json(const nlohmann::json& json);

}  // namespace flowproof::properties
