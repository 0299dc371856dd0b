// flowproof/properties/world.hpp — everything a product needs for one run under test: a prompter,
// a backend, a waiter, a recording client and a fake clock, all sharing one FakeSession. A random
// world draws every answer, outcome and Ctrl-C on demand inside a rapidcheck property (so failures
// shrink); a replay world takes them from a saved Script through the scripted fakes.
//
//   FLOWPROOF_PROPERTY(Create, AnyRun, ()) {
//     World world = World::random({.weights = {.interrupt_probability = 0.1}});
//     world.session().set_interruption(fakes::Interruption::as<mycli::Cancelled>());
//     mycli::App app(world.prompter(), world.backend(), world.waiter(), world.client(),
//                    world.clock());
//     try { app.create(world.flag("dry_run", 0.2)); } catch (...) {}
//     RC_ASSERT(world.script().steps.size() < 50);
//   }
#pragma once

#include <flowproof/fakes/backend.hpp>
#include <flowproof/fakes/prompter.hpp>
#include <flowproof/fakes/session.hpp>
#include <flowproof/fakes/waiter.hpp>
#include <flowproof/harness/recording.hpp>
#include <flowproof/properties/script.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace flowproof::properties {

/// How likely each decision is. Weights are relative; probabilities are 0..1.
struct DrawWeights {
  /// Chance of Ctrl-C at each fake call whose id matches one of interrupt_points.
  double interrupt_probability = 0.05;
  std::vector<std::string> interrupt_points = {"*"};
  /// Chance of end of input (Ctrl-D) at each prompt.
  double end_of_input_probability = 0.0;
  /// confirm answers.
  int confirm_yes = 4, confirm_no = 1, confirm_default = 1;
  /// text answers are drawn from these (the default answer is also drawn).
  std::vector<std::string> texts = {"my-app", "x"};
  /// Outcome weights per operation pattern ("update_plan", "create_*"); the first matching
  /// pattern wins, default_outcomes otherwise. `interrupted` is not drawn here (Ctrl-C is).
  std::vector<std::pair<std::string, std::map<fakes::Outcome, int>>> outcomes = {};
  std::map<fakes::Outcome, int> default_outcomes = {{fakes::Outcome::success, 8},
                                                    {fakes::Outcome::http_error, 1},
                                                    {fakes::Outcome::network_error, 1}};
  /// Success bodies per operation (exact name); {} otherwise.
  std::map<std::string, nlohmann::json> success_bodies = {};
};

/// What a world is built with.
struct WorldOptions {
  /// Base properties, sequence, ids; `clock` is replaced by the world's fake clock.
  harness::ClientOptions client = default_client_options();
  DrawWeights weights = {};
  /// How far the fake clock moves at every fake call (so durations are never all zero).
  std::chrono::milliseconds call_latency{100};

  /// invocation_id (a fixed UUID), command "test", flags null, app_id null.
  static harness::ClientOptions default_client_options();
};

/// The fakes of one run. Not copyable; movable only before the run starts.
class World {
 public:
  /// A world that draws every decision with *rc::gen inside the current property.
  static World random(WorldOptions options = {});
  /// A world that replays a script through the scripted fakes (no rapidcheck needed).
  static World replay(WorldOptions options, const Script& script);

  World(World&&) noexcept;
  World& operator=(World&&) noexcept;
  ~World();

  fakes::FakeSession& session();
  fakes::FakeClock& clock();
  fakes::Prompter& prompter();
  fakes::FakeBackend& backend();
  /// Read-only views (the funnel property's invariants get a const World): the transcript, the
  /// backend's call log (`calls()`), nothing that draws or records.
  const fakes::FakeSession& session() const;
  const fakes::FakeBackend& backend() const;
  fakes::FakeWaiter& waiter();
  harness::RecordingClient& client();
  /// A named yes/no decision (dry run, non-interactive, ...), drawn or replayed; recorded.
  bool flag(const std::string& name, double probability);

  /// The decisions so far (random) or the script being replayed.
  const Script& script() const;
  /// The recorded events so far.
  std::vector<harness::Event> events() const;
  /// Makes every later decision record whether this predicate holds (the funnel property asks
  /// "is the flow under test open?").
  void set_flow_probe(std::function<bool()> probe);
  /// Empty when a replay used its whole script; otherwise what is left.
  std::string verify() const;
  bool replaying() const;

 private:
  struct Impl;
  explicit World(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowproof::properties
