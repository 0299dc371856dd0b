// The real program's parts: the line prompter that makes scenarios scriptable with pipes, the
// JSON Lines telemetry file, and the example-only simulated service.
#include "cloud_cli_test.hpp"

#include "cloud_cli/simulation.hpp"
#include "cloud_cli/terminal.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace cloud_cli::testing {
namespace {

using ::testing::HasSubstr;

using TerminalTest = CloudCliTest;

/// A LinePrompter reading from a fixed list of lines.
LinePrompter::LineSource lines(std::vector<std::string> script) {
  auto remaining = std::make_shared<std::vector<std::string>>(std::move(script));
  return [remaining]() -> std::optional<std::string> {
    if (remaining->empty()) return std::nullopt;
    std::string line = remaining->front();
    remaining->erase(remaining->begin());
    return line;
  };
}

TEST_F(TerminalTest, LinePrompterReadsYesNoAndDefaults) {
  std::ostringstream shown;
  LinePrompter line_prompter(lines({"y", "NO", "", "maybe", "yes"}), shown);
  EXPECT_TRUE(line_prompter.confirm("Accept?", false));
  EXPECT_FALSE(line_prompter.confirm("Accept?", true));
  EXPECT_TRUE(line_prompter.confirm("Accept?", true));   // Enter: the default
  EXPECT_TRUE(line_prompter.confirm("Accept?", false));  // "maybe" is asked again
  EXPECT_THAT(shown.str(), HasSubstr("Please answer y or n."));
}

TEST_F(TerminalTest, LinePrompterSelectsByLabelOrNumber) {
  std::ostringstream shown;
  LinePrompter line_prompter(lines({"premium", "2", "9", "grow"}), shown);
  const std::vector<std::string> options = {"grow", "premium"};
  EXPECT_EQ(line_prompter.select("Plan", options), 1u);
  EXPECT_EQ(line_prompter.select("Plan", options), 1u);
  EXPECT_EQ(line_prompter.select("Plan", options), 0u);  // "9" is out of range: asked again
}

TEST_F(TerminalTest, LinePrompterTextTakesTheDefaultOnEnter) {
  std::ostringstream shown;
  LinePrompter line_prompter(lines({"", "shop"}), shown);
  EXPECT_EQ(line_prompter.text("Name", "my-app"), "my-app");
  EXPECT_EQ(line_prompter.text("Name", "my-app"), "shop");
}

TEST_F(TerminalTest, ALineWithCaretCIsCtrlCAndEndOfInputIsInputClosed) {
  std::ostringstream shown;
  LinePrompter line_prompter(lines({"^C"}), shown);
  EXPECT_THROW(line_prompter.confirm("Accept?", false), UserCancelled);
  EXPECT_THROW(line_prompter.text("Name", ""), InputClosed);
}

TEST_F(TerminalTest, APendingInterruptCancelsTheNextPrompt) {
  std::ostringstream shown;
  LinePrompter line_prompter(lines({"y"}), shown);
  simulate_interrupt();
  EXPECT_THROW(line_prompter.confirm("Accept?", false), UserCancelled);
  EXPECT_FALSE(interrupt_pending());  // consumed
}

TEST_F(TerminalTest, FileTransportAppendsJsonLines) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("cloud_cli_transport_" + invocation_id + ".jsonl");
  std::filesystem::remove(path);
  JsonLinesFileTransport transport(path);
  harness::Event event{.name = "Command Invoked", .properties = {{"sequence", 1}}};
  ASSERT_TRUE(transport.send({event}));
  ASSERT_TRUE(transport.send({event, event}));

  std::ifstream in(path);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(harness::event_from_json(nlohmann::json::parse(line)).name, "Command Invoked");
    ++count;
  }
  EXPECT_EQ(count, 3);
  std::filesystem::remove(path);
}

// A FIFO nobody reads (`--telemetry-file` on a named pipe whose reader is gone): the send fails
// at once instead of blocking in open() for a reader that never comes — and with it the client's
// destructor, and the program's exit. (Were it to block, this test would hang and time out.)
TEST_F(TerminalTest, FileTransportToAFifoWithoutAReaderFailsInsteadOfBlocking) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("cloud_cli_fifo_" + invocation_id);
  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
  JsonLinesFileTransport transport(path);
  harness::Event event{.name = "Command Invoked", .properties = {{"sequence", 1}}};
  EXPECT_FALSE(transport.send({event}));
  {
    harness::TransportClient client(transport);
    client.track("Command Invoked");
    client.close(std::chrono::milliseconds(0));
  }  // the destructor waits for the send in progress, which fails at once
  std::filesystem::remove(path);
}

TEST_F(TerminalTest, TelemetryFileFlagWinsOverTheEnvironment) {
  Invocation invocation;
  EXPECT_EQ(telemetry_path(invocation, nullptr), std::nullopt);
  EXPECT_EQ(telemetry_path(invocation, "/tmp/env.jsonl"), std::filesystem::path("/tmp/env.jsonl"));
  invocation.telemetry_file = "/tmp/flag.jsonl";
  EXPECT_EQ(telemetry_path(invocation, "/tmp/env.jsonl"), std::filesystem::path("/tmp/flag.jsonl"));
}

TEST_F(TerminalTest, SimulationRefusesUnknownOutcomes) {
  EXPECT_THROW(SimulatedBackend({"billing-wal"}, waiter), std::invalid_argument);
}

// The simulated service drives the same commands: here, the billing wall on the real code path.
TEST_F(TerminalTest, SimulatedBillingWallAbortsCreate) {
  SimulatedBackend simulated({"billing-wall"}, waiter);
  CloudApi simulated_api(simulated);
  EXPECT_THROW(simulated_api.check_billing("premium"), BillingRequired);
  EXPECT_NO_THROW(simulated_api.check_billing("premium"));  // each outcome happens once
}

}  // namespace
}  // namespace cloud_cli::testing
