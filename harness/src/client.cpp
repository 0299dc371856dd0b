// EnrichingClient: base properties, gap-free sequence, timestamps and message ids for every event.
#include <flowproof/harness/client.hpp>

#include <condition_variable>
#include <random>

namespace flowproof::harness {
namespace {

// A random (version 4) UUID; message ids only need to be unique, not unpredictable.
std::string random_uuid() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uint64_t high = engine();
  std::uint64_t low = engine();
  high = (high & ~std::uint64_t{0xf000}) | 0x4000;                       // version 4
  low = (low & ~(std::uint64_t{0xc} << 60)) | (std::uint64_t{8} << 60);  // variant 10xx
  // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, nibbles written directly (no printf on track's path).
  static constexpr char hex[] = "0123456789abcdef";
  std::string text(36, '-');
  std::size_t at = 0;
  const auto put = [&](std::uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
      text[at++] = hex[(bits >> (4 * i)) & 0xf];
    }
  };
  put(high, 16);
  put(low, 16);
  return text;
}

// The client whose deliver() is running on this thread, if any: close() from inside a delivery
// must not wait for that delivery to end.
thread_local const void* delivering_client = nullptr;

constexpr std::size_t refusals_kept = 5;

}  // namespace

struct EnrichingClient::State {
  explicit State(ClientOptions options_in)
      : options(std::move(options_in)),
        clock(options.clock != nullptr ? options.clock : &system_clock()),
        next_sequence(options.sequence_start) {
    if (options.base_properties.is_null()) options.base_properties = nlohmann::json::object();
    if (!options.base_properties.is_object()) {
      refuse("ClientOptions::base_properties", options.base_properties);
      options.base_properties = nlohmann::json::object();
    }
  }
  // Counts (and describes the first few of) the properties left out; called under `mutex`.
  void refuse(std::string_view what, const nlohmann::json& properties) {
    ++refused_properties;
    if (refusal_lines.size() == refusals_kept) return;
    std::string shown = properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    refusal_lines.push_back("\"" + std::string(what) + "\": properties " + shown + " are " +
                            json_kind(properties) + ", not a JSON object; left out");
  }
  // The properties to send: an object as given, null as {}, anything else refused and {}.
  nlohmann::json checked(std::string_view what, nlohmann::json properties) {
    if (properties.is_object()) return properties;
    if (!properties.is_null()) refuse(what, properties);
    return nlohmann::json::object();
  }
  // `mutex` guards enrichment; `turn_mutex` orders deliveries. Each accepted call takes a ticket
  // (its place in sequence order) under `mutex`, releases it, and delivers when `delivered`
  // reaches its ticket: deliveries are in sequence order, one at a time, and deliver() can call
  // the client's const members, which take `mutex`.
  mutable std::mutex mutex;
  ClientOptions options;
  Clock* clock;
  std::uint64_t next_sequence;
  std::uint64_t refused = 0;
  std::uint64_t refused_properties = 0;
  std::vector<std::string> refusal_lines;
  bool closed = false;
  std::uint64_t issued = 0;
  std::mutex turn_mutex;
  std::condition_variable turn_changed;
  std::uint64_t delivered = 0;  ///< under turn_mutex
};

EnrichingClient::EnrichingClient(ClientOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

EnrichingClient::~EnrichingClient() = default;

void EnrichingClient::track(std::string_view event, nlohmann::json properties) {
  Event enriched;
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) {
      ++state_->refused;
      return;
    }
    const ClientOptions& options = state_->options;
    enriched.type = EventType::track;
    enriched.name = std::string(event);
    enriched.properties = state_->checked(event, std::move(properties));
    // Base properties and the sequence go in last: a call site can never override them.
    for (const auto& [key, value] : options.base_properties.items()) {
      enriched.properties[key] = value;
    }
    if (!options.sequence_property.empty()) {
      enriched.properties[options.sequence_property] = state_->next_sequence++;
    }
    enriched.timestamp = format_timestamp(state_->clock->wall_now());
    enriched.anonymous_id = options.anonymous_id;
    enriched.user_id = options.user_id;
    enriched.message_id = random_uuid();
    ticket = state_->issued++;
  }
  deliver_in_turn(ticket, std::move(enriched));
}

void EnrichingClient::identify(std::string_view user_id, nlohmann::json traits) {
  Event enriched;
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) {
      ++state_->refused;
      return;
    }
    state_->options.user_id = std::string(user_id);
    enriched.type = EventType::identify;
    enriched.properties = state_->checked("identify", std::move(traits));
    enriched.timestamp = format_timestamp(state_->clock->wall_now());
    enriched.anonymous_id = state_->options.anonymous_id;
    enriched.user_id = state_->options.user_id;
    enriched.message_id = random_uuid();
    ticket = state_->issued++;
  }
  deliver_in_turn(ticket, std::move(enriched));
}

void EnrichingClient::deliver_in_turn(std::uint64_t ticket, Event event) {
  State& state = *state_;
  {
    std::unique_lock lock(state.turn_mutex);
    state.turn_changed.wait(lock, [&] { return state.delivered == ticket; });
  }
  // The next ticket's turn comes however deliver() ends, a throw included.
  struct NextTurn {
    State& state;
    const void* outer;
    ~NextTurn() {
      delivering_client = outer;
      {
        std::lock_guard lock(state.turn_mutex);
        ++state.delivered;
      }
      state.turn_changed.notify_all();
    }
  } next_turn{state, delivering_client};
  delivering_client = this;
  deliver(std::move(event));
}

void EnrichingClient::report_refused_properties(std::string_view event,
                                                const nlohmann::json& properties) {
  std::lock_guard lock(state_->mutex);
  state_->refuse(event, properties);
}

void EnrichingClient::set_base_property(const std::string& key, nlohmann::json value) {
  std::lock_guard lock(state_->mutex);
  state_->options.base_properties[key] = std::move(value);
}

std::uint64_t EnrichingClient::next_sequence() const {
  std::lock_guard lock(state_->mutex);
  return state_->next_sequence;
}

std::uint64_t EnrichingClient::refused_after_close() const {
  std::lock_guard lock(state_->mutex);
  return state_->refused;
}

bool EnrichingClient::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

std::uint64_t EnrichingClient::refused_properties() const {
  std::lock_guard lock(state_->mutex);
  return state_->refused_properties;
}

std::string EnrichingClient::refused_properties_lines() const {
  std::lock_guard lock(state_->mutex);
  std::string out;
  for (const std::string& line : state_->refusal_lines) out += line + '\n';
  if (state_->refused_properties > state_->refusal_lines.size()) {
    out += "... and " + std::to_string(state_->refused_properties - state_->refusal_lines.size()) +
           " more\n";
  }
  return out;
}

const std::string& EnrichingClient::sequence_property() const {
  // No lock: only base_properties and user_id of the options change after construction.
  return state_->options.sequence_property;
}

void EnrichingClient::mark_closed() {
  std::uint64_t accepted = 0;
  {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    accepted = state_->issued;
  }
  if (delivering_client == this) return;  // close() from inside a delivery: that one is ours
  std::unique_lock lock(state_->turn_mutex);
  state_->turn_changed.wait(lock, [&] { return state_->delivered >= accepted; });
}

}  // namespace flowproof::harness
