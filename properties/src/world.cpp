// world.cpp — World: the fakes of one run, with random sources (drawn inside a property) or the
// scripted ones (replaying a saved Script).
#include <flowproof/properties/world.hpp>

#include <rapidcheck.h>

#include <cmath>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace flowproof::properties {
namespace {

// A uniform draw in [0, count): rapidcheck scales inRange by the size, which would make the
// first choice win almost always in small cases; decisions must keep their weights at any size.
template <class T>
T draw_below(T count) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(0, count));
}

// Draws an index by relative weight; shrinks towards the first entry.
std::size_t draw_weighted(const std::vector<int>& weights) {
  int total = 0;
  for (int weight : weights) total += std::max(weight, 0);
  if (total <= 0) return 0;
  int pick = draw_below(total);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    pick -= std::max(weights[i], 0);
    if (pick < 0) return i;
  }
  return weights.size() - 1;
}

bool draw_chance(double probability) {
  if (probability <= 0) return false;
  const int per_mille = static_cast<int>(std::lround(std::min(probability, 1.0) * 1000));
  return draw_weighted({1000 - per_mille, per_mille}) == 1;
}

}  // namespace

harness::ClientOptions WorldOptions::default_client_options() {
  harness::ClientOptions options;
  options.base_properties = {{"invocation_id", "00000000-0000-4000-8000-000000000001"},
                             {"command", "test"},
                             {"flags", nullptr},
                             {"app_id", nullptr}};
  return options;
}

struct World::Impl : fakes::AnswerSource, fakes::OutcomeSource, fakes::InterruptSource {
  explicit Impl(WorldOptions world_options)
      : options(std::move(world_options)),
        session(fakes::FakeClock::Options{.auto_advance = options.call_latency}),
        client(client_options(options.client, session.clock())),
        waiter(session),
        prompter(session, *this),
        backend(session, *this) {}

  static harness::ClientOptions client_options(harness::ClientOptions base,
                                               fakes::FakeClock& clock) {
    base.clock = &clock;
    return base;
  }

  bool probe() const { return flow_probe ? flow_probe() : false; }

  void record(ScriptStep step) {
    std::lock_guard lock(mutex);
    step.flow_open = probe();
    script.steps.push_back(std::move(step));
  }

  // --- AnswerSource ---
  std::optional<fakes::PromptAnswer> next_answer(const fakes::Prompt& prompt) override {
    if (replay) return replay_answers.next_answer(prompt);
    using Kind = fakes::PromptAnswer::Kind;
    fakes::PromptAnswer answer;
    if (draw_chance(options.weights.end_of_input_probability)) {
      answer.kind = Kind::end_of_input;
    } else {
      switch (prompt.kind) {
        case fakes::PromptKind::confirm: {
          const Kind kinds[] = {Kind::yes, Kind::no, Kind::accept_default};
          answer.kind =
              kinds[draw_weighted({options.weights.confirm_yes, options.weights.confirm_no,
                                   options.weights.confirm_default})];
          break;
        }
        case fakes::PromptKind::select:
          answer.kind = Kind::choose_index;
          answer.index = prompt.options.empty() ? 0 : draw_below(prompt.options.size());
          break;
        case fakes::PromptKind::text: {
          std::vector<int> weights(options.weights.texts.size() + 1, 1);
          const std::size_t pick = draw_weighted(weights);
          if (pick == 0) {
            answer.kind = Kind::accept_default;
          } else {
            answer.kind = Kind::text;
            answer.value = options.weights.texts[pick - 1];
          }
          break;
        }
        case fakes::PromptKind::secret:
          answer.kind = Kind::secret;
          answer.value = "s3cret-value";
          break;
      }
    }
    ScriptStep step;
    step.kind = ScriptStep::Kind::answer;
    step.call = session.call_count();
    step.point = "prompt:" + std::string(fakes::to_string(prompt.kind));
    step.detail = prompt.question;
    step.answer = answer;
    record(std::move(step));
    return answer;
  }
  std::string position() const override {
    return replay ? replay_answers.position()
                  : "random answer " + std::to_string(script.steps.size() + 1);
  }
  std::string verify() const override {
    return replay ? replay_answers.verify() + replay_outcomes.verify() : std::string();
  }

  // --- OutcomeSource ---
  std::optional<fakes::Response> next_outcome(std::string_view operation,
                                              const nlohmann::json& request) override {
    if (replay) return replay_outcomes.next_outcome(operation, request);
    const std::map<fakes::Outcome, int>* weights = &options.weights.default_outcomes;
    for (const auto& [pattern, table] : options.weights.outcomes) {
      if (fakes::call_point_matches(pattern, operation)) {
        weights = &table;
        break;
      }
    }
    // success first so that shrinking moves towards it
    std::vector<fakes::Outcome> outcomes;
    std::vector<int> table;
    if (weights->count(fakes::Outcome::success) != 0) {
      outcomes.push_back(fakes::Outcome::success);
      table.push_back(weights->at(fakes::Outcome::success));
    }
    for (const auto& [outcome, weight] : *weights) {
      if (outcome == fakes::Outcome::success || outcome == fakes::Outcome::interrupted) continue;
      outcomes.push_back(outcome);
      table.push_back(weight);
    }
    const fakes::Outcome outcome =
        outcomes.empty() ? fakes::Outcome::success : outcomes[draw_weighted(table)];
    const auto body = options.weights.success_bodies.find(std::string(operation));
    ScriptStep step;
    step.kind = ScriptStep::Kind::outcome;
    step.call = session.call_count();
    step.point = "backend:" + std::string(operation);
    step.detail = std::string(operation);
    step.value = std::string(fakes::to_string(outcome));
    record(std::move(step));
    return response_for(
        outcome, request,
        body == options.weights.success_bodies.end() ? nlohmann::json::object() : body->second);
  }

  // --- InterruptSource ---
  bool interrupt_here(const fakes::CallPoint& point, std::size_t number) override {
    const std::string id = point.id();
    bool eligible = false;
    for (const auto& pattern : options.weights.interrupt_points) {
      eligible = eligible || fakes::call_point_matches(pattern, id);
    }
    if (!eligible || !draw_chance(options.weights.interrupt_probability)) return false;
    ScriptStep step;
    step.kind = ScriptStep::Kind::interrupt;
    step.call = number;
    step.point = id;
    // What OutcomeRule::question matches: the prompt's question, or the operation / wait name.
    step.detail = point.kind == "prompt" ? prompt_question(number) : point.name;
    record(std::move(step));
    return true;
  }

  // The question of the prompt at call `number`: its transcript detail starts with the question
  // in double quotes (`"Choose a plan" [build, grow]`).
  std::string prompt_question(std::size_t number) {
    const std::vector<fakes::TranscriptEntry> transcript = session.transcript();
    if (number == 0 || number > transcript.size()) return {};
    const std::string& shown = transcript[number - 1].detail;
    if (shown.empty() || shown.front() != '"') return shown;
    std::string question;
    for (std::size_t i = 1; i < shown.size(); ++i) {
      if (shown[i] == '\\' && i + 1 < shown.size()) {
        ++i;
        question += shown[i] == 'n' ? '\n' : shown[i];
      } else if (shown[i] == '"') {
        break;
      } else {
        question += shown[i];
      }
    }
    return question;
  }

  void load_replay(const Script& saved) {
    replay = true;
    script = saved;
    for (const auto& step : saved.steps) {
      switch (step.kind) {
        case ScriptStep::Kind::answer: {
          fakes::PromptAnswer answer = step.answer;
          answer.expect = fakes::exactly(step.detail);
          replay_answers.add(std::move(answer));
          break;
        }
        case ScriptStep::Kind::outcome: {
          const auto body = options.weights.success_bodies.find(step.detail);
          replay_outcomes.add(
              step.detail,
              response_for(outcome_from_string(step.value), nlohmann::json::object(),
                           body == options.weights.success_bodies.end() ? nlohmann::json::object()
                                                                        : body->second));
          break;
        }
        case ScriptStep::Kind::interrupt:
          session.interrupt_at_call(step.call);
          break;
        case ScriptStep::Kind::flag:
          break;
      }
    }
  }

  WorldOptions options;
  fakes::FakeSession session;
  harness::RecordingClient client;
  fakes::FakeWaiter waiter;
  fakes::FakePrompter prompter;
  fakes::FakeBackend backend;
  mutable std::mutex mutex;
  Script script;
  std::function<bool()> flow_probe;
  bool replay = false;
  fakes::ScriptedAnswers replay_answers;
  fakes::ScriptedOutcomes replay_outcomes;
};

World::World(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;
World::~World() = default;

World World::random(WorldOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  impl->session.set_interrupt_source(impl.get());
  return World(std::move(impl));
}

World World::replay(WorldOptions options, const Script& script) {
  auto impl = std::make_unique<Impl>(std::move(options));
  impl->load_replay(script);
  return World(std::move(impl));
}

fakes::FakeSession& World::session() { return impl_->session; }
fakes::FakeClock& World::clock() { return impl_->session.clock(); }
fakes::Prompter& World::prompter() { return impl_->prompter; }
fakes::FakeBackend& World::backend() { return impl_->backend; }
const fakes::FakeSession& World::session() const { return impl_->session; }
const fakes::FakeBackend& World::backend() const { return impl_->backend; }
fakes::FakeWaiter& World::waiter() { return impl_->waiter; }
harness::RecordingClient& World::client() { return impl_->client; }

bool World::flag(const std::string& name, double probability) {
  if (impl_->replay) {
    const ScriptStep* step = impl_->script.flag(name);
    return step != nullptr && step->value == "true";
  }
  const bool value = draw_chance(probability);
  ScriptStep step;
  step.kind = ScriptStep::Kind::flag;
  step.point = "flag:" + name;
  step.detail = name;
  step.value = value ? "true" : "false";
  impl_->record(std::move(step));
  return value;
}

const Script& World::script() const { return impl_->script; }
std::vector<harness::Event> World::events() const { return impl_->client.events(); }
void World::set_flow_probe(std::function<bool()> probe) { impl_->flow_probe = std::move(probe); }
std::string World::verify() const { return impl_->verify(); }
bool World::replaying() const { return impl_->replay; }

}  // namespace flowproof::properties
