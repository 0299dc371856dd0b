// cloud_cli/cli.hpp — the command line: parsing, base properties, and the command pair.
//
//   ParseResult parsed = parse_command_line({"app", "create", "--plan", "free", "--dry-run"});
//   // parsed.invocation.command == "app create", flags == {"plan", "dry-run"} (names, never
//   values) ClientOptions options{.base_properties = base_properties(new_invocation_id(),
//   parsed.invocation)}; int exit_code = run_command(parsed.invocation, services);  // Command
//   Invoked ... Completed
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cloud_cli {

struct Services;

/// One parsed command line.
struct Invocation {
  std::string command;             ///< "auth login", "app create", "app upgrade", "app downgrade"
  std::vector<std::string> flags;  ///< flag names in the order given, without dashes or values
  std::optional<std::string> name, plan, region, app, telemetry_file;
  std::vector<std::string> simulate;  ///< example-only: outcomes for the simulated backend
  bool dry_run = false;
  bool yes = false;              ///< accept the terms without asking
  bool no_browser = false;       ///< auth login: paste a code instead of waiting for the browser
  bool non_interactive = false;  ///< never prompt; a missing value is an error
};

/// What the command line asks for. Only `run` starts a command (and sends the command pair).
struct ParseResult {
  enum class Kind { run, help, version, usage_error };
  Kind kind = Kind::run;
  Invocation invocation;
  std::string message;  ///< the help text, the version, or what is wrong
};

/// Parses arguments (without the program name).
ParseResult parse_command_line(const std::vector<std::string>& args);

/// The properties every track call carries: invocation_id, app_id (null unless --app),
/// command, flags (names only; null when none). The client adds `sequence`.
nlohmann::json base_properties(const std::string& invocation_id, const Invocation& invocation);

/// Runs the command between `Command Invoked` and `Command Completed`; returns the exit code
/// (0 success, 1 failure, 130 cancelled by the user).
int run_command(const Invocation& invocation, Services& services);

/// The program's version string.
const char* version();

}  // namespace cloud_cli
