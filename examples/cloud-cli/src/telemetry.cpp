// Telemetry plumbing of the real program: the JSON Lines file transport and invocation ids.
#include "cloud_cli/telemetry.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <random>

namespace cloud_cli {

bool JsonLinesFileTransport::send(const std::vector<flowproof::harness::Event>& batch) {
  const std::string lines = flowproof::harness::to_json_lines(batch);
  // O_APPEND and a single write keep lines of concurrent processes from interleaving.
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  std::size_t written = 0;
  while (written < lines.size()) {
    const ssize_t n = ::write(fd, lines.data() + written, lines.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return written == lines.size();
}

std::string new_invocation_id() {
  std::random_device device;
  std::array<unsigned char, 16> bytes{};
  for (unsigned char& byte : bytes) byte = static_cast<unsigned char>(device() & 0xff);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string id;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", bytes[i]);
    id += hex.data();
  }
  return id;
}

std::optional<std::filesystem::path> telemetry_path(const Invocation& invocation,
                                                    const char* environment_value) {
  if (invocation.telemetry_file) return std::filesystem::path(*invocation.telemetry_file);
  if (environment_value != nullptr && *environment_value != '\0')
    return std::filesystem::path(environment_value);
  return std::nullopt;
}

flowproof::harness::ClientOptions client_options(const std::string& invocation_id,
                                                 const Invocation& invocation,
                                                 flowproof::harness::Clock* clock) {
  flowproof::harness::ClientOptions options;
  options.base_properties = base_properties(invocation_id, invocation);
  options.sequence_property = "sequence";
  options.sequence_start = 1;
  options.anonymous_id = invocation_id;
  options.clock = clock;
  return options;
}

}  // namespace cloud_cli
