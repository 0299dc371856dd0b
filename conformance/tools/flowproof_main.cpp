// flowproof_main.cpp — the `flowproof` command line: check streams against a plan, lint a plan,
// list the rules, generate streams. Parsing only; commands.cpp does the work.
//
//   flowproof check --plan cli.plan.json --report junit=report.xml events.jsonl
#include "commands.hpp"

#include <flowproof/conformance/checker.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* check_examples = R"(
EXAMPLES:
  flowproof check --plan cli.plan.json events.jsonl
  flowproof check --plan cli.plan.json --report junit=flowproof.xml --report markdown=summary.md \
      events-1.jsonl.gz events-2.jsonl
  cat events.jsonl | flowproof check --plan cli.plan.json --report json=- -
  flowproof check --plan cli.plan.json --require-coverage --min-coverage 0.8 \
      --severity FP004=error --label 6f1c0de9-...=CreateTest.Declines events.jsonl

EXIT STATUS: 0 no error-severity violation, 1 violations, 2 plan or command line unusable,
3 an input cannot be read.
)";

constexpr const char* lint_examples = R"(
Prints the plan's flows, events, steps and reasons; an invalid plan prints every problem with its
JSON pointer and exits 2.

EXAMPLES:
  flowproof plan lint cli.plan.json
)";

constexpr const char* rules_examples = R"(
EXAMPLES:
  flowproof rules
  flowproof rules | grep FP10
)";

constexpr const char* gen_examples = R"(
EXAMPLES:
  flowproof gen --plan cli.plan.json --events 1000 -o events.jsonl
  flowproof gen --plan cli.plan.json --events 1000000 --seed 7 --interleave 16 -o big.jsonl
  flowproof gen --plan cli.plan.json --events 5000 --defect-rate 0.05 --defect-rule FP103 | \
      flowproof check --plan cli.plan.json -
)";

constexpr const char* main_examples = R"(
EXAMPLES:
  flowproof check --plan cli.plan.json events.jsonl
  flowproof plan lint cli.plan.json
  flowproof rules
  flowproof gen --plan cli.plan.json --events 1000 -o events.jsonl
Run `flowproof SUBCOMMAND --help` for each subcommand's options.
)";

// A number from 0 to 1 (CLI::Range lets NaN through: every comparison with it is false).
const CLI::Validator ratio(
    [](std::string& text) -> std::string {
      double value = 0;
      if (!CLI::detail::lexical_cast(text, value) || !(value >= 0.0 && value <= 1.0)) {
        return "expected a number from 0 to 1, got " + text;
      }
      return {};
    },
    "RATIO in [0, 1]");

// A count of at least 1.
const CLI::Validator at_least_one(
    [](std::string& text) -> std::string {
      long long value = 0;
      if (!CLI::detail::lexical_cast(text, value) || value < 1) {
        return "expected a whole number of at least 1, got " + text;
      }
      return {};
    },
    "N >= 1");

// A whole number from 0 to 2^64-1 (CLI11 would clamp -1 or 2^64 to the largest value).
const CLI::Validator seed_number(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return "expected a whole number from 0 to 18446744073709551615, got " + text;
      }
      return {};
    },
    "SEED");

// KEY=VALUE with both sides non-empty (`what` names the form, e.g. "FORMAT=PATH"), so a value
// without `=` is named as such rather than taken for an input that is then missing.
CLI::Validator pair_of(std::string what) {
  return CLI::Validator(
      [what](std::string& text) -> std::string {
        std::string key, value;
        return flowproof::cli::split_pair(text, key, value) ? std::string()
                                                            : "expected " + what + ", got " + text;
      },
      what);
}

constexpr const char* subcommands[] = {"check", "plan", "rules", "gen"};

// Writes what CLI11 printed for --help or --version; a closed or full standard output is exit 2.
int finish_output(int status) {
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "flowproof: cannot write to standard output\n";
    return flowproof::cli::exit_unusable;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace flowproof::cli;
  CLI::App app{"flowproof: checks analytics funnel events against a tracking plan.", "flowproof"};
  app.set_version_flag("--version", "flowproof " + std::string(flowproof::conformance::version()),
                       "Print the version and exit");
  app.footer(main_examples);
  app.require_subcommand(1);

  CheckCommand check;
  CLI::App* check_app =
      app.add_subcommand("check", "Check event streams against a plan and write reports");
  check_app->add_option("--plan", check.plan, "The tracking plan (JSON)")->required();
  // A repeatable option takes one value each time it is given: what follows is an input, so
  // `--report junit=r.xml a.jsonl b.jsonl` checks both files.
  const auto repeatable = [check_app](const char* name, std::vector<std::string>& values,
                                      const char* help) {
    return check_app->add_option(name, values, help)->allow_extra_args(false);
  };
  repeatable("--report", check.reports,
             "FORMAT=PATH: write a report (json, junit, markdown, html, text; each at most once; "
             "PATH - is standard output). Default: text to standard output")
      ->check(pair_of("FORMAT=PATH"));
  check_app->add_flag("--require-coverage", check.require_coverage,
                      "Turn the coverage rules FP201/FP202 on at error severity");
  check_app
      ->add_option("--min-coverage", check.min_coverage,
                   "Fail when the covered share of outcomes is below RATIO (0..1)")
      ->check(ratio);
  repeatable("--severity", check.severities,
             "RULE=error|warning|off: override a rule's severity (repeatable)")
      ->check(pair_of("RULE=LEVEL"));
  repeatable("--label", check.labels, "INVOCATION=NAME: name an invocation in reports (repeatable)")
      ->check(pair_of("INVOCATION=NAME"));
  repeatable("--labels", check.label_files,
             "FILE: invocation labels from a suite's sidecar (the GoogleTest listener's "
             ".labels.json, or a JSON object invocation -> name; repeatable)");
  check_app->add_flag("--no-progress", check.no_progress,
                      "Never show the progress line (shown only when stderr is a terminal)");
  check_app
      ->add_option("inputs", check.inputs,
                   "JSON Lines or JSON array files, .gz read decompressed, - for standard input")
      ->required();
  check_app->footer(check_examples);

  std::string lint_plan;
  CLI::App* plan_app = app.add_subcommand("plan", "Work with tracking plans");
  plan_app->require_subcommand(1);
  plan_app->footer("\nEXAMPLES:\n  flowproof plan lint cli.plan.json\n");
  CLI::App* lint_app = plan_app->add_subcommand("lint", "Validate a plan and describe it");
  lint_app->add_option("plan", lint_plan, "The tracking plan (JSON)")->required();
  lint_app->footer(lint_examples);

  CLI::App* rules_app = app.add_subcommand("rules", "List the conformance rules");
  rules_app->footer(rules_examples);

  GenCommand gen;
  CLI::App* gen_app = app.add_subcommand("gen", "Generate a synthetic event stream for a plan");
  gen_app->add_option("--plan", gen.plan, "The tracking plan (JSON)")->required();
  gen_app->add_option("--events", gen.events, "Lines to write, exactly")
      ->required()
      ->check(at_least_one);
  gen_app->add_option("--seed", gen.seed, "Random seed; the same seed gives the same stream")
      ->check(seed_number)
      ->capture_default_str();
  gen_app
      ->add_option("--defect-rate", gen.defect_rate,
                   "Share of invocations (0..1) with exactly one injected defect")
      ->check(ratio)
      ->capture_default_str();
  gen_app->add_option("--defect-rule", gen.defect_rule,
                      "Inject only defects of this rule (e.g. FP103); default any");
  gen_app->add_option("--interleave", gen.interleave, "Invocations open at once")
      ->check(at_least_one)
      ->capture_default_str();
  gen_app->add_option("-o,--output", gen.output, "Output file; - is standard output")
      ->capture_default_str();
  gen_app->footer(gen_examples);

  // Every subcommand answers --version too (`flowproof check --version`).
  const std::string version_text = "flowproof " + std::string(flowproof::conformance::version());
  for (CLI::App* sub : {check_app, plan_app, lint_app, rules_app, gen_app}) {
    sub->set_version_flag("--version", version_text, "Print the version and exit");
  }

  // `flowproof help [SUBCOMMAND...]` is `flowproof [SUBCOMMAND...] --help`; a word that is no
  // subcommand is named, not reported as "a subcommand is required".
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "help") {
    args.erase(args.begin());
    args.emplace_back("--help");
  }
  if (!args.empty() && !args[0].starts_with("-") &&
      std::find(std::begin(subcommands), std::end(subcommands), args[0]) == std::end(subcommands)) {
    std::cerr << "flowproof: unknown subcommand \"" << args[0]
              << "\" (known: check, plan, rules, gen); run flowproof --help\n";
    return exit_unusable;
  }
  if (!args.empty() && args[0].starts_with("-") && args[0] != "-h" && args[0] != "--help" &&
      args[0] != "--version") {
    std::cerr << "flowproof: unknown option " << args[0]
              << " (a subcommand comes first: check, plan, rules, gen); run flowproof --help\n";
    return exit_unusable;
  }
  std::vector<char*> parsed_args = {argv[0]};
  for (std::string& arg : args) parsed_args.push_back(arg.data());

  try {
    app.parse(static_cast<int>(parsed_args.size()), parsed_args.data());
  } catch (const CLI::CallForHelp& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return finish_output(app.exit(e));
  } catch (const CLI::ParseError& e) {
    // The subcommand whose command line failed, for the pointer to its --help.
    std::string where;
    for (CLI::App* sub : {check_app, lint_app, plan_app, rules_app, gen_app}) {
      if (sub->parsed()) {
        where = sub == lint_app ? "plan lint " : sub->get_name() + " ";
        break;
      }
    }
    std::cerr << "flowproof: " << e.what() << "\nflowproof: run flowproof " << where
              << "--help for the options\n";
    return exit_unusable;
  }

  if (check_app->parsed()) return run_check(check);
  if (lint_app->parsed()) return run_plan_lint(lint_plan);
  if (rules_app->parsed()) return run_rules();
  if (gen_app->parsed()) return run_gen(gen);
  return exit_unusable;
}
