// cloud_cli/telemetry.hpp — the telemetry of one invocation and where the real program sends it:
// a JSON Lines file.
//
//   JsonLinesFileTransport transport("/tmp/events.jsonl");      // appends, one event per line
//   harness::TransportClient delivery(transport, delivery_options(invocation_id));
//   auto client = make_invocation_client(delivery, invocation_id, invocation);
//   run_command(invocation, services);                          // services.client = *client
//   client->close(std::chrono::milliseconds(500));               // bounded: never delays exit
#pragma once

#include "cloud_cli/cli.hpp"

#include <flowproof/harness/client.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cloud_cli {

/// A harness::Transport that appends each batch to a file as JSON Lines, in one write, so that
/// several processes can share the file.
class JsonLinesFileTransport final : public flowproof::harness::Transport {
 public:
  explicit JsonLinesFileTransport(std::filesystem::path path) : path_(std::move(path)) {}
  bool send(const std::vector<flowproof::harness::Event>& batch) override;

 private:
  std::filesystem::path path_;
};

/// A random (version 4) UUID in lower case, e.g. "3f0c2a9e-7b1d-4c5e-9f8a-0d1e2f3a4b5c".
std::string new_invocation_id();

/// The telemetry file: --telemetry-file, else $CLOUD_CLI_TELEMETRY_FILE, else none.
std::optional<std::filesystem::path> telemetry_path(const Invocation& invocation,
                                                    const char* environment_value);

/// The client options the product uses: base properties for this invocation, sequence from 1.
flowproof::harness::ClientOptions client_options(const std::string& invocation_id,
                                                 const Invocation& invocation,
                                                 flowproof::harness::Clock* clock = nullptr);

/// The options of the client that delivers an invocation client's events: ids and timestamps
/// only (no base properties, no sequence), since the events arrive complete.
flowproof::harness::ClientOptions delivery_options(const std::string& invocation_id,
                                                   flowproof::harness::Clock* clock = nullptr);

/// The client the commands of one invocation track through: it enriches every call as
/// client_options() says (base properties after the call site's own, one gap-free sequence for
/// the whole invocation whatever thread tracks) and hands the finished properties to its sink.
class InvocationClient : public flowproof::harness::Client {
 public:
  /// Sets the app_id base property of every later event (what Services::app_known calls).
  virtual void set_app_id(const std::string& app_id) = 0;
};

/// The program's invocation client over `sink` (not owned), which must add nothing to the
/// properties: a TransportClient with delivery_options() in the program, a recorder in tests.
/// flush() and close() pass on to the sink.
std::unique_ptr<InvocationClient> make_invocation_client(
    flowproof::harness::Client& sink, const std::string& invocation_id,
    const Invocation& invocation, flowproof::harness::Clock* clock = nullptr);

}  // namespace cloud_cli
