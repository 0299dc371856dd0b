// The command line: parsing, base properties and the command pair around every command.
#include "cloud_cli/cli.hpp"

#include "cloud_cli/commands.hpp"
#include "cloud_cli/errors.hpp"
#include "cloud_cli/funnels.hpp"
#include "cloud_cli/zoo.hpp"

#include <flowproof/harness/error_class.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

namespace cloud_cli {

namespace harness = flowproof::harness;

const char* version() { return "cloud-cli 1.4.0 (flowproof example)"; }

namespace {

const char* const usage_text = R"(usage: cloud-cli COMMAND [FLAGS]

commands:
  auth login        sign in (--no-browser: paste a code instead of waiting for the browser)
  app create        create an application (--name, --plan, --region, --yes, --dry-run)
  app upgrade       move an application to a bigger plan (--app, --plan, --yes, --dry-run)
  app downgrade     move an application to a smaller plan (--app, --plan, --yes, --dry-run)

flags:
  --non-interactive        never prompt; a missing value is an error
  --telemetry-file PATH    append telemetry as JSON Lines (or set CLOUD_CLI_TELEMETRY_FILE)
  --simulate OUTCOME,...   example only: make the simulated backend answer with these outcomes
                           (billing-wall, region-unavailable, api-error, network-error,
                           already-on-plan, no-candidates, session-expired, slow-browser, slow-api)
  --help, --version
)";

const std::map<std::string, bool, std::less<>>& known_flags() {
  // flag name -> takes a value
  static const std::map<std::string, bool, std::less<>> flags = {
      {"name", true},           {"plan", true},
      {"region", true},         {"app", true},
      {"telemetry-file", true}, {"simulate", true},
      {"dry-run", false},       {"yes", false},
      {"no-browser", false},    {"non-interactive", false}};
  return flags;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

ParseResult usage_error(std::string message) {
  ParseResult result;
  result.kind = ParseResult::Kind::usage_error;
  result.message = std::move(message) + "\n" + usage_text;
  return result;
}

}  // namespace

ParseResult parse_command_line(const std::vector<std::string>& args) {
  ParseResult result;
  Invocation& invocation = result.invocation;
  std::vector<std::string> words;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return {ParseResult::Kind::help, {}, usage_text};
    if (arg == "--version") return {ParseResult::Kind::version, {}, version()};
    if (arg == "-y") {
      invocation.yes = true;
      if (std::find(invocation.flags.begin(), invocation.flags.end(), "yes") ==
          invocation.flags.end())
        invocation.flags.push_back("yes");
      continue;
    }
    if (!arg.starts_with("--")) {
      words.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const std::size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    const auto known = known_flags().find(name);
    if (known == known_flags().end()) return usage_error("unknown flag --" + name);
    if (known->second && !value) {
      if (i + 1 >= args.size()) return usage_error("--" + name + " needs a value");
      value = args[++i];
    }
    if (!known->second && value) return usage_error("--" + name + " takes no value");
    // Telemetry records flag NAMES only: values can hold user data.
    if (std::find(invocation.flags.begin(), invocation.flags.end(), name) == invocation.flags.end())
      invocation.flags.push_back(name);
    if (name == "name") invocation.name = value;
    if (name == "plan") invocation.plan = value;
    if (name == "region") invocation.region = value;
    if (name == "app") invocation.app = value;
    if (name == "telemetry-file") invocation.telemetry_file = value;
    if (name == "simulate") {
      for (std::string& outcome : split(*value, ',')) invocation.simulate.push_back(outcome);
    }
    if (name == "dry-run") invocation.dry_run = true;
    if (name == "yes") invocation.yes = true;
    if (name == "no-browser") invocation.no_browser = true;
    if (name == "non-interactive") invocation.non_interactive = true;
  }
  if (words.empty()) return usage_error("no command given");
  std::string command;
  for (const std::string& word : words) command += (command.empty() ? "" : " ") + word;
  static const std::vector<std::string> commands = {"auth login", "app create", "app upgrade",
                                                    "app downgrade"};
  if (std::find(commands.begin(), commands.end(), command) == commands.end())
    return usage_error("unknown command \"" + command + "\"");
  invocation.command = command;
  return result;
}

nlohmann::json base_properties(const std::string& invocation_id, const Invocation& invocation) {
  nlohmann::json flags = nullptr;
  if (!invocation.flags.empty()) flags = invocation.flags;
  nlohmann::json app_id = nullptr;
  if (invocation.app) app_id = *invocation.app;
  return {{"invocation_id", invocation_id},
          {"app_id", app_id},
          {"command", invocation.command},
          {"flags", flags}};
}

int run_command(const Invocation& invocation, Services& services) {
  services.client.track(funnels::command_invoked);
  const auto started = services.clock.steady_now();
  std::exception_ptr error;
  try {
    if (invocation.command == "auth login") {
      auth_login(invocation, services);
    } else if (invocation.command == "app create") {
      app_create(invocation, services);
    } else {
      app_change_plan(invocation, services);
    }
  } catch (const std::runtime_error&) {  // product errors; test bugs (ScriptError) propagate
    error = std::current_exception();
  }
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(services.clock.steady_now() - started);

  int exit_code = 0;
  nlohmann::json completed = {{"succeeded", error == nullptr}, {"duration_ms", elapsed.count()}};
  if (error) {
    const bool cancelled = harness::is_registered_cancellation(error);
    exit_code = cancelled ? 130 : 1;
    // Only on error: the type name, never the message (messages can hold user data).
    completed["error_class"] = harness::error_class(error);
    completed["user_cancelled"] = cancelled;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      *services.out << (cancelled ? "Cancelled." : std::string("Error: ") + e.what()) << "\n";
    }
  }
  completed["exit_code"] = exit_code;
#if CLOUD_CLI_DEFECT_IS(call_site_overrides_base_property)
  // BUG (with its invocation client): the call site names the subcommand as `command` ("create").
  completed["command"] = invocation.command.substr(invocation.command.rfind(' ') + 1);
#endif
#if CLOUD_CLI_DEFECT_IS(racing_sequence)
  // BUG (with its invocation client's per-thread counter): Completed is sent by another thread.
  std::thread([&] { services.client.track(funnels::command_completed, completed); }).join();
#else
  services.client.track(funnels::command_completed, completed);
#endif
  return exit_code;
}

}  // namespace cloud_cli
