// cloud_cli/telemetry.hpp — where the real program's telemetry goes: a JSON Lines file.
//
//   JsonLinesFileTransport transport("/tmp/events.jsonl");      // appends, one event per line
//   harness::TransportClient client(transport, client_options(new_invocation_id(), invocation));
//   ...
//   client.close(std::chrono::milliseconds(500));                // bounded: never delays exit
#pragma once

#include "cloud_cli/cli.hpp"

#include <flowproof/harness/client.hpp>

#include <filesystem>
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

}  // namespace cloud_cli
