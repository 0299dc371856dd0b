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
  /// Source of event timestamps; nullptr means system_clock(). Not owned: it must outlive the
  /// client.
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
  /// Told that a call for `event` was given properties that are not a JSON object (and not null),
  /// such as `complete({"region", "eu"})`, which builds the array ["region","eu"]: the event was
  /// sent without them. FlowTracker reports here; EnrichingClient counts it
  /// (refused_properties()). Does nothing by default.
  virtual void report_refused_properties(std::string_view /*event*/,
                                         const nlohmann::json& /*properties*/) {}
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
/// later events. Properties (or traits) that are neither an object nor null are left out — the
/// event is sent with an empty object — and counted in refused_properties().
///
/// deliver() runs outside the client's lock, one event at a time in sequence order, so code it
/// calls (a RecordingObserver, a forward target) may call this client's const members. It must not
/// call track() or identify() on the same client from inside deliver(): that call waits for its
/// turn behind the delivery that made it, and never gets it.
class EnrichingClient : public Client {
 public:
  explicit EnrichingClient(ClientOptions options = {});
  ~EnrichingClient() override;

  void track(std::string_view event, nlohmann::json properties = nlohmann::json::object()) final;
  void identify(std::string_view user_id, nlohmann::json traits = nlohmann::json::object()) final;
  /// Counts a call whose properties were not an object (see Client). Thread-safe.
  void report_refused_properties(std::string_view event, const nlohmann::json& properties) final;

  /// Sets (or replaces) one base property for all later events. Thread-safe.
  void set_base_property(const std::string& key, nlohmann::json value);
  /// The next sequence number to be assigned.
  std::uint64_t next_sequence() const;
  /// Calls refused because the client was closed.
  std::uint64_t refused_after_close() const;
  /// True once close() was called.
  bool closed() const;
  /// Calls whose properties (or traits, or ClientOptions::base_properties) were neither a JSON
  /// object nor null, and were left out; reported by the client itself or by a FlowTracker.
  std::uint64_t refused_properties() const;

 protected:
  /// Receives each enriched event, in sequence order, serialised (never concurrently), outside
  /// the client's lock (see the class comment).
  virtual void deliver(Event event) = 0;
  /// Marks the client closed: later track/identify calls are refused and counted. Waits for the
  /// deliveries of calls accepted before it (unless called from inside deliver()).
  void mark_closed();
  /// The refused properties, one line each (the first few), for RecordingClient::verify().
  std::string refused_properties_lines() const;
  /// ClientOptions::sequence_property (fixed at construction), to label events as timelines do.
  const std::string& sequence_property() const;

 private:
  void deliver_in_turn(std::uint64_t ticket, Event event);
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
  /// The transport (and ClientOptions::clock) must outlive the client. batch_size 0 is taken as 1.
  explicit TransportClient(Transport& transport, ClientOptions options = {},
                           std::size_t batch_size = 100);
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
