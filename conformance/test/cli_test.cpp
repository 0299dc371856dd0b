// cli_test.cpp — the built `flowproof` command end to end: exit codes (0, 1, 2, 3), standard output
// versus standard error, colour only on a terminal without NO_COLOR, help with examples for every
// subcommand, --version, several reports at once, plan lint, rules and gen.
#include "run_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using flowproof::testing::ProcessOptions;
using flowproof::testing::ProcessResult;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const fs::path data_dir = FLOWPROOF_TEST_DATA_DIR;
const std::string plan = (data_dir / "examples" / "cli.plan.json").string();

ProcessResult flowproof(std::vector<std::string> args, const ProcessOptions& options = {}) {
  args.insert(args.begin(), FLOWPROOF_BINARY);
  ProcessOptions with_defaults = options;
  with_defaults.unset_env.push_back("NO_COLOR");
  if (options.set_env.contains("NO_COLOR")) with_defaults.unset_env.pop_back();
  return flowproof::testing::run_process(args, with_defaults);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("flowproof-cli-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return path(name);
  }

  // A clean stream from `flowproof gen`.
  std::string clean_events() {
    const auto result =
        flowproof({"gen", "--plan", plan, "--events", "200", "-o", path("clean.jsonl")});
    EXPECT_EQ(result.status, 0) << result.err;
    return path("clean.jsonl");
  }

  // The flows vector "process ended inside the flow" case: one FP103.
  std::string failing_events() {
    const auto doc = nlohmann::json::parse(std::ifstream(data_dir / "vectors" / "flows.json"));
    for (const auto& c : doc["cases"]) {
      if (c["expect"]["rules"] == nlohmann::json::array({"FP103"})) {
        std::string text;
        for (const auto& event : c["events"]) text += event.dump() + "\n";
        return write("failing.jsonl", text);
      }
    }
    ADD_FAILURE() << "no FP103 vector";
    return "";
  }

  fs::path dir_;
};

TEST_F(Cli, VersionPrintsTheVersion) {
  const auto result = flowproof({"--version"});
  EXPECT_EQ(result.status, 0);
  EXPECT_THAT(result.out, ::testing::MatchesRegex("flowproof [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(Cli, HelpOfEverySubcommandHasExamples) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                               {"check", "--help"},
                                               {"plan", "--help"},
                                               {"plan", "lint", "--help"},
                                               {"rules", "--help"},
                                               {"gen", "--help"}}) {
    const auto result = flowproof(args);
    EXPECT_EQ(result.status, 0) << args[0];
    EXPECT_THAT(result.out, HasSubstr("EXAMPLES")) << args[0];
    EXPECT_THAT(result.out, HasSubstr("flowproof ")) << args[0];
  }
  const auto check_help = flowproof({"check", "--help"});
  for (const char* option : {"--plan", "--report", "--require-coverage", "--min-coverage",
                             "--severity", "--label", "--no-progress", "EXIT STATUS"}) {
    EXPECT_THAT(check_help.out, HasSubstr(option));
  }
}

TEST_F(Cli, CleanStreamPassesWithSummaryOnStdout) {
  const auto result = flowproof({"check", "--plan", plan, clean_events()});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("PASS"));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(Cli, ViolationsExitOneWithFindingsOnStdoutOnly) {
  const auto result = flowproof({"check", "--plan", plan, failing_events()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.out, HasSubstr("FAIL"));
  EXPECT_THAT(result.out, HasSubstr("FP103 missing-terminal"));
  EXPECT_THAT(result.out, HasSubstr("failing.jsonl:"));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(Cli, SeverityOverrideCanTurnARuleOff) {
  const auto result =
      flowproof({"check", "--plan", plan, "--severity", "FP103=off", failing_events()});
  EXPECT_EQ(result.status, 0) << result.out;
}

TEST_F(Cli, NoColourWhenStdoutIsNotATerminal) {
  const auto result = flowproof({"check", "--plan", plan, failing_events()});
  EXPECT_THAT(result.out, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(result.err, Not(HasSubstr("\r")));  // no progress line either
}

TEST_F(Cli, ColourOnATerminalUnlessNoColor) {
  const std::string events = failing_events();
  const auto tty = flowproof({"check", "--plan", plan, events}, {.stdout_is_tty = true});
  EXPECT_EQ(tty.status, 1);
  EXPECT_THAT(tty.out, HasSubstr("\x1b[31;1mFAIL"));
  const auto no_color = flowproof({"check", "--plan", plan, events},
                                  {.set_env = {{"NO_COLOR", "1"}}, .stdout_is_tty = true});
  EXPECT_EQ(no_color.status, 1);
  EXPECT_THAT(no_color.out, HasSubstr("FAIL"));
  EXPECT_THAT(no_color.out, Not(HasSubstr("\x1b[")));
  // A report file never carries colour, even when stdout is a terminal.
  const auto file =
      flowproof({"check", "--plan", plan, "--report", "text=" + path("r.txt"), events},
                {.stdout_is_tty = true});
  EXPECT_THAT(slurp(path("r.txt")), Not(HasSubstr("\x1b[")));
}

TEST_F(Cli, SeveralReportsAtOnce) {
  const auto result =
      flowproof({"check", "--plan", plan, "--report", "json=" + path("r.json"), "--report",
                 "junit=" + path("r.xml"), "--report", "markdown=" + path("r.md"), "--report",
                 "text=" + path("r.txt"), failing_events()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.out, IsEmpty());  // every report went to a file
  const auto json = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(json["verdict"], "fail");
  EXPECT_EQ(json["flowproof_report"], 1);
  EXPECT_THAT(slurp(path("r.xml")), HasSubstr("<failure message=\"1 violation of FP103"));
  EXPECT_THAT(slurp(path("r.md")), HasSubstr("## flowproof: **fail**"));
  EXPECT_THAT(slurp(path("r.txt")), HasSubstr("FP103 missing-terminal"));
  // Written atomically: no temporary files left beside them.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.is_regular_file();
  EXPECT_EQ(files, 5u);  // four reports and the events
}

TEST_F(Cli, JsonReportOnStdout) {
  const auto result = flowproof({"check", "--plan", plan, "--report", "json=-", clean_events()});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(nlohmann::json::parse(result.out)["verdict"], "pass");
}

// /dev/stdout, /dev/fd/N and FIFOs are written in place (a CI idiom), never replaced by a file.
TEST_F(Cli, OutputsThroughDevStdout) {
  const auto report = flowproof(
      {"check", "--plan", plan, "--no-progress", "--report", "json=/dev/stdout", clean_events()});
  EXPECT_EQ(report.status, 0) << report.err;
  EXPECT_EQ(nlohmann::json::parse(report.out)["verdict"], "pass");
  const auto gen = flowproof({"gen", "--plan", plan, "--events", "7", "-o", "/dev/stdout"});
  EXPECT_EQ(gen.status, 0) << gen.err;
  EXPECT_EQ(std::count(gen.out.begin(), gen.out.end(), '\n'), 7);
}

TEST_F(Cli, StandardInputIsAnInput) {
  const auto result = flowproof({"check", "--plan", plan, "--report", "json=-", "-"},
                                {.stdin_text = slurp(failing_events())});
  EXPECT_EQ(result.status, 1) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["violations"][0]["at"][0]["input"], "-");
  // gzip on standard input is read decompressed (before session 8: one FP001 per line).
  const auto gzipped =
      flowproof::testing::run_process({"/bin/sh", "-c",
                                       "gzip -c " + failing_events() + " | " + FLOWPROOF_BINARY +
                                           " check --plan " + plan + " --report json=- -"});
  EXPECT_EQ(gzipped.status, 1) << gzipped.err;
  EXPECT_EQ(nlohmann::json::parse(gzipped.out)["violations"], json["violations"]);
}

TEST_F(Cli, UnusablePlanExitsTwoNamingThePointer) {
  const std::string bad = write("bad.plan.json", R"({"flowproof_plan": 1, "name": "x",
    "invocation": {"key": "/properties/id"},
    "flows": {"f": {"started": {"event": "F Started"}, "completed": {"event": "F Completed",
      "schema": {"type": "object", "properties": {"a": {"enumm": [1]}}}}}}})");
  const auto result = flowproof({"check", "--plan", bad, clean_events()});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("/flows/f/completed/schema/properties/a"));
  EXPECT_THAT(result.out, IsEmpty());
  const auto lint = flowproof({"plan", "lint", bad});
  EXPECT_EQ(lint.status, 2);
  EXPECT_THAT(lint.err, HasSubstr("enumm"));
  const auto missing = flowproof({"check", "--plan", path("absent.json"), clean_events()});
  EXPECT_EQ(missing.status, 2);
}

TEST_F(Cli, UnusableCommandLinesExitTwo) {
  const std::string events = clean_events();
  const std::vector<std::vector<std::string>> bad_lines = {
      {"check", "--plan", plan, "--bogus", events},
      {"check", events},          // no --plan
      {"check", "--plan", plan},  // no input
      {"check", "--plan", plan, "--report", "json=a", "--report", "json=b", events},
      {"check", "--plan", plan, "--report", "pdf=a.pdf", events},
      {"check", "--plan", plan, "--report", "json", events},
      {"check", "--plan", plan, "--report", "json=-", "--report", "text=-", events},
      {"check", "--plan", plan, "--severity", "FP999=error", events},
      {"check", "--plan", plan, "--severity", "FP103=fatal", events},
      {"check", "--plan", plan, "--min-coverage", "1.5", events},
      {"check", "--plan", plan, "--min-coverage", "nan", events},
      {"gen", "--plan", plan, "--events", "0"},
      {"gen", "--plan", plan, "--events", "10", "--interleave", "0"},
      {"gen", "--plan", plan, "--events", "10", "--defect-rule", "FP999"},
      {"no-such-command"},
      {},
  };
  for (const auto& args : bad_lines) {
    const auto result = flowproof(args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(result.status, 2) << shown;
    EXPECT_THAT(result.err, Not(IsEmpty())) << shown;
    EXPECT_THAT(result.out, IsEmpty()) << shown;
  }
  const auto duplicate =
      flowproof({"check", "--plan", plan, "--report", "json=a", "--report", "json=b", events});
  EXPECT_THAT(duplicate.err, HasSubstr("more than once"));
  // Two formats to one file (the same text, or the same file by another name) are refused: the
  // second report would replace the first without a word.
  const auto one_file = flowproof({"check", "--plan", plan, "--report", "json=same.out", "--report",
                                   "markdown=./same.out", events});
  EXPECT_EQ(one_file.status, 2);
  EXPECT_THAT(one_file.err,
              HasSubstr("--report markdown=./same.out: ./same.out is also the path of the json "
                        "report"));
  const auto unknown = flowproof({"check", "--plan", plan, "--report", "pdf=a.pdf", events});
  EXPECT_THAT(unknown.err, HasSubstr("unknown format \"pdf\""));
  const auto zero = flowproof({"gen", "--plan", plan, "--events", "0"});
  EXPECT_THAT(zero.err, HasSubstr("at least 1, got 0"));
}

// Reports are all or nothing, and never land on what the check reads (session-8 review: a report
// that could not be written still let the others replace their files; a dangling link, or
// /dev/stdout beside -, put two reports in one file; a report or gen's -o replaced the events or
// the plan).
TEST_F(Cli, ReportsAreAllOrNothingAndNeverReplaceWhatIsRead) {
  const std::string events = clean_events();
  const std::string kept = write("kept.json", "old\n");
  const auto unwritable = flowproof({"check", "--plan", plan, "--report", "json=" + kept,
                                     "--report", "text=" + path("missing/dir/x.txt"), events});
  EXPECT_EQ(unwritable.status, 2);
  EXPECT_THAT(unwritable.err,
              HasSubstr("--report text=" + path("missing/dir/x.txt") + ": cannot write"));
  EXPECT_EQ(slurp(kept), "old\n");

  fs::create_symlink("target.json", dir_ / "link.json");  // dangling: target.json does not exist
  const auto through_link =
      flowproof({"check", "--plan", plan, "--report", "json=" + path("target.json"), "--report",
                 "markdown=" + path("link.json"), events});
  EXPECT_EQ(through_link.status, 2);
  EXPECT_THAT(through_link.err, HasSubstr("is also the path of the json report"));
  EXPECT_FALSE(fs::exists(dir_ / "target.json"));

  const auto stdout_twice = flowproof(
      {"check", "--plan", plan, "--report", "json=/dev/stdout", "--report", "text=-", events});
  EXPECT_EQ(stdout_twice.status, 2);
  EXPECT_THAT(stdout_twice.err, HasSubstr("standard output is also where the json report goes"));
  EXPECT_THAT(stdout_twice.out, IsEmpty());

  const std::string victim = write("victim.jsonl", slurp(events));
  const auto over_input =
      flowproof({"check", "--plan", plan, "--report", "json=" + victim, events, victim});
  EXPECT_EQ(over_input.status, 2);
  EXPECT_THAT(over_input.err, HasSubstr("is an input of this check; the report would replace it"));
  EXPECT_EQ(slurp(victim), slurp(events));

  const std::string plan_copy = write("copy.plan.json", slurp(plan));
  const auto over_plan = flowproof({"check", "--plan", plan_copy, "--report",
                                    "json=" + (dir_ / "." / "copy.plan.json").string(), events});
  EXPECT_EQ(over_plan.status, 2);
  EXPECT_THAT(over_plan.err, HasSubstr("is the plan of this check"));
  const auto gen_over_plan =
      flowproof({"gen", "--plan", plan_copy, "--events", "5", "-o", plan_copy});
  EXPECT_EQ(gen_over_plan.status, 2);
  EXPECT_THAT(gen_over_plan.err, HasSubstr("is the plan; the stream would replace it"));
  EXPECT_EQ(slurp(plan_copy), slurp(plan));

  // Two reports into /dev/null lose nothing: allowed.
  const auto null_twice = flowproof({"check", "--plan", plan, "--report", "json=/dev/null",
                                     "--report", "text=/dev/null", events});
  EXPECT_EQ(null_twice.status, 0) << null_twice.err;
}

// Session-8 review: what a mistyped command line is told, and what reaches the terminal.
TEST_F(Cli, MistakesAreNamedAndDiagnosticsAreInert) {
  const auto typo = flowproof({"chek", "--plan", plan});
  EXPECT_EQ(typo.status, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown subcommand \"chek\" (known: check, plan, rules, gen)"));
  const auto option_first = flowproof({"-V"});
  EXPECT_EQ(option_first.status, 2);
  EXPECT_THAT(option_first.err, HasSubstr("unknown option -V"));
  const auto help = flowproof({"help", "check"});
  EXPECT_EQ(help.status, 0) << help.err;
  EXPECT_THAT(help.out, HasSubstr("Usage: flowproof check"));
  const auto version = flowproof({"check", "--version"});
  EXPECT_EQ(version.status, 0) << version.err;
  EXPECT_THAT(version.out, HasSubstr("flowproof "));
  // A --report without `=` is named as such, not taken for the input that is then missing.
  const auto no_equals = flowproof({"check", "--plan", plan, "--report", "events.jsonl"});
  EXPECT_EQ(no_equals.status, 2);
  EXPECT_THAT(no_equals.err,
              HasSubstr("flowproof: --report: expected FORMAT=PATH, got events.jsonl"));
  EXPECT_THAT(no_equals.err, HasSubstr("run flowproof check --help"));
  for (const char* seed : {"-1", "18446744073709551616", "7x"}) {
    const auto bad_seed = flowproof({"gen", "--plan", plan, "--events", "1", "--seed", seed});
    EXPECT_EQ(bad_seed.status, 2) << seed;
    EXPECT_THAT(bad_seed.err, HasSubstr("expected a whole number from 0 to")) << seed;
  }
  // A path with an escape sequence is printed escaped on standard error.
  const auto escape = flowproof({"check", "--plan", plan, "no\x1b[2Jsuch.jsonl"});
  EXPECT_EQ(escape.status, 3);
  EXPECT_THAT(escape.err, HasSubstr("no\\u001B[2Jsuch.jsonl"));
  EXPECT_THAT(escape.err, Not(HasSubstr("\x1b")));
  // --min-coverage with FP202 off would pass whatever the coverage: said, not silent.
  const auto idle = flowproof({"check", "--plan", plan, "--min-coverage", "0.99", "--severity",
                               "FP202=off", clean_events()});
  EXPECT_THAT(idle.err, HasSubstr("warning: --min-coverage has no effect"));
  const auto labels_dir = flowproof({"check", "--plan", plan, "--labels", dir_.string(), "x"});
  EXPECT_EQ(labels_dir.status, 2);
  EXPECT_THAT(labels_dir.err, HasSubstr(dir_.string() + ": it is a directory"));
  // Standard output that cannot take the listing is exit 2, as for check and gen.
  const auto full = flowproof::testing::run_process(
      {"/bin/sh", "-c", std::string(FLOWPROOF_BINARY) + " rules > /dev/full"}, {});
  EXPECT_EQ(full.status, 2);
  EXPECT_THAT(full.err, HasSubstr("cannot write to standard output"));
}

// The form of the help's example: repeatable options before several inputs. Each option takes
// one value; every input stays an input.
TEST_F(Cli, RepeatableOptionsBeforeSeveralInputs) {
  const std::string clean = clean_events();
  const std::string failing = failing_events();
  const auto result = flowproof({"check", "--plan", plan, "--report", "json=" + path("r.json"),
                                 "--report", "markdown=" + path("r.md"), "--severity",
                                 "FP004=error", "--label", "x=y", clean, failing});
  EXPECT_EQ(result.status, 1) << result.err;
  const auto json = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(json["summary"]["inputs"], 2);
  EXPECT_EQ(json["violations"][0]["at"][0]["input"], failing);
  EXPECT_THAT(slurp(path("r.md")), HasSubstr("## flowproof: **fail**"));
}

TEST_F(Cli, UnreadableInputExitsThree) {
  const auto result = flowproof({"check", "--plan", plan, clean_events(), path("missing.jsonl")});
  EXPECT_EQ(result.status, 3);
  EXPECT_THAT(result.err, HasSubstr("missing.jsonl"));
  EXPECT_THAT(result.out, IsEmpty());
}

TEST_F(Cli, PlanLintDescribesAValidPlan) {
  const auto result = flowproof({"plan", "lint", plan});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("application_create"));
  EXPECT_THAT(result.err, IsEmpty());
}

TEST_F(Cli, RulesListsTheCatalogue) {
  const auto result = flowproof({"rules"});
  EXPECT_EQ(result.status, 0);
  for (const char* id : {"FP001", "FP008", "FP101", "FP110", "FP201", "FP202"}) {
    EXPECT_THAT(result.out, HasSubstr(id));
  }
  EXPECT_THAT(result.out, HasSubstr("missing-terminal"));
}

TEST_F(Cli, GenWritesExactlyNDeterministicLines) {
  const auto a = flowproof({"gen", "--plan", plan, "--events", "321", "--seed", "9"});
  const auto b = flowproof({"gen", "--plan", plan, "--events", "321", "--seed", "9"});
  EXPECT_EQ(a.status, 0);
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 321);
  EXPECT_EQ(a.out, b.out);
  EXPECT_THAT(a.err, HasSubstr("wrote 321 events"));  // the summary is a diagnostic
  const auto defects = flowproof({"gen", "--plan", plan, "--events", "400", "--defect-rate", "0.5",
                                  "--defect-rule", "FP103", "-o", path("d.jsonl")});
  EXPECT_EQ(defects.status, 0);
  EXPECT_THAT(defects.out, IsEmpty());
  const auto check = flowproof({"check", "--plan", plan, "--report", "json=-", path("d.jsonl")});
  EXPECT_EQ(check.status, 1);
  const auto report = nlohmann::json::parse(check.out);
  ASSERT_EQ(report["rules"].size(), 1u);
  EXPECT_EQ(report["rules"][0]["id"], "FP103");
}

}  // namespace
