// Segment-shaped JSON for harness::Event: writing, reading and JSON Lines.
#include <flowproof/harness/event.hpp>

#include <ostream>
#include <stdexcept>
#include <string>

namespace flowproof::harness {
namespace {

// JSON text for people to read: never throws for a string that is not valid UTF-8 (its bad bytes
// become U+FFFD), because a failure message must not turn into an exception of its own.
std::string display_dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void put_if_not_empty(nlohmann::json& json, const char* key, const std::string& value) {
  if (!value.empty()) json[key] = value;
}

std::string read_string(const nlohmann::json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return {};
  if (!it->is_string()) throw std::invalid_argument(std::string(key) + ": not a string");
  return it->get<std::string>();
}

nlohmann::json read_object(const nlohmann::json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return nlohmann::json::object();
  if (!it->is_object()) throw std::invalid_argument(std::string(key) + ": not an object");
  return *it;
}

}  // namespace

nlohmann::json to_json(const Event& event) {
  nlohmann::json json = nlohmann::json::object();
  if (event.type == EventType::track) {
    json["type"] = "track";
    json["event"] = event.name;
    json["properties"] = event.properties.is_null() ? nlohmann::json::object() : event.properties;
  } else {
    json["type"] = "identify";
    put_if_not_empty(json, "event", event.name);
    json["traits"] = event.properties.is_null() ? nlohmann::json::object() : event.properties;
  }
  put_if_not_empty(json, "timestamp", event.timestamp);
  put_if_not_empty(json, "anonymousId", event.anonymous_id);
  put_if_not_empty(json, "userId", event.user_id);
  put_if_not_empty(json, "messageId", event.message_id);
  if (!event.context.is_null() && !event.context.empty()) json["context"] = event.context;
  return json;
}

std::string to_json_line(const Event& event) { return to_json(event).dump(); }

Event event_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("event: not a JSON object");
  Event event;
  std::string type = read_string(json, "type");
  if (type.empty() || type == "track") {
    event.type = EventType::track;
    auto name = json.find("event");
    if (name == json.end() || !name->is_string() || name->get<std::string>().empty()) {
      throw std::invalid_argument("event: missing or not a non-empty string");
    }
    event.name = name->get<std::string>();
    event.properties = read_object(json, "properties");
  } else if (type == "identify") {
    event.type = EventType::identify;
    event.name = read_string(json, "event");
    // Segment puts identify traits under "traits"; accept "properties" from looser producers.
    event.properties =
        json.contains("traits") ? read_object(json, "traits") : read_object(json, "properties");
  } else {
    throw std::invalid_argument("type: unsupported call type \"" + type + "\"");
  }
  event.timestamp = read_string(json, "timestamp");
  event.anonymous_id = read_string(json, "anonymousId");
  event.user_id = read_string(json, "userId");
  event.message_id = read_string(json, "messageId");
  event.context = read_object(json, "context");
  return event;
}

std::string to_json_lines(const std::vector<Event>& events) {
  std::string out;
  for (const Event& event : events) {
    out += to_json_line(event);
    out += '\n';
  }
  return out;
}

std::ostream& operator<<(std::ostream& os, const Event& event) {
  return os << display_dump(to_json(event));
}

const char* json_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::binary:
      return "binary data";
    default:
      return "a number";
  }
}

void PrintTo(const Event& event, std::ostream* os) {
  if (event.type == EventType::identify) {
    *os << "identify";
    if (!event.user_id.empty()) *os << " \"" << event.user_id << "\"";
  } else {
    *os << "\"" << event.name << "\"";
  }
  if (!event.properties.empty()) *os << " " << display_dump(event.properties);
}

}  // namespace flowproof::harness
