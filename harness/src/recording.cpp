// RecordingClient: in-memory recording with waiting, JSON Lines output and optional forwarding.
#include <flowproof/harness/recording.hpp>

#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/output_file.hpp>
#include <flowproof/harness/timeline.hpp>

#include <atomic>
#include <stdexcept>

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
  const std::vector<Event> recorded = events();
  std::string text;
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    try {
      text += to_json_line(recorded[i]);
    } catch (const nlohmann::json::type_error& error) {
      // JSON cannot carry bytes that are not UTF-8; writing U+FFFD instead would hide from
      // `flowproof check` what the product really sent, so the recording is refused.
      throw std::runtime_error("cannot write " + path.string() + ": event " +
                               timeline_label(recorded, i) + " \"" + recorded[i].name +
                               "\" holds a string that is not valid UTF-8 (" + error.what() + ")");
    }
    text += '\n';
  }
  write_output_file(path.string(), [&](std::ostream& out) { out << text; });
}

std::uint64_t RecordingClient::forward_failures() const {
  std::lock_guard lock(mutex_);
  return forward_failures_;
}

std::uint64_t RecordingClient::observer_failures() const {
  std::lock_guard lock(mutex_);
  return observer_failures_;
}

std::string RecordingClient::verify() const {
  std::string out = refused_properties_lines();
  std::lock_guard lock(mutex_);
  if (forward_failures_ > 0) {
    out += std::to_string(forward_failures_) + " forwarded call" +
           (forward_failures_ == 1 ? "" : "s") + " threw (the first: " + first_forward_failure_ +
           "); the events were recorded\n";
  }
  if (observer_failures_ > 0) {
    out += std::to_string(observer_failures_) + " observer call" +
           (observer_failures_ == 1 ? "" : "s") + " threw (the first: " + first_observer_failure_ +
           "); the events were recorded\n";
  }
  return out;
}

bool RecordingClient::flush(std::chrono::milliseconds) { return true; }

bool RecordingClient::close(std::chrono::milliseconds) {
  mark_closed();
  return true;
}

void RecordingClient::deliver(Event event) {
  // The product called this client, not the observer or the target: what they throw stays here.
  std::string observer_failure;
  if (RecordingObserver* observer = recording_observer.load(std::memory_order_acquire)) {
    try {
      observer->recorded(*this, event);
    } catch (...) {
      observer_failure = error_class(std::current_exception());
    }
  }
  std::string forward_failure;
  if (forward_to_ != nullptr) {
    try {
      if (event.type == EventType::track) {
        forward_to_->track(event.name, event.properties);
      } else {
        forward_to_->identify(event.user_id, event.properties);
      }
    } catch (...) {
      forward_failure = error_class(std::current_exception()) + " forwarding \"" +
                        (event.type == EventType::track ? event.name : "identify") + "\"";
    }
  }
  {
    std::lock_guard lock(mutex_);
    if (!forward_failure.empty() && forward_failures_++ == 0) {
      first_forward_failure_ = std::move(forward_failure);
    }
    events_.push_back(std::move(event));
    if (!observer_failure.empty() && observer_failures_++ == 0) {
      // Named by its timeline label (#sequence, or @position when it has none), as matchers do.
      const Event& stored = events_.back();
      first_observer_failure_ =
          std::move(observer_failure) + " observing " +
          timeline_label(events_, events_.size() - 1, {.sequence_property = sequence_property()}) +
          " \"" + (stored.type == EventType::track ? stored.name : "identify") + "\"";
    }
  }
  changed_.notify_all();
}

}  // namespace flowproof::harness
