// Telemetry plumbing of the real program: the invocation client, the JSON Lines file transport and
// invocation ids.
#include "cloud_cli/telemetry.hpp"

#include "cloud_cli/zoo.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace cloud_cli {

namespace harness = flowproof::harness;

namespace {

#if CLOUD_CLI_DEFECT_IS(no_terminal_on_ctrl_c_outside_prompt)
// The zoo's stand-in for a process killed by SIGINT (a test cannot die): nothing more is sent.
std::atomic<bool> process_ended{false};
#endif

/// The harness enriches (base properties last, one sequence); each finished event goes to the sink.
class Forwarder final : public harness::EnrichingClient {
 public:
  Forwarder(harness::Client& sink, harness::ClientOptions options)
      : EnrichingClient(std::move(options)), sink_(&sink) {}
  bool flush(std::chrono::milliseconds deadline) override { return sink_->flush(deadline); }
  bool close(std::chrono::milliseconds deadline) override {
    mark_closed();
    return sink_->close(deadline);
  }

 protected:
  void deliver(harness::Event event) override {
    if (event.type == harness::EventType::identify) {
      sink_->identify(event.user_id, std::move(event.properties));
    } else {
      sink_->track(event.name, std::move(event.properties));
    }
  }

 private:
  harness::Client* sink_;
};

class EnrichedInvocationClient final : public InvocationClient {
 public:
  EnrichedInvocationClient(harness::Client& sink, harness::ClientOptions options)
      : forwarder_(sink, std::move(options)) {}
  void track(std::string_view event, nlohmann::json properties) override {
#if CLOUD_CLI_DEFECT_IS(no_terminal_on_ctrl_c_outside_prompt)
    if (process_ended) return;
#endif
    forwarder_.track(event, std::move(properties));
  }
  void identify(std::string_view user_id, nlohmann::json traits) override {
    forwarder_.identify(user_id, std::move(traits));
  }
  bool flush(std::chrono::milliseconds deadline) override { return forwarder_.flush(deadline); }
  bool close(std::chrono::milliseconds deadline) override { return forwarder_.close(deadline); }
  void set_app_id(const std::string& app_id) override {
    forwarder_.set_base_property("app_id", app_id);
  }

 private:
  Forwarder forwarder_;
};

#if CLOUD_CLI_DEFECT_IS(call_site_overrides_base_property) || CLOUD_CLI_DEFECT_IS(racing_sequence)
// These two bugs live in products that stamp and number their events by hand instead of through
// harness::EnrichingClient: in these variants the invocation client is such code.
class HandRolledClient final : public InvocationClient {
 public:
  HandRolledClient(harness::Client& sink, harness::ClientOptions options)
      : sink_(&sink), options_(std::move(options)) {}
  void track(std::string_view event, nlohmann::json properties) override {
    std::lock_guard lock(mutex_);
    if (!properties.is_object()) properties = nlohmann::json::object();
#if CLOUD_CLI_DEFECT_IS(call_site_overrides_base_property)
    // BUG: the base properties go in first, so a call site's own `command` replaces the base one.
    nlohmann::json merged = options_.base_properties;
    merged.update(properties);
    properties = std::move(merged);
#else
    properties.update(options_.base_properties);
#endif
#if CLOUD_CLI_DEFECT_IS(racing_sequence)
    // BUG: a counter per thread instead of one per invocation: an event tracked from another
    // thread numbers from the start again.
    std::uint64_t& sent = sent_by_thread_[std::this_thread::get_id()];
#else
    std::uint64_t& sent = sent_;
#endif
    properties[options_.sequence_property] = options_.sequence_start + sent++;
    sink_->track(event, std::move(properties));
  }
  void identify(std::string_view user_id, nlohmann::json traits) override {
    sink_->identify(user_id, std::move(traits));
  }
  bool flush(std::chrono::milliseconds deadline) override { return sink_->flush(deadline); }
  bool close(std::chrono::milliseconds deadline) override { return sink_->close(deadline); }
  void set_app_id(const std::string& app_id) override {
    std::lock_guard lock(mutex_);
    options_.base_properties["app_id"] = app_id;
  }

 private:
  harness::Client* sink_;
  harness::ClientOptions options_;
  std::mutex mutex_;
#if CLOUD_CLI_DEFECT_IS(racing_sequence)
  std::map<std::thread::id, std::uint64_t> sent_by_thread_;
#else
  std::uint64_t sent_ = 0;
#endif
};
#endif

}  // namespace

#if CLOUD_CLI_DEFECT_IS(no_terminal_on_ctrl_c_outside_prompt)
void zoo::end_process_on_sigint() { process_ended = true; }
#endif

// A send bounds itself, as TransportClient needs (its destructor waits for a send in progress):
// the file is opened without blocking — a FIFO nobody reads fails at once (ENXIO) instead of
// waiting for a reader forever — and a write that cannot proceed waits at most kWriteStall for
// room before the batch is given up as lost.
bool JsonLinesFileTransport::send(const std::vector<harness::Event>& batch) {
  constexpr int kWriteStall = 250;  // milliseconds without progress before giving up
  const std::string lines = harness::to_json_lines(batch);
  // O_APPEND and a single write keep lines of concurrent processes from interleaving.
  const int fd =
      ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd < 0) return false;
  std::size_t written = 0;
  while (written < lines.size()) {
    const ssize_t n = ::write(fd, lines.data() + written, lines.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd room{.fd = fd, .events = POLLOUT, .revents = 0};
        if (::poll(&room, 1, kWriteStall) > 0) continue;
      }
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

harness::ClientOptions client_options(const std::string& invocation_id,
                                      const Invocation& invocation, harness::Clock* clock) {
  harness::ClientOptions options;
  options.base_properties = base_properties(invocation_id, invocation);
  options.sequence_property = "sequence";
  options.sequence_start = 1;
  options.anonymous_id = invocation_id;
  options.clock = clock;
  return options;
}

harness::ClientOptions delivery_options(const std::string& invocation_id, harness::Clock* clock) {
  harness::ClientOptions options;
  options.base_properties = nlohmann::json::object();
  options.sequence_property = "";
  options.anonymous_id = invocation_id;
  options.clock = clock;
  return options;
}

std::unique_ptr<InvocationClient> make_invocation_client(harness::Client& sink,
                                                         const std::string& invocation_id,
                                                         const Invocation& invocation,
                                                         harness::Clock* clock) {
#if CLOUD_CLI_DEFECT_IS(no_terminal_on_ctrl_c_outside_prompt)
  process_ended = false;  // a new invocation is a new process
#endif
#if CLOUD_CLI_DEFECT_IS(call_site_overrides_base_property) || CLOUD_CLI_DEFECT_IS(racing_sequence)
  return std::make_unique<HandRolledClient>(sink, client_options(invocation_id, invocation, clock));
#else
  return std::make_unique<EnrichedInvocationClient>(
      sink, client_options(invocation_id, invocation, clock));
#endif
}

}  // namespace cloud_cli
