// script.cpp — drawn scripts: readable lines, JSON round trip, outcome names and responses.
#include <flowproof/properties/script.hpp>

#include <array>
#include <stdexcept>

namespace flowproof::properties {
namespace {

std::string quote(const std::string& text) { return nlohmann::json(text).dump(); }

std::string answer_text(const fakes::PromptAnswer& answer) {
  using Kind = fakes::PromptAnswer::Kind;
  switch (answer.kind) {
    case Kind::yes:
      return "yes";
    case Kind::no:
      return "no";
    case Kind::accept_default:
      return "default";
    case Kind::choose_label:
      return "choose " + quote(answer.value);
    case Kind::choose_index:
      return "choose #" + std::to_string(answer.index);
    case Kind::text:
      return "type " + quote(answer.value);
    case Kind::secret:
      return "type secret";
    case Kind::interrupt:
      return "interrupt";
    case Kind::end_of_input:
      return "end of input";
  }
  return "?";
}

constexpr std::array<std::pair<fakes::PromptAnswer::Kind, const char*>, 9> answer_kinds{{
    {fakes::PromptAnswer::Kind::yes, "yes"},
    {fakes::PromptAnswer::Kind::no, "no"},
    {fakes::PromptAnswer::Kind::accept_default, "accept_default"},
    {fakes::PromptAnswer::Kind::choose_label, "choose_label"},
    {fakes::PromptAnswer::Kind::choose_index, "choose_index"},
    {fakes::PromptAnswer::Kind::text, "text"},
    {fakes::PromptAnswer::Kind::secret, "secret"},
    {fakes::PromptAnswer::Kind::interrupt, "interrupt"},
    {fakes::PromptAnswer::Kind::end_of_input, "end_of_input"},
}};

constexpr std::array<std::pair<ScriptStep::Kind, const char*>, 4> step_kinds{{
    {ScriptStep::Kind::answer, "answer"},
    {ScriptStep::Kind::outcome, "outcome"},
    {ScriptStep::Kind::interrupt, "interrupt"},
    {ScriptStep::Kind::flag, "flag"},
}};

std::string after_colon(const std::string& point) {
  const auto colon = point.find(':');
  return colon == std::string::npos ? point : point.substr(colon + 1);
}

}  // namespace

std::string ScriptStep::describe() const {
  switch (kind) {
    case Kind::answer: {
      const std::string prompt_kind = after_colon(point);
      return prompt_kind + " " + quote(detail) + " -> " + answer_text(answer);
    }
    case Kind::outcome:
      return "backend " + detail + " -> " + value;
    case Kind::interrupt: {
      const auto colon = point.find(':');
      const std::string kind_name = colon == std::string::npos ? point : point.substr(0, colon);
      std::string where = kind_name + " " + after_colon(point);
      if (kind_name == "prompt" && !detail.empty()) where += " " + quote(detail);
      return where + " -> interrupt";
    }
    case Kind::flag:
      return "flag " + detail + " -> " + value;
  }
  return "?";
}

std::string Script::to_text() const {
  if (steps.empty()) return "  (no decisions drawn)\n";
  std::string out;
  for (const auto& step : steps) {
    out += step.call == 0 ? "  -- " : "  #" + std::to_string(step.call) + " ";
    out += step.describe();
    if (step.kind != ScriptStep::Kind::flag && !step.flow_open) out += "   (flow not open)";
    out += "\n";
  }
  return out;
}

const ScriptStep* Script::flag(const std::string& name) const {
  for (const auto& step : steps) {
    if (step.kind == ScriptStep::Kind::flag && step.detail == name) return &step;
  }
  return nullptr;
}

fakes::Outcome outcome_from_string(const std::string& name) {
  using fakes::Outcome;
  for (Outcome outcome : {Outcome::success, Outcome::billing_required, Outcome::already_on_plan,
                          Outcome::no_candidates, Outcome::http_error, Outcome::network_error,
                          Outcome::timeout, Outcome::region_unavailable, Outcome::interrupted}) {
    if (fakes::to_string(outcome) == name) return outcome;
  }
  throw std::invalid_argument("unknown backend outcome \"" + name + "\"");
}

fakes::Response response_for(fakes::Outcome outcome, const nlohmann::json& request,
                             nlohmann::json success_body) {
  using fakes::Outcome;
  using fakes::Response;
  switch (outcome) {
    case Outcome::success:
      return Response::success(std::move(success_body));
    case Outcome::billing_required:
      return Response::billing_required();
    case Outcome::already_on_plan:
      return Response::already_on_plan(request.is_object() && request.contains("plan") &&
                                               request["plan"].is_string()
                                           ? request["plan"].get<std::string>()
                                           : "");
    case Outcome::no_candidates:
      return Response::no_candidates();
    case Outcome::http_error:
      return Response::http_error(500, {}, "internal server error");
    case Outcome::network_error:
      return Response::network_error();
    case Outcome::timeout:
      return Response::timeout();
    case Outcome::region_unavailable:
      return Response::region_unavailable(request.is_object() && request.contains("region") &&
                                                  request["region"].is_string()
                                              ? request["region"].get<std::string>()
                                              : "");
    case Outcome::interrupted:
      return Response::interrupted();
  }
  return Response::success(std::move(success_body));
}

nlohmann::json to_json(const Script& script) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : script.steps) {
    nlohmann::json out;
    for (const auto& [kind, name] : step_kinds) {
      if (kind == step.kind) out["kind"] = name;
    }
    out["call"] = step.call;
    out["point"] = step.point;
    out["detail"] = step.detail;
    out["flow_open"] = step.flow_open;
    if (step.kind == ScriptStep::Kind::answer) {
      for (const auto& [kind, name] : answer_kinds) {
        if (kind == step.answer.kind) out["answer"] = name;
      }
      if (!step.answer.value.empty()) out["answer_value"] = step.answer.value;
      if (step.answer.kind == fakes::PromptAnswer::Kind::choose_index) {
        out["answer_index"] = step.answer.index;
      }
    } else if (!step.value.empty()) {
      out["value"] = step.value;
    }
    out["line"] = step.describe();
    steps.push_back(std::move(out));
  }
  return {{"steps", std::move(steps)}};
}

Script script_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("steps") || !json["steps"].is_array()) {
    throw std::invalid_argument("script: /steps must be an array");
  }
  Script script;
  std::size_t index = 0;
  for (const auto& in : json["steps"]) {
    const std::string where = "script: /steps/" + std::to_string(index++);
    if (!in.is_object()) throw std::invalid_argument(where + " must be an object");
    ScriptStep step;
    const std::string kind = in.value("kind", "");
    bool known = false;
    for (const auto& [value, name] : step_kinds) {
      if (kind == name) {
        step.kind = value;
        known = true;
      }
    }
    if (!known) throw std::invalid_argument(where + "/kind: unknown kind \"" + kind + "\"");
    step.call = in.value("call", std::size_t{0});
    step.point = in.value("point", "");
    step.detail = in.value("detail", "");
    step.flow_open = in.value("flow_open", false);
    step.value = in.value("value", "");
    if (step.kind == ScriptStep::Kind::answer) {
      const std::string answer = in.value("answer", "");
      bool known_answer = false;
      for (const auto& [value, name] : answer_kinds) {
        if (answer == name) {
          step.answer.kind = value;
          known_answer = true;
        }
      }
      if (!known_answer) {
        throw std::invalid_argument(where + "/answer: unknown answer \"" + answer + "\"");
      }
      step.answer.value = in.value("answer_value", "");
      step.answer.index = in.value("answer_index", std::size_t{0});
    }
    if (step.kind == ScriptStep::Kind::outcome) outcome_from_string(step.value);  // validates
    script.steps.push_back(std::move(step));
  }
  return script;
}

}  // namespace flowproof::properties
