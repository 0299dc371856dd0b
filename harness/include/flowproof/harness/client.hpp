// flowproof/harness/client.hpp — the analytics client interface products instrument against.
//
// Products call track()/identify() on a Client they are handed; production wires a TransportClient
// (batches to the real telemetry endpoint), tests wire a RecordingClient (recording.hpp):
//
//   ClientOptions options;
//   options.base_properties = {{"invocation_id", id}, {"command", "app create"}};
//   RecordingClient client(options);
//   client.track("Command Invoked");          // properties gain invocation_id, command, sequence
//   client.close(std::chrono::milliseconds(500));
#pragma once

#include <flowproof/harness/clock.hpp>
#include <flowproof/harness/event.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::harness {

/// What every track call is enriched with.
struct ClientOptions {
  /// Written into every track call's properties *after* the call site's own, so a call site can
  /// never override them.
  nlohmann::json base_properties = nlohmann::json::object();
  /// Property that carries the per-client sequence number; empty for none.
  std::string sequence_property = "sequence";
  /// The first sequence number.
  std::uint64_t sequence_start = 1;
  std::string anonymous_id{};
  std::string user_id{};
  /// Source of event timestamps; nullptr means system_clock().
  Clock* clock = nullptr;
};

/// The interface products instrument against.
class Client {
 public:
  virtual ~Client() = default;
  /// Records one track call.
  virtual void track(std::string_view event,
                     nlohmann::json properties = nlohmann::json::object()) = 0;
  /// Associates the user with traits (personal data belongs here, never in track properties).
  virtual void identify(std::string_view user_id,
                        nlohmann::json traits = nlohmann::json::object()) = 0;
  /// Delivers what is pending; false when the deadline passed first.
  virtual bool flush(std::chrono::milliseconds deadline) = 0;
  /// Flushes, then refuses further calls; bounded by the deadline, false when it passed first.
  virtual bool close(std::chrono::milliseconds deadline) = 0;
};

/// A client that drops everything (telemetry disabled).
class NullClient final : public Client {
 public:
  void track(std::string_view, nlohmann::json = nlohmann::json::object()) override {}
  void identify(std::string_view, nlohmann::json = nlohmann::json::object()) override {}
  bool flush(std::chrono::milliseconds) override { return true; }
  bool close(std::chrono::milliseconds) override { return true; }
};

/// Base of clients that build full events: applies base properties last, assigns a gap-free
/// sequence (unique under concurrent tracking), stamps time and a message id, then deliver()s.
/// Events are delivered in sequence order. identify() calls carry the traits only: no base
/// properties and no sequence number (so track sequences stay gap-free); they set the user id of
/// later events. Non-object track properties are replaced by an empty object.
class EnrichingClient : public Client {
 public:
  explicit EnrichingClient(ClientOptions options = {});
  ~EnrichingClient() override;

  void track(std::string_view event, nlohmann::json properties = nlohmann::json::object()) final;
  void identify(std::string_view user_id, nlohmann::json traits = nlohmann::json::object()) final;

  /// Sets (or replaces) one base property for all later events. Thread-safe.
  void set_base_property(const std::string& key, nlohmann::json value);
  /// The next sequence number to be assigned.
  std::uint64_t next_sequence() const;
  /// Calls refused because the client was closed.
  std::uint64_t refused_after_close() const;
  /// True once close() was called.
  bool closed() const;

 protected:
  /// Receives each enriched event, in sequence order, serialised (never concurrently).
  virtual void deliver(Event event) = 0;
  /// Marks the client closed: later track/identify calls are refused and counted.
  void mark_closed();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Where a TransportClient sends batches (an HTTP endpoint in production, a fake in tests).
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends one batch; returns false when it failed (the batch is counted as lost).
  virtual bool send(const std::vector<Event>& batch) = 0;
};

/// A production-style client: enriches, queues, and sends batches through a Transport on a
/// background thread. flush() and close() wait at most their deadline; the destructor waits for a
/// send in progress, so exit is bounded when Transport::send bounds itself (a timeout, no blocking
/// open).
class TransportClient final : public EnrichingClient {
 public:
  struct Stats {
    std::uint64_t sent = 0;     ///< events in batches the transport accepted
    std::uint64_t failed = 0;   ///< events in batches the transport refused
    std::uint64_t pending = 0;  ///< events queued or in flight
    std::uint64_t dropped = 0;  ///< events still queued when the client was destroyed
  };
  /// The transport must outlive the client. batch_size 0 is taken as 1.
  TransportClient(Transport& transport, ClientOptions options = {}, std::size_t batch_size = 100);
  /// Refuses further calls, waits for a send already in progress (Transport::send should bound
  /// itself) and drops what is still queued (counted in Stats::dropped).
  ~TransportClient() override;
  bool flush(std::chrono::milliseconds deadline) override;
  bool close(std::chrono::milliseconds deadline) override;
  Stats stats() const;

 protected:
  void deliver(Event event) override;

 private:
  struct Worker;
  std::unique_ptr<Worker> worker_;
};

}  // namespace flowproof::harness
