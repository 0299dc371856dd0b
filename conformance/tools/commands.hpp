// commands.hpp — the subcommands of the `flowproof` command, each a function from parsed options
// to an exit status (report-format.md: 0 pass, 1 errors, 2 plan or command line unusable, 3 an
// input cannot be read). flowproof_main.cpp parses the command line and calls them.
//
//   CheckCommand command{.plan = "cli.plan.json", .inputs = {"events.jsonl"}};
//   return run_check(command);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowproof::cli {

inline constexpr int exit_pass = 0;
inline constexpr int exit_violations = 1;
inline constexpr int exit_unusable = 2;
inline constexpr int exit_unreadable = 3;

struct CheckCommand {
  std::string plan;
  std::vector<std::string> reports;  ///< FORMAT=PATH
  bool require_coverage = false;
  std::optional<double> min_coverage;
  std::vector<std::string> severities;   ///< RULE=LEVEL
  std::vector<std::string> labels;       ///< INVOCATION=NAME
  std::vector<std::string> label_files;  ///< --labels FILE: suite labels sidecars (suite.hpp)
  bool no_progress = false;
  std::vector<std::string> inputs;
};

struct GenCommand {
  std::string plan;
  std::uint64_t events = 1000;
  std::uint64_t seed = 1;
  double defect_rate = 0;
  std::string defect_rule;  ///< empty: any
  std::size_t interleave = 4;
  std::string output = "-";
};

/// `flowproof check`: checks the inputs against the plan and writes the reports.
/// Splits "KEY=VALUE"; false when there is no '=' or either side is empty. The option parser's
/// validators and run_check use the same rule.
bool split_pair(const std::string& text, std::string& key, std::string& value);

int run_check(const CheckCommand& command);
/// `flowproof plan lint`: validates a plan and describes it.
int run_plan_lint(const std::string& plan);
/// `flowproof rules`: prints the rule catalogue.
int run_rules();
/// `flowproof gen`: writes a synthetic stream for a plan.
int run_gen(const GenCommand& command);

}  // namespace flowproof::cli
