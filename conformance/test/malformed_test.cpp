// malformed_test.cpp — the malformed-input corpus (conformance/test/data/malformed/): each file's
// summary and FP001 lines, nothing lost (every line accounted for), inputs that cannot be read
// (exit 3 naming them), closed standard input, and reports written atomically.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/reporter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path source_dir() {
  const char* dir = std::getenv("FLOWPROOF_SOURCE_DIR");
  return dir ? fs::path(dir) : fs::path(FLOWPROOF_TEST_DATA_DIR) / "../../..";
}

fs::path corpus_dir() { return source_dir() / "conformance/test/data/malformed"; }
fs::path plan_path() { return source_dir() / "conformance/test/data/examples/cli.plan.json"; }

const Plan& example_plan() {
  static const Plan plan = load_plan(plan_path());
  return plan;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Expected {
  std::uint64_t lines, events, skipped, malformed, blank;
  std::vector<std::uint64_t> fp001_lines;  ///< the line of every FP001, in order
  bool passes;                             ///< no error at all
};

// What each corpus file must give. Every file in the folder (but README.md) must be listed here.
const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> table = {
      {"last_line_without_newline.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"truncated_mid_object.jsonl", {5, 4, 0, 1, 0, {5}, false}},
      {"nul_bytes.jsonl", {7, 5, 0, 2, 0, {3, 4}, false}},
      {"invalid_utf8.jsonl", {6, 4, 0, 2, 0, {3, 4}, false}},
      {"byte_order_mark.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"byte_order_mark_on_second_line.jsonl", {5, 4, 0, 1, 0, {2}, false}},
      {"crlf_line_endings.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"huge_and_non_finite_numbers.jsonl", {8, 4, 0, 4, 0, {4, 5, 6, 7}, false}},
      {"duplicate_keys.jsonl", {5, 3, 0, 2, 0, {2, 3}, false}},
      // A batch with a second `batch` and an upload with a duplicate key of its own: refused whole.
      {"duplicate_keys_in_wrappers.jsonl", {4, 2, 0, 2, 0, {2, 3}, false}},
      {"empty.jsonl", {0, 0, 0, 0, 0, {}, true}},
      {"only_blank_lines.jsonl", {4, 0, 0, 0, 4, {}, true}},
      {"not_objects.jsonl", {11, 5, 0, 6, 0, {2, 3, 4, 5, 6, 7}, false}},
      {"deep_nesting.jsonl", {7, 5, 0, 2, 0, {2, 3}, false}},
      {"array_truncated.json", {4, 3, 0, 1, 0, {5}, false}},
      {"array_with_trailing_garbage.json", {6, 5, 0, 1, 0, {8}, false}},
      // One batch line: an event, a non-object element (FP001) and an identify call (skipped).
      {"batch_with_bad_elements.jsonl", {5, 5, 1, 1, 0, {1}, false}},
  };
  return table;
}

Report check_file(const fs::path& path) {
  Checker checker(example_plan());
  checker.add_file(path);
  return checker.finish();
}

std::vector<std::string> fp001_messages(const Report& report) {
  std::vector<std::string> messages;
  for (const Violation& v : report.violations) {
    if (v.rule == "FP001") messages.push_back(v.message);
  }
  return messages;
}

std::vector<std::uint64_t> fp001_lines(const Report& report) {
  std::vector<std::uint64_t> lines;
  for (const Violation& v : report.violations) {
    if (v.rule == "FP001") lines.push_back(v.at.at(0).line);
  }
  return lines;
}

TEST(MalformedCorpus, EveryFileIsListedWithItsExpectations) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    if (entry.path().filename() != "README.md") files.insert(entry.path().filename().string());
  }
  std::set<std::string> listed;
  for (const auto& [name, expected] : expectations()) listed.insert(name);
  EXPECT_EQ(files, listed);
}

TEST(MalformedCorpus, EachFileGivesItsSummaryAndFindings) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const Report report = check_file(corpus_dir() / name);
    const Summary& s = report.summary;
    EXPECT_EQ(s.lines, expected.lines);
    EXPECT_EQ(s.events, expected.events);
    EXPECT_EQ(s.skipped, expected.skipped);
    EXPECT_EQ(s.malformed, expected.malformed);
    EXPECT_EQ(s.blank, expected.blank);
    EXPECT_EQ(fp001_lines(report), expected.fp001_lines);
    EXPECT_EQ(report.passed(), expected.passes);
    // Every finding of FP001 says which line it is about.
    for (const Violation& v : report.violations) {
      if (v.rule == "FP001") {
        EXPECT_THAT(v.message, HasSubstr("line " + std::to_string(v.at[0].line)));
      }
    }
  }
}

TEST(MalformedCorpus, NothingIsLostEveryLineIsAccountedFor) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const Summary s = check_file(corpus_dir() / name).summary;
    if (name == "batch_with_bad_elements.jsonl") {
      // One line carries several units; each is counted, so the sum is larger.
      EXPECT_LE(s.lines, s.events + s.skipped + s.malformed + s.blank);
    } else {
      EXPECT_EQ(s.lines, s.events + s.skipped + s.malformed + s.blank);
    }
  }
}

TEST(MalformedCorpus, SameSummaryFromMemoryAStreamAndAFile) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const std::string text = read_file(corpus_dir() / name);
    Checker from_text(example_plan());
    from_text.add_text(name, text);
    std::istringstream in(text);
    Checker from_stream(example_plan());
    from_stream.add_stream(name, in);
    const Summary a = from_text.finish().summary, b = from_stream.finish().summary;
    EXPECT_EQ(a.lines, expected.lines);
    EXPECT_EQ(b.lines, expected.lines);
    EXPECT_EQ(a.malformed, expected.malformed);
    EXPECT_EQ(b.malformed, expected.malformed);
  }
}

TEST(MalformedDecisions, ByteOrderMarkOnlyOnTheFirstLine) {
  const Report report = check_file(corpus_dir() / "byte_order_mark_on_second_line.jsonl");
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{2});
  EXPECT_THAT(report.violations.front().message, HasSubstr("not JSON"));
}

TEST(MalformedDecisions, DuplicateKeysAreFp001NamingThePointer) {
  const Report report = check_file(corpus_dir() / "duplicate_keys.jsonl");
  const std::vector<std::string> messages = fp001_messages(report);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0], HasSubstr("duplicate key at /event"));
  EXPECT_THAT(messages[1], HasSubstr("duplicate key at /properties/plan"));
}

TEST(MalformedDecisions, DuplicateKeyInOneBatchElementLeavesTheOthers) {
  Checker checker(example_plan());
  checker.add_text("batch.jsonl",
                   R"({"batch":[{"type":"identify","userId":"u"},{"event":"A","event":"B"}]})"
                   "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.skipped, 1u);
  EXPECT_EQ(report.summary.malformed, 1u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(report.violations.front().message,
              HasSubstr("event 1 has a duplicate key at /event"));
}

// A wrapper's duplicate key would drop events unread (simdjson finds the first `batch`), so the
// whole line is refused, naming the pointer; the wrapper's list itself is checked per element.
TEST(MalformedDecisions, DuplicateKeyInABatchOrUploadWrapperRefusesTheLine) {
  const Report report = check_file(corpus_dir() / "duplicate_keys_in_wrappers.jsonl");
  for (const Violation& v : report.violations) {
    EXPECT_NE(v.event, "Undeclared Event");  // the second batch is never read
  }
  const std::vector<std::string> messages = fp001_messages(report);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0], HasSubstr("the `batch` wrapper has a duplicate key at /batch"));
  EXPECT_THAT(messages[1],
              HasSubstr("the `events` wrapper has a duplicate key at /options/min_id_length"));
}

// An object that is both a wrapper and an event: what can be read is read, what cannot is FP001
// on that line, never dropped without a word.
TEST(MalformedDecisions, AWrapperThatIsAlsoAnEventSaysWhatIsNotRead) {
  const std::string event =
      R"({"type":"track","event":"Command Invoked","properties":{"invocation_id":"i","sequence":1,"command":"c"}})";
  Checker checker(example_plan());
  checker.add_text("both.jsonl",
                   R"({"batch":[)" + event + R"(],"event":"Shadowed"})" + "\n" +  //
                       R"({"event_type":"Command Invoked","event_properties":{},"events":[)" +
                       event + "]}\n" +  //
                       R"({"event_type":"Command Invoked","events":"not a list"})" + "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.lines, 3u);
  EXPECT_EQ(report.summary.events, 3u);  // the batch's element and both Amplitude events
  EXPECT_EQ(report.summary.malformed, 2u);
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{1, 2}));
  const std::vector<std::string> messages = fp001_messages(report);
  EXPECT_THAT(messages[0],
              HasSubstr("the `batch` wrapper also names an event of its own (`event`), which is "
                        "not read"));
  EXPECT_THAT(messages[1],
              HasSubstr("an event (`event_type`) also has an `events` list, which is not read"));
}

TEST(MalformedDecisions, KeysWithSlashesAreEscapedInThePointer) {
  Checker checker(example_plan());
  checker.add_text("slash.jsonl", R"({"event":"A","properties":{"a/b~":1,"a/b~":2}})"
                                  "\n");
  const Report report = checker.finish();
  ASSERT_EQ(report.summary.malformed, 1u);
  EXPECT_THAT(report.violations.front().message, HasSubstr("/properties/a~1b~0"));
}

// ---- inputs that cannot be read: the command exits 3 and names them ----------------------------

struct CommandRun {
  int status;
  std::string output;  ///< standard output and standard error together
};

CommandRun run_flowproof(const std::string& arguments) {
  const fs::path log =
      fs::temp_directory_path() / ("flowproof_malformed_" + std::to_string(::getpid()) + ".log");
  const std::string command =
      std::string("'") + FLOWPROOF_BINARY + "' " + arguments + " >'" + log.string() + "' 2>&1";
  const int raw = std::system(command.c_str());
  CommandRun run{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(log)};
  fs::remove(log);
  return run;
}

std::string check_arguments(const std::string& input) {
  return "check --plan '" + plan_path().string() + "' --no-progress " + input;
}

TEST(UnreadableInput, ADirectoryIsExit3NamingIt) {
  const CommandRun run = run_flowproof(check_arguments("'" + corpus_dir().string() + "'"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr(corpus_dir().string() + ": cannot read: is a directory"));
}

TEST(UnreadableInput, AMissingPathIsExit3NamingIt) {
  const CommandRun run = run_flowproof(check_arguments("/nonexistent/flowproof/events.jsonl"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("/nonexistent/flowproof/events.jsonl: cannot read"));
}

TEST(UnreadableInput, AReadErrorMidFileIsExit3NamingIt) {
  // Tests run as root, for whom chmod 000 changes nothing. /proc/self/mem opens for anyone but
  // reading its first page fails (EIO): a real read error after a successful open.
  const CommandRun run = run_flowproof(check_arguments("/proc/self/mem"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("/proc/self/mem: cannot read"));
}

TEST(UnreadableInput, ClosedStandardInputIsExit3) {
  const CommandRun run = run_flowproof(check_arguments("- <&-"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("-: cannot read"));
}

TEST(UnreadableInput, AnEmptyFileIsReadAsNoLines) {
  const CommandRun run =
      run_flowproof(check_arguments("'" + (corpus_dir() / "empty.jsonl").string() + "'"));
  EXPECT_EQ(run.status, 0);
  EXPECT_THAT(run.output, HasSubstr("0 lines"));
}

TEST(UnreadableInput, AGoodInputAfterAnUnreadableOneStillFails) {
  // Reading stops at the first unreadable input: the run can never pass on partial data.
  const CommandRun run = run_flowproof(check_arguments(
      "'" + (corpus_dir() / "crlf_line_endings.jsonl").string() + "' /nonexistent.jsonl"));
  EXPECT_EQ(run.status, 3);
}

// ---- reports are written atomically -----------------------------------------------------------

// A reporter that writes half a report and then fails, like a process killed mid-write.
class FailingReporter final : public Reporter {
 public:
  void write(const Report&, std::ostream& out) const override {
    out << "{\"flowproof_report\": 1, \"half\": ";
    throw std::runtime_error("injected failure while writing");
  }
};

// A reporter that writes half a report and then leaves the stream failed (a full disk).
class BadStreamReporter final : public Reporter {
 public:
  void write(const Report&, std::ostream& out) const override {
    out << "partial";
    out.setstate(std::ios::badbit);
  }
};

class AtomicReport : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("flowproof_atomic_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    target_ = directory_ / "report.json";
    std::ofstream(target_) << "the old report\n";
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  fs::path directory_, target_;
};

TEST_F(AtomicReport, AFailureMidWriteLeavesTheOldReportAndNoTemporaryFile) {
  EXPECT_THROW(write_report_file(FailingReporter(), Report(), target_.string()),
               std::runtime_error);
  EXPECT_EQ(read_file(target_), "the old report\n");
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, AFailedStreamLeavesTheOldReportAndNoTemporaryFile) {
  EXPECT_THROW(write_report_file(BadStreamReporter(), Report(), target_.string()),
               std::runtime_error);
  EXPECT_EQ(read_file(target_), "the old report\n");
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, ASuccessReplacesTheOldReportWhole) {
  const auto reporter = make_reporter("json");
  ASSERT_NE(reporter, nullptr);
  Checker checker(example_plan());
  checker.add_file(corpus_dir() / "crlf_line_endings.jsonl");
  const Report report = checker.finish();
  write_report_file(*reporter, report, target_.string());
  const auto written = nlohmann::json::parse(read_file(target_));
  EXPECT_EQ(written["summary"]["lines"], 5);
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, AMissingDirectoryIsAnErrorNamingTheReport) {
  const std::string path = (directory_ / "missing" / "report.json").string();
  try {
    write_report_file(*make_reporter("json"), Report(), path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr(path));
  }
}

}  // namespace
}  // namespace flowproof::conformance
