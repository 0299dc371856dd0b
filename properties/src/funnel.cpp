// funnel.cpp — the generic funnel property: the per-run checks, the property around them, and the
// regression corpus they save to and replay from.
#include <flowproof/properties/corpus.hpp>
#include <flowproof/properties/funnel.hpp>

#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/output_file.hpp>
#include <flowproof/harness/timeline.hpp>

#include <rapidcheck.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flowproof::properties {
namespace {

thread_local Script last_script;
thread_local std::vector<std::string> last_problems;

std::optional<std::int64_t> timestamp_ms(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &year, &month, &day, &hour, &minute,
                  &second, &millis) != 7) {
    return std::nullopt;
  }
  const auto days = std::chrono::sys_days(std::chrono::year(year) /
                                          std::chrono::month(static_cast<unsigned>(month)) /
                                          std::chrono::day(static_cast<unsigned>(day)));
  return std::chrono::duration_cast<std::chrono::milliseconds>(days.time_since_epoch()).count() +
         ((hour * 60 + minute) * 60 + second) * 1000LL + millis;
}

std::string kind_name(conformance::TerminalKind kind) {
  return std::string(conformance::to_string(kind));
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string drawn_word(const ScriptStep& step) {
  using Kind = fakes::PromptAnswer::Kind;
  switch (step.kind) {
    case ScriptStep::Kind::interrupt:
      return "interrupt";
    case ScriptStep::Kind::outcome:
      return step.value;
    case ScriptStep::Kind::flag:
      return step.value;
    case ScriptStep::Kind::answer:
      switch (step.answer.kind) {
        case Kind::yes:
          return "yes";
        case Kind::no:
          return "no";
        case Kind::accept_default:
          return "default";
        case Kind::interrupt:
          return "interrupt";
        case Kind::end_of_input:
          return "end_of_input";
        default:
          return "answer";
      }
  }
  return {};
}

bool rule_matches(const OutcomeRule& rule, const ScriptStep& step) {
  if (step.kind == ScriptStep::Kind::flag) return false;
  return fakes::call_point_matches(rule.when, step.point) && drawn_word(step) == rule.drawn &&
         (rule.question.empty() || step.detail.find(rule.question) != std::string::npos);
}

std::string property_text(const nlohmann::json& properties, const std::string& name) {
  if (!properties.contains(name)) return "(missing)";
  return properties[name].is_string() ? properties[name].get<std::string>()
                                      : properties[name].dump();
}

}  // namespace

std::vector<std::string> plan_coverage_tags(const conformance::Flow& flow) {
  std::vector<std::string> tags;
  for (auto kind : flow.terminal_kinds()) tags.push_back("terminal:" + kind_name(kind));
  if (flow.aborted) {
    for (const auto& reason : flow.reasons) tags.push_back("reason:" + reason);
  }
  return tags;
}

FunnelCase run_funnel_case(const conformance::Plan& plan, const std::string& flow_id,
                           const FunnelRun& run, const FunnelExpectations& expectations,
                           World& world) {
  FunnelCase out;
  const conformance::Flow* flow = plan.find_flow(flow_id);
  if (flow == nullptr) throw std::invalid_argument("the plan declares no flow \"" + flow_id + "\"");

  std::vector<std::string> terminal_names;
  for (auto kind : flow->terminal_kinds()) terminal_names.push_back(flow->terminal(kind)->name);
  std::vector<std::string> own_names = terminal_names;
  own_names.push_back(flow->started.name);
  for (const auto& event : flow->events) own_names.push_back(event.name);

  harness::RecordingClient& client = world.client();
  world.set_flow_probe([&client, flow, &terminal_names] {
    int open = 0;
    for (const auto& event : client.events()) {
      if (event.name == flow->started.name) ++open;
      if (contains(terminal_names, event.name)) --open;
    }
    return open > 0;
  });

  try {
    run(world);
  } catch (const fakes::ScriptError& error) {
    out.problems.push_back(std::string("the fakes were used in a way the script does not allow: ") +
                           error.what());
  } catch (...) {
    out.exception = harness::error_class(std::current_exception());
  }
  world.set_flow_probe(nullptr);

  const std::vector<harness::Event> events = world.events();
  out.timeline = harness::format_timeline(events);
  out.script = world.script().to_text();
  if (world.replaying()) {
    const std::string left = world.verify();
    if (!left.empty()) out.problems.push_back("the replayed script was not used up: " + left);
  }

  std::vector<std::size_t> started, terminals, own;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].name == flow->started.name) started.push_back(i);
    if (contains(terminal_names, events[i].name)) terminals.push_back(i);
    if (contains(own_names, events[i].name)) own.push_back(i);
  }

  const bool expected = expectations.flow_expected ? expectations.flow_expected(world) : true;
  if (!expected) {
    out.tags.push_back("flow:absent");
    if (!own.empty()) {
      out.problems.push_back("this run must not track " + flow_id + " (e.g. a dry run), yet " +
                             std::to_string(own.size()) + " of its events were recorded");
    }
  } else if (started.size() != 1) {
    out.problems.push_back("expected exactly one \"" + flow->started.name + "\", got " +
                           std::to_string(started.size()));
  }
  if (expected && terminals.size() != 1) {
    std::string names;
    for (auto i : terminals) names += " \"" + events[i].name + "\"";
    out.problems.push_back(
        "expected exactly one terminal event of " + flow_id + ", got " +
        std::to_string(terminals.size()) + (names.empty() ? "" : ":" + names) +
        (out.exception.empty() ? "" : " (the product ended with " + out.exception + ")"));
  }

  if (expected && started.size() == 1 && terminals.size() == 1) {
    const harness::Event& start = events[started[0]];
    const harness::Event& terminal = events[terminals[0]];
    if (terminals[0] < started[0]) out.problems.push_back("the terminal came before Started");
    conformance::TerminalKind kind = conformance::TerminalKind::completed;
    for (auto candidate : flow->terminal_kinds()) {
      if (flow->terminal(candidate)->name == terminal.name) kind = candidate;
    }
    out.tags.push_back("terminal:" + kind_name(kind));
    const nlohmann::json& props = terminal.properties;
    const auto string_of = [&props](const std::string& name) -> std::optional<std::string> {
      if (!props.contains(name) || !props[name].is_string()) return std::nullopt;
      return props[name].get<std::string>();
    };
    std::optional<std::string> step = string_of(flow->step_property);
    std::optional<std::string> reason = string_of(flow->reason_property);
    if (kind != conformance::TerminalKind::completed) {
      if (!step || (!flow->steps.empty() && !contains(flow->steps, *step))) {
        out.problems.push_back(terminal.name + " has an invalid " + flow->step_property + ": " +
                               property_text(props, flow->step_property));
      }
    }
    if (kind == conformance::TerminalKind::aborted) {
      if (!reason) {
        if (flow->reason_required) {
          out.problems.push_back(terminal.name + " carries no " + flow->reason_property);
        }
      } else if (!contains(flow->reasons, *reason)) {
        out.problems.push_back(terminal.name + " has an undeclared " + flow->reason_property +
                               ": " + *reason);
      } else {
        out.tags.push_back("reason:" + *reason);
      }
    } else if (props.contains(flow->reason_property)) {
      out.problems.push_back(terminal.name + " must not carry a " + flow->reason_property);
    }
    if (kind == conformance::TerminalKind::failed) {
      if (step) out.tags.push_back("failed_step:" + *step);
      const std::optional<std::string> error = string_of(flow->error_property);
      if (!error || error->empty() || error->find_first_of(" \t\n") != std::string::npos) {
        out.problems.push_back(terminal.name + " needs a type name as " + flow->error_property +
                               ", got " + property_text(props, flow->error_property));
      }
    }
    if (flow->duration) {
      if (flow->duration->required_on(kind)) {
        const auto begin = timestamp_ms(start.timestamp);
        const auto end = timestamp_ms(terminal.timestamp);
        const auto& name = flow->duration->property;
        if (!props.contains(name) || !props[name].is_number_integer()) {
          out.problems.push_back(terminal.name + " has no integer " + name);
        } else if (begin && end && props[name].get<std::int64_t>() != *end - *begin) {
          out.problems.push_back(terminal.name + " reports " + name + "=" + props[name].dump() +
                                 " but the fake clock moved " + std::to_string(*end - *begin) +
                                 " ms between Started and the terminal");
        }
      }
    }

    if (const auto end = timestamp_ms(terminal.timestamp);
        end && !expectations.after_flow.empty()) {
      const std::int64_t wall_start = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          fakes::FakeClock::default_wall_start().time_since_epoch())
                                          .count();
      for (const auto& entry : world.session().transcript()) {
        const std::string id = entry.point.id();
        const bool after = std::any_of(
            expectations.after_flow.begin(), expectations.after_flow.end(),
            [&id](const std::string& pattern) { return fakes::call_point_matches(pattern, id); });
        const std::int64_t at =
            wall_start + std::chrono::duration_cast<std::chrono::milliseconds>(entry.at).count();
        // Every fake call moves the clock by call_latency before it is entered, so a call that
        // follows the terminal is entered strictly later; a call entered at the terminal's own
        // time was still inside the flow (it took no time, and the terminal came right after
        // it). With no latency, only calls that took time can be told apart.
        const bool inside = expectations.world.call_latency.count() > 0 ? *end >= at : *end > at;
        if (after && inside) {
          out.problems.push_back(terminal.name + " came after " + id + " (#" +
                                 std::to_string(entry.number) +
                                 "), which follows the flow: its duration includes it");
          break;
        }
      }
    }

    std::vector<OutcomeRule> rules = expectations.rules;
    if (expectations.interrupt_means_cancelled) {
      rules.push_back({.when = "*",
                       .question = "",
                       .drawn = "interrupt",
                       .terminal = conformance::TerminalKind::aborted,
                       .reason = "cancelled",
                       .step = ""});
    }
    bool decided = false;
    for (const auto& drawn : world.script().steps) {
      if (decided || !drawn.flow_open) continue;
      for (const auto& rule : rules) {
        if (!rule_matches(rule, drawn)) continue;
        decided = true;
        const std::string because =
            " because of `" + drawn.describe() + "` while the flow was open";
        if (kind != rule.terminal) {
          out.problems.push_back("expected " + kind_name(rule.terminal) + because + ", got " +
                                 terminal.name);
        } else {
          if (!rule.reason.empty() && reason != rule.reason) {
            out.problems.push_back("expected reason " + rule.reason + because + ", got " +
                                   property_text(props, flow->reason_property));
          }
          if (!rule.step.empty() && step != rule.step) {
            out.problems.push_back("expected step " + rule.step + because + ", got " +
                                   property_text(props, flow->step_property));
          }
        }
        break;
      }
    }
  }

  const FinishedRun finished{
      .plan = plan, .flow = *flow, .world = world, .events = events, .exception = out.exception};
  for (const Invariant& invariant : expectations.invariants) {
    const std::string label = "invariant " + invariant.name;
    if (!invariant.check) {
      out.problems.push_back(label + " has no check");
      continue;
    }
    try {
      for (const std::string& problem : invariant.check(finished)) {
        out.problems.push_back(label + ": " + problem);
      }
    } catch (const std::exception& error) {
      // A broken invariant is a problem of the case (named, shrunk), not a crash of the property.
      out.problems.push_back(label + " threw " + harness::error_class(error) + ": " + error.what());
    } catch (...) {
      out.problems.push_back(label + " threw " + harness::error_class(std::current_exception()));
    }
  }

  const conformance::Report report = conformance::check(plan, events, expectations.check_options);
  for (const auto& violation : report.violations) {
    if (violation.waived || violation.severity != conformance::Severity::error) continue;
    out.problems.push_back("checker: " + violation.rule + " " + violation.name + ": " +
                           violation.message);
  }

  out.signature = out.timeline;
  for (const auto& problem : out.problems) out.signature += "\n" + problem;
  return out;
}

void check_funnel(const conformance::Plan& plan, const std::string& flow_id, const FunnelRun& run,
                  const FunnelExpectations& expectations) {
  if (const conformance::Flow* flow = plan.find_flow(flow_id)) {
    require_reach(expectations.reachable ? *expectations.reachable : plan_coverage_tags(*flow));
  }
  World world = World::random(expectations.world);
  const FunnelCase result = run_funnel_case(plan, flow_id, run, expectations, world);
  last_script = world.script();
  last_problems = result.problems;
  note("script", result.script);
  note("timeline", result.timeline);
  for (const auto& tag : result.tags) cover(tag);
  if (!result.problems.empty()) {
    std::string text = "the " + flow_id + " funnel broke:";
    for (const auto& problem : result.problems) text += "\n  - " + problem;
    note("problems", text);
    // Not RC_FAIL: its message would start with this file's path and line, which are flowproof's
    // and mean nothing on the user's machine; the failure is reported at the user's test.
    throw rc::detail::CaseResult(rc::detail::CaseResult::Type::Failure, text);
  }
}

std::function<bool(World&)> unless_flag(std::string flag, std::string value) {
  return [flag = std::move(flag), value = std::move(value)](World& world) {
    const ScriptStep* drawn = world.script().flag(flag);
    return drawn == nullptr || drawn->value != value;
  };
}

PropertyResult check_funnel_property(const conformance::Plan& plan, const std::string& flow_id,
                                     const FunnelRun& run, const FunnelExpectations& expectations,
                                     const FunnelPropertyOptions& options) {
  std::string id = options.id;
  if (id.empty()) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    id = info != nullptr ? std::string(info->test_suite_name()) + "/" + info->name()
                         : "funnel/" + flow_id;
  }
  PropertyResult result =
      run_property(id, options.property, [&] { check_funnel(plan, flow_id, run, expectations); });
  const std::filesystem::path dir = corpus_dir(options.corpus_dir);
  if (result.verdict == PropertyResult::Verdict::failed && options.save_to_corpus && !dir.empty()) {
    CorpusEntry entry{.id = id,
                      .flow = flow_id,
                      .plan = plan.name,
                      .script = last_script,
                      .problems = last_problems,
                      .reproduce = result.reproduce,
                      .path = {}};
    const std::filesystem::path saved = save_corpus_entry(dir, entry);
    result.notes.emplace_back("corpus", saved.string());
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// corpus

nlohmann::json to_json(const CorpusEntry& entry) {
  return {{"flowproof_corpus", 1},
          {"id", entry.id},
          {"flow", entry.flow},
          {"plan", entry.plan},
          {"script", to_json(entry.script)},
          {"problems", entry.problems},
          {"reproduce", entry.reproduce}};
}

CorpusEntry corpus_entry_from_json(const nlohmann::json& json) {
  if (!json.is_object() || json.value("flowproof_corpus", 0) != 1) {
    throw std::invalid_argument("corpus: /flowproof_corpus must be 1");
  }
  if (!json.contains("flow") || !json["flow"].is_string()) {
    throw std::invalid_argument("corpus: /flow must be a string");
  }
  CorpusEntry entry;
  entry.id = json.value("id", "");
  entry.flow = json["flow"].get<std::string>();
  entry.plan = json.value("plan", "");
  entry.script = script_from_json(json.value("script", nlohmann::json::object()));
  if (json.contains("problems") && json["problems"].is_array()) {
    for (const auto& problem : json["problems"]) {
      if (problem.is_string()) entry.problems.push_back(problem.get<std::string>());
    }
  }
  entry.reproduce = json.value("reproduce", "");
  return entry;
}

std::filesystem::path corpus_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* env = std::getenv("FLOWPROOF_CORPUS_DIR");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path();
}

std::filesystem::path save_corpus_entry(const std::filesystem::path& dir,
                                        const CorpusEntry& entry) {
  std::filesystem::create_directories(dir);
  std::string name = entry.id.empty() ? entry.flow : entry.id;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ' ' || c == '-') c = '.';  // ('-' would split a gtest filter)
  }
  // Named by its script too (FNV-1a of the script's JSON), so a second bug the same property finds
  // gets a file of its own instead of replacing the first one's regression, and the same minimal
  // script found again rewrites its own file.
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : to_json(entry.script).dump()) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  char digits[9];
  std::snprintf(digits, sizeof digits, "%08llx", static_cast<unsigned long long>(hash >> 32));
  const std::filesystem::path path = dir / (name + "_" + digits + ".json");
  const std::string text = to_json(entry).dump(2) + "\n";
  harness::write_output_file(path.string(), [&](std::ostream& out) { out << text; });
  return path;
}

std::vector<CorpusEntry> load_corpus(const std::filesystem::path& dir) {
  std::vector<CorpusEntry> entries;
  if (dir.empty() || !std::filesystem::is_directory(dir)) return entries;
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(dir)) {
    if (item.is_regular_file() && item.path().extension() == ".json") files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    try {
      CorpusEntry entry = corpus_entry_from_json(nlohmann::json::parse(in));
      entry.path = file;
      entries.push_back(std::move(entry));
    } catch (const std::exception& error) {
      throw std::invalid_argument(file.string() + ": " + error.what());
    }
  }
  return entries;
}

std::string ReplayResult::to_text() const {
  std::ostringstream out;
  if (flaky) out << "FLAKY: the replayed script did not end the same way on every run\n";
  for (const auto& problem : problems) out << "  - " << problem << "\n";
  out << "script:\n" << first.script << "timeline:\n" << first.timeline;
  return out.str();
}

ReplayResult replay_corpus_entry(const conformance::Plan& plan, const CorpusEntry& entry,
                                 const FunnelRun& run, const FunnelExpectations& expectations,
                                 int runs) {
  ReplayResult result;
  for (int i = 0; i < std::max(1, runs); ++i) {
    World world = World::replay(expectations.world, entry.script);
    FunnelCase one = run_funnel_case(plan, entry.flow, run, expectations, world);
    if (i == 0) {
      result.problems = one.problems;
      result.first = std::move(one);
    } else if (one.signature != result.first.signature) {
      result.flaky = true;
    }
  }
  return result;
}

namespace {
class CorpusReplayTest : public ::testing::Test {
 public:
  CorpusReplayTest(std::function<conformance::Plan()> plan, FunnelRun run,
                   FunnelExpectations expectations, CorpusEntry entry)
      : plan_(std::move(plan)),
        run_(std::move(run)),
        expectations_(std::move(expectations)),
        entry_(std::move(entry)) {}
  void TestBody() override {
    const conformance::Plan plan = plan_();
    const ReplayResult result = replay_corpus_entry(plan, entry_, run_, expectations_);
    ::testing::Test::RecordProperty("flowproof_corpus_file", entry_.path.string());
    EXPECT_FALSE(result.flaky) << result.to_text();
    EXPECT_TRUE(result.problems.empty())
        << entry_.path.string() << " (found by " << entry_.id << ") still fails:\n"
        << result.to_text();
  }

 private:
  std::function<conformance::Plan()> plan_;
  FunnelRun run_;
  FunnelExpectations expectations_;
  CorpusEntry entry_;
};
}  // namespace

std::size_t register_corpus_tests(const std::string& suite, const std::filesystem::path& dir,
                                  std::function<conformance::Plan()> plan, const FunnelRun& run,
                                  FunnelExpectations expectations) {
  std::size_t count = 0;
  for (CorpusEntry& entry : load_corpus(dir)) {
    const std::string name = entry.path.stem().string();
    const std::string file = entry.path.string();
    ::testing::RegisterTest(
        suite.c_str(), name.c_str(), nullptr, nullptr, file.c_str(), 1,
        [plan, run, expectations, entry = std::move(entry)]() -> ::testing::Test* {
          return new CorpusReplayTest(plan, run, expectations, entry);
        });
    ++count;
  }
  return count;
}

}  // namespace flowproof::properties
