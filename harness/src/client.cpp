// EnrichingClient: base properties, gap-free sequence, timestamps and message ids for every event.
#include <flowproof/harness/client.hpp>

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

}  // namespace

struct EnrichingClient::State {
  explicit State(ClientOptions options_in)
      : options(std::move(options_in)),
        clock(options.clock != nullptr ? options.clock : &system_clock()),
        next_sequence(options.sequence_start) {
    if (!options.base_properties.is_object()) options.base_properties = nlohmann::json::object();
  }
  // One mutex serialises enrichment and delivery, so sequence order is delivery order.
  mutable std::mutex mutex;
  ClientOptions options;
  Clock* clock;
  std::uint64_t next_sequence;
  std::uint64_t refused = 0;
  bool closed = false;
};

EnrichingClient::EnrichingClient(ClientOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

EnrichingClient::~EnrichingClient() = default;

void EnrichingClient::track(std::string_view event, nlohmann::json properties) {
  std::lock_guard lock(state_->mutex);
  if (state_->closed) {
    ++state_->refused;
    return;
  }
  const ClientOptions& options = state_->options;
  Event enriched;
  enriched.type = EventType::track;
  enriched.name = std::string(event);
  enriched.properties = properties.is_object() ? std::move(properties) : nlohmann::json::object();
  // Base properties and the sequence go in last: a call site can never override them.
  for (const auto& [key, value] : options.base_properties.items()) enriched.properties[key] = value;
  if (!options.sequence_property.empty()) {
    enriched.properties[options.sequence_property] = state_->next_sequence++;
  }
  enriched.timestamp = format_timestamp(state_->clock->wall_now());
  enriched.anonymous_id = options.anonymous_id;
  enriched.user_id = options.user_id;
  enriched.message_id = random_uuid();
  deliver(std::move(enriched));
}

void EnrichingClient::identify(std::string_view user_id, nlohmann::json traits) {
  std::lock_guard lock(state_->mutex);
  if (state_->closed) {
    ++state_->refused;
    return;
  }
  state_->options.user_id = std::string(user_id);
  Event enriched;
  enriched.type = EventType::identify;
  enriched.properties = traits.is_object() ? std::move(traits) : nlohmann::json::object();
  enriched.timestamp = format_timestamp(state_->clock->wall_now());
  enriched.anonymous_id = state_->options.anonymous_id;
  enriched.user_id = state_->options.user_id;
  enriched.message_id = random_uuid();
  deliver(std::move(enriched));
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

void EnrichingClient::mark_closed() {
  std::lock_guard lock(state_->mutex);
  state_->closed = true;
}

}  // namespace flowproof::harness
