// Transport fakes: collecting, failing, dropping every k-th event, and blocking until released.
#include <flowproof/fakes/transports.hpp>

#include <flowproof/fakes/errors.hpp>

namespace flowproof::fakes {

bool CollectingTransport::send(const std::vector<harness::Event>& batch) {
  std::lock_guard lock(mutex_);
  events_.insert(events_.end(), batch.begin(), batch.end());
  batch_sizes_.push_back(batch.size());
  return true;
}

std::vector<harness::Event> CollectingTransport::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<std::size_t> CollectingTransport::batch_sizes() const {
  std::lock_guard lock(mutex_);
  return batch_sizes_;
}

bool FailingTransport::send(const std::vector<harness::Event>& batch) {
  std::lock_guard lock(mutex_);
  ++batches_;
  events_ += batch.size();
  return false;
}

std::uint64_t FailingTransport::batches_refused() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::uint64_t FailingTransport::events_refused() const {
  std::lock_guard lock(mutex_);
  return events_;
}

DroppingTransport::DroppingTransport(std::size_t every_kth, harness::Transport* sink)
    : every_kth_(every_kth), sink_(sink) {
  if (every_kth_ == 0) throw ScriptError("DroppingTransport: every_kth must be at least 1");
}

bool DroppingTransport::send(const std::vector<harness::Event>& batch) {
  std::vector<harness::Event> forward;
  {
    std::lock_guard lock(mutex_);
    for (const auto& event : batch) {
      if (++seen_ % every_kth_ == 0) {
        dropped_.push_back(event);
      } else {
        forward.push_back(event);
        if (sink_ == nullptr) delivered_.push_back(event);
      }
    }
    if (sink_ != nullptr) delivered_.insert(delivered_.end(), forward.begin(), forward.end());
  }
  // The loss is silent on purpose: the client believes the whole batch arrived.
  if (sink_ != nullptr && !forward.empty()) sink_->send(forward);
  return true;
}

std::vector<harness::Event> DroppingTransport::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

std::vector<harness::Event> DroppingTransport::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

SlowTransport::SlowTransport(std::chrono::milliseconds max_block) : max_block_(max_block) {}

SlowTransport::~SlowTransport() { release(); }

bool SlowTransport::send(const std::vector<harness::Event>& batch) {
  std::unique_lock lock(mutex_);
  ++blocked_;
  ++ever_blocked_;
  changed_.notify_all();
  changed_.wait_for(lock, max_block_, [this] { return released_; });
  --blocked_;
  events_.insert(events_.end(), batch.begin(), batch.end());
  changed_.notify_all();
  return true;
}

void SlowTransport::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  changed_.notify_all();
}

bool SlowTransport::wait_until_blocked() {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, max_block_, [this] { return ever_blocked_ > 0 || released_; });
}

std::size_t SlowTransport::blocked() const {
  std::lock_guard lock(mutex_);
  return blocked_;
}

std::vector<harness::Event> SlowTransport::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace flowproof::fakes
