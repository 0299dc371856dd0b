// cloud-cli: the example product's program. Wires the real services into the commands:
// terminal prompts, interruptible waits, a JSON Lines telemetry file, the simulated service.
//
//   cloud-cli app create --telemetry-file events.jsonl
//   printf 'shop\n1\ny\n1\n' | cloud-cli app create --telemetry-file events.jsonl
#include "cloud_cli/cli.hpp"
#include "cloud_cli/commands.hpp"
#include "cloud_cli/simulation.hpp"
#include "cloud_cli/telemetry.hpp"
#include "cloud_cli/terminal.hpp"

#include <flowproof/harness/client.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const cloud_cli::ParseResult parsed = cloud_cli::parse_command_line(args);
  // Help, version and a bad flag never start a command: no telemetry at all.
  switch (parsed.kind) {
    case cloud_cli::ParseResult::Kind::help:
    case cloud_cli::ParseResult::Kind::version:
      std::cout << parsed.message << "\n";
      return 0;
    case cloud_cli::ParseResult::Kind::usage_error:
      std::cerr << "cloud-cli: " << parsed.message;
      return 2;
    case cloud_cli::ParseResult::Kind::run:
      break;
  }
  const cloud_cli::Invocation& invocation = parsed.invocation;

  cloud_cli::InterruptibleWaiter waiter;
  std::unique_ptr<cloud_cli::SimulatedBackend> backend;
  try {
    backend = std::make_unique<cloud_cli::SimulatedBackend>(invocation.simulate, waiter);
  } catch (const std::invalid_argument& error) {
    std::cerr << "cloud-cli: " << error.what() << "\n";
    return 2;
  }

  cloud_cli::register_cancellations();
  cloud_cli::install_interrupt_handler();

  // Telemetry: the invocation client, delivering through a TransportClient over the JSON Lines
  // file, or into nothing when no file is chosen.
  const auto path = cloud_cli::telemetry_path(invocation, std::getenv("CLOUD_CLI_TELEMETRY_FILE"));
  const std::string invocation_id = cloud_cli::new_invocation_id();
  std::unique_ptr<cloud_cli::JsonLinesFileTransport> transport;
  std::unique_ptr<flowproof::harness::Client> delivery;
  if (path) {
    transport = std::make_unique<cloud_cli::JsonLinesFileTransport>(*path);
    delivery = std::make_unique<flowproof::harness::TransportClient>(
        *transport, cloud_cli::delivery_options(invocation_id));
  } else {
    delivery = std::make_unique<flowproof::harness::NullClient>();
  }
  const std::unique_ptr<cloud_cli::InvocationClient> client =
      cloud_cli::make_invocation_client(*delivery, invocation_id, invocation);

  cloud_cli::LinePrompter prompter(cloud_cli::read_stdin_line, std::cerr);
  cloud_cli::CloudApi api(*backend);
  cloud_cli::Services services{.client = *client,
                               .prompter = prompter,
                               .api = api,
                               .waiter = waiter,
                               .clock = flowproof::harness::system_clock()};
  services.app_known = [&client](const std::string& app_id) { client->set_app_id(app_id); };

  const int exit_code = cloud_cli::run_command(invocation, services);
  // Bounded: an unwritable file or a stuck transport never delays the exit by more than this.
  if (!client->close(std::chrono::milliseconds(500)))
    std::cerr << "cloud-cli: telemetry could not be delivered in time\n";
  return exit_code;
}
