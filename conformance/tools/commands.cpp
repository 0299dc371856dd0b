// commands.cpp — what each `flowproof` subcommand does once its command line is parsed. Findings
// and reports go to standard output, diagnostics to standard error.
#include "commands.hpp"

#include "reporter_formats.hpp"

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/generator.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/reporter.hpp>
#include <flowproof/conformance/rules.hpp>
#include <flowproof/conformance/suite.hpp>
#include <flowproof/harness/output_file.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace flowproof::cli {
namespace {

using namespace flowproof::conformance;

bool colour_allowed(int fd) { return ::isatty(fd) == 1 && std::getenv("NO_COLOR") == nullptr; }

// Writes `text` to standard error, each line prefixed "flowproof: " and passed through the
// reports' escaper: a path, an argument or a plan's data cannot drive the terminal.
void diagnose(std::string_view text) {
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start || start == 0) {
      std::cerr << "flowproof: " << report_detail::printable(text.substr(start, end - start))
                << "\n";
    }
    start = end + 1;
  }
}

int usage_error(const std::string& message) {
  diagnose(message);
  return exit_unusable;
}

int plan_unusable(const PlanError& error) {
  diagnose(std::string("the plan is unusable:\n") + error.what());
  return exit_unusable;
}

// Standard output could not take everything (a closed pipe end, a full disk): exit 2, as check
// and gen do.
int finish_stdout(int status) {
  std::cout.flush();
  if (!std::cout) return usage_error("cannot write to standard output");
  return status;
}

// Redraws one progress line on standard error at most four times a second; clears it at the end.
class ProgressLine {
 public:
  void update(const Progress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    drawn_ = true;
    const double rate = progress.seconds > 0 ? progress.events / progress.seconds : 0;
    char line[160];
    std::snprintf(line, sizeof line, "\r\x1b[Kreading: %.1f MB, %llu events, %.0f events/s",
                  progress.bytes / 1e6, static_cast<unsigned long long>(progress.events), rate);
    std::cerr << line << std::flush;
  }
  void clear() {
    if (drawn_) std::cerr << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

}  // namespace

bool split_pair(const std::string& text, std::string& key, std::string& value) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) return false;
  key = text.substr(0, equals);
  value = text.substr(equals + 1);
  return true;
}

// The checker of the last run_check(), never freed (see there). External linkage, so the store
// that keeps it reachable is not optimised away.
Checker* kept_checker = nullptr;

int run_check(const CheckCommand& command) {
  // Everything on the command line is validated before any input is read.
  const std::vector<std::string> known = reporter_names();
  std::map<std::string, std::string> reports;  // format -> path
  int to_stdout = 0;
  for (const std::string& spec : command.reports) {
    std::string format, path;
    if (!split_pair(spec, format, path)) {
      return usage_error("--report " + spec +
                         ": expected FORMAT=PATH (PATH - for standard output)");
    }
    if (std::find(known.begin(), known.end(), format) == known.end()) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      return usage_error("--report " + spec + ": unknown format \"" + format +
                         "\" (known: " + list + ")");
    }
    if (!reports.emplace(format, path).second) {
      return usage_error("--report " + spec + ": format \"" + format + "\" given more than once");
    }
    // Two reports to one file: the second would replace the first without a word (also by
    // another name, through a symbolic link, or /dev/stdout beside -).
    for (const auto& [other, other_path] : reports) {
      if (other != format && !(path == "-" && other_path == "-") &&
          harness::same_output_file(path, other_path)) {
        return usage_error("--report " + spec + ": " +
                           (path == "-"
                                ? "standard output is also where the " + other + " report goes"
                                : path + " is also the path of the " + other + " report"));
      }
    }
    // A report over the events it reports on, or over the plan, destroys them.
    std::vector<std::pair<std::string, std::string>> read_files = {{"the plan", command.plan}};
    for (const std::string& input : command.inputs) read_files.emplace_back("an input", input);
    for (const std::string& file : command.label_files) {
      read_files.emplace_back("a --labels file", file);
    }
    for (const auto& [what, file] : read_files) {
      if (file != "-" && harness::same_output_file(path, file)) {
        return usage_error("--report " + spec + ": " + path + " is " + what +
                           " of this check; the report would replace it");
      }
    }
    to_stdout += path == "-";
  }
  if (to_stdout > 1) return usage_error("--report: only one report can go to standard output (-)");
  // A report that cannot be written is found now, not after the inputs are read.
  for (const auto& [format, path] : reports) {
    try {
      harness::check_output_path(path);
    } catch (const std::exception& error) {
      return usage_error("--report " + format + "=" + path + ": " + error.what());
    }
  }

  CheckOptions options;
  options.require_coverage = command.require_coverage;
  options.min_coverage = command.min_coverage;
  for (const std::string& spec : command.severities) {
    std::string rule, level;
    if (!split_pair(spec, rule, level)) {
      return usage_error("--severity " + spec + ": expected RULE=error|warning|off");
    }
    if (!find_rule(rule)) return usage_error("--severity " + spec + ": unknown rule " + rule);
    const auto severity = parse_severity(level);
    if (!severity) {
      return usage_error("--severity " + spec + ": level must be error, warning or off");
    }
    options.severity_overrides[rule] = *severity;
  }
  for (const std::string& spec : command.labels) {
    std::string invocation, name;
    if (!split_pair(spec, invocation, name)) {
      return usage_error("--label " + spec + ": expected INVOCATION=NAME");
    }
    options.invocation_labels[invocation] = name;
  }
  for (const std::string& file : command.label_files) {
    try {
      for (auto& [invocation, name] : read_labels_file(file)) {
        options.invocation_labels.emplace(invocation, std::move(name));  // --label wins
      }
    } catch (const std::exception& error) {
      return usage_error(std::string("--labels: ") + error.what());
    }
  }
  // The HTML report shows the timeline of each invocation with findings.
  options.keep_timelines = reports.count("html") > 0;

  Plan plan;
  try {
    plan = load_plan(command.plan);
  } catch (const PlanError& error) {
    return plan_unusable(error);
  }

  if (options.min_coverage && effective_severity("FP202", plan, options) == Severity::off) {
    diagnose("warning: --min-coverage has no effect: FP202, the rule that reports it, is off");
  }

  ProgressLine progress;
  if (!command.no_progress && ::isatty(STDERR_FILENO) == 1) {
    options.progress = [&progress](const Progress& p) { progress.update(p); };
  }
  Report report;
  try {
    auto checker = std::make_unique<Checker>(plan, options);
    for (const std::string& input : command.inputs) checker->add_file(input);
    report = checker->finish();
    // The command ends once the reports are written, so the checker's state (every invocation's,
    // ~80 MB for a million events) is left to the operating system, as compilers leave theirs:
    // freeing it block by block took 3-4% of a long check's time. kept_checker keeps it
    // reachable, so leak checkers stay quiet. (Only the command does this; the library frees as
    // usual.)
    delete kept_checker;  // a previous call's (only main calls this, once)
    kept_checker = checker.release();
  } catch (const InputError& error) {
    progress.clear();
    diagnose(error.what());
    return exit_unreadable;
  }
  progress.clear();
  annotate_report(report, plan, options);

  for (const Waiver& waiver : report.unused_waivers) {
    diagnose("warning: waiver " + waiver.pointer + " (" + waiver.rule + ") matched nothing");
  }
  if (reports.empty()) reports.emplace("text", "-");
  // Every report is opened before any is written, and published only when all were written: a
  // report that cannot be written leaves every report path as it was (exit 2).
  try {
    std::vector<harness::OutputFile> files;
    for (const auto& [format, path] : reports) files.emplace_back(path);
    auto file = files.begin();
    for (const auto& [format, path] : reports) {
      ReporterOptions reporter_options;
      reporter_options.colour = path == "-" && colour_allowed(STDOUT_FILENO);
      make_reporter(format, reporter_options)->write(report, (file++)->stream());
    }
    for (harness::OutputFile& written : files) written.commit();
  } catch (const std::exception& error) {
    return usage_error(error.what());
  }
  return report.passed() ? exit_pass : exit_violations;
}

int run_plan_lint(const std::string& path) {
  try {
    const Plan plan = load_plan(path);
    std::cout << describe_plan(plan);
    return finish_stdout(exit_pass);
  } catch (const PlanError& error) {
    return plan_unusable(error);
  }
}

int run_rules() {
  static constexpr std::string_view groups[] = {"envelope", "flow", "coverage"};
  for (const RuleInfo& rule : all_rules()) {
    std::string name(rule.name);
    name.resize(std::max<std::size_t>(name.size(), 22), ' ');
    std::string severity(to_string(rule.default_severity));
    severity.resize(8, ' ');
    std::cout << rule.id << "  " << name << "  " << severity << "  "
              << groups[static_cast<int>(rule.group)] << "  " << rule.summary << "\n";
  }
  return finish_stdout(exit_pass);
}

int run_gen(const GenCommand& command) {
  Plan plan;
  try {
    plan = load_plan(command.plan);
  } catch (const PlanError& error) {
    return plan_unusable(error);
  }
  if (command.output != "-" && harness::same_output_file(command.output, command.plan)) {
    return usage_error("-o " + command.output + " is the plan; the stream would replace it");
  }
  GeneratorOptions options;
  options.events = command.events;
  options.seed = command.seed;
  options.defect_rate = command.defect_rate;
  if (!command.defect_rule.empty()) options.defect_rule = command.defect_rule;
  options.interleave = command.interleave;

  try {
    GeneratorStats stats;
    // A file is written beside the target and renamed, so a reader never sees half a stream.
    harness::write_output_file(
        command.output, [&](std::ostream& out) { stats = generate_stream(plan, options, out); });
    std::cerr << "flowproof: wrote " << stats.lines << " events in " << stats.invocations
              << " invocations, " << stats.defective_invocations << " with a defect";
    for (const auto& [rule, count] : stats.defects) std::cerr << " " << rule << "=" << count;
    std::cerr << "\n";
  } catch (const std::invalid_argument& error) {
    return usage_error(error.what());
  } catch (const std::runtime_error& error) {  // the output cannot be written
    return usage_error(error.what());
  }
  return exit_pass;
}

}  // namespace flowproof::cli
