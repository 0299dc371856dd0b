// flowproof/fakes/transports.hpp — harness::Transport fakes for testing telemetry delivery.
//
//   CollectingTransport   accepts every batch and keeps the events
//   FailingTransport      refuses every batch and counts them
//   DroppingTransport     silently loses every k-th event, forwards the rest (sequence gaps)
//   SlowTransport         blocks in send() until the test releases it (bounded close())
//
//   SlowTransport slow;
//   TransportClient client(slow);
//   auto release = slow.release_on_exit();       // declared after the client: runs first
//   client.track("Command Invoked");
//   ASSERT_TRUE(slow.wait_until_blocked());      // the worker is stuck inside send()
//   EXPECT_FALSE(client.close(std::chrono::milliseconds(50)));  // bounded, returns false
//
// No fake here sleeps or measures time; all are thread-safe.
#pragma once

#include <flowproof/harness/client.hpp>
#include <flowproof/harness/event.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace flowproof::fakes {

/// Accepts every batch and keeps its events in order.
class CollectingTransport final : public harness::Transport {
 public:
  bool send(const std::vector<harness::Event>& batch) override;
  /// Every event received, in order.
  std::vector<harness::Event> events() const;
  /// Sizes of the batches received, in order.
  std::vector<std::size_t> batch_sizes() const;

 private:
  mutable std::mutex mutex_;
  std::vector<harness::Event> events_;
  std::vector<std::size_t> batch_sizes_;
};

/// Refuses every batch (as an unreachable endpoint would) and counts what it refused.
class FailingTransport final : public harness::Transport {
 public:
  bool send(const std::vector<harness::Event>& batch) override;
  /// Batches refused.
  std::uint64_t batches_refused() const;
  /// Events in the batches refused.
  std::uint64_t events_refused() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t batches_ = 0;
  std::uint64_t events_ = 0;
};

/// Loses every k-th event it is given (counting from 1 across batches) yet reports success, and
/// forwards the rest to a sink (or keeps them when there is none).
class DroppingTransport final : public harness::Transport {
 public:
  /// every_kth must be at least 1 (1 drops everything). The sink is not owned.
  explicit DroppingTransport(std::size_t every_kth, harness::Transport* sink = nullptr);
  bool send(const std::vector<harness::Event>& batch) override;
  /// Events forwarded (kept here when there is no sink).
  std::vector<harness::Event> delivered() const;
  /// Events dropped, in order.
  std::vector<harness::Event> dropped() const;

 private:
  std::size_t every_kth_;
  harness::Transport* sink_;
  mutable std::mutex mutex_;
  std::size_t seen_ = 0;
  std::vector<harness::Event> delivered_;
  std::vector<harness::Event> dropped_;
};

/// Blocks every send() until release() (or until the safety bound passes), then accepts the batch.
class SlowTransport final : public harness::Transport {
 public:
  /// max_block is a safety net so a forgotten release() cannot hang a test run forever; tests
  /// must not rely on it.
  explicit SlowTransport(std::chrono::milliseconds max_block = std::chrono::minutes(5));
  /// Releases any blocked send().
  ~SlowTransport() override;
  bool send(const std::vector<harness::Event>& batch) override;

  /// Lets every current and future send() return at once.
  void release();
  /// Blocks until some send() is blocked (or released); returns false after the safety bound.
  [[nodiscard]] bool wait_until_blocked();
  /// Sends currently blocked.
  std::size_t blocked() const;
  /// Events in batches that completed.
  std::vector<harness::Event> events() const;

  /// Calls release() when destroyed; declare it after the client that uses the transport.
  class ReleaseOnExit {
   public:
    explicit ReleaseOnExit(SlowTransport& transport) : transport_(&transport) {}
    ReleaseOnExit(const ReleaseOnExit&) = delete;
    ReleaseOnExit& operator=(const ReleaseOnExit&) = delete;
    ~ReleaseOnExit() { transport_->release(); }

   private:
    SlowTransport* transport_;
  };
  /// A guard that releases this transport when it goes out of scope.
  [[nodiscard]] ReleaseOnExit release_on_exit() { return ReleaseOnExit(*this); }

 private:
  std::chrono::milliseconds max_block_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  std::size_t blocked_ = 0;
  std::size_t ever_blocked_ = 0;
  std::vector<harness::Event> events_;
};

}  // namespace flowproof::fakes
