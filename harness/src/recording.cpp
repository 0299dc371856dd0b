// RecordingClient: in-memory recording with waiting, JSON Lines output and optional forwarding.
#include <flowproof/harness/recording.hpp>

#include <flowproof/harness/output_file.hpp>

#include <atomic>

namespace flowproof::harness {

namespace {
std::atomic<RecordingObserver*> recording_observer{nullptr};
}  // namespace

RecordingObserver* set_recording_observer(RecordingObserver* observer) {
  return recording_observer.exchange(observer);
}

RecordingClient::RecordingClient(ClientOptions options, Client* forward_to)
    : EnrichingClient(std::move(options)), forward_to_(forward_to) {}

std::vector<Event> RecordingClient::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::size_t RecordingClient::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

void RecordingClient::clear() {
  std::lock_guard lock(mutex_);
  events_.clear();
  changed_.notify_all();
}

bool RecordingClient::wait_for(const std::function<bool(const std::vector<Event>&)>& predicate,
                               std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return predicate(events_); });
}

void RecordingClient::write_json_lines(const std::filesystem::path& path) const {
  const std::string text = to_json_lines(events());
  write_output_file(path.string(), [&](std::ostream& out) { out << text; });
}

bool RecordingClient::flush(std::chrono::milliseconds) { return true; }

bool RecordingClient::close(std::chrono::milliseconds) {
  mark_closed();
  return true;
}

void RecordingClient::deliver(Event event) {
  if (RecordingObserver* observer = recording_observer.load(std::memory_order_acquire)) {
    observer->recorded(*this, event);
  }
  if (forward_to_ != nullptr) {
    if (event.type == EventType::track) {
      forward_to_->track(event.name, event.properties);
    } else {
      forward_to_->identify(event.user_id, event.properties);
    }
  }
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  changed_.notify_all();
}

}  // namespace flowproof::harness
