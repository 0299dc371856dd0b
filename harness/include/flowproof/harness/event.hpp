// flowproof/harness/event.hpp — the event model every part of flowproof shares.
//
// An Event is one analytics call as a product sends it. It round-trips to the Segment track shape
// in JSON, so anything a test records can be fed to the conformance checker byte for byte:
//
//   Event e{.name = "CLI Application Create Started", .properties = {{"plan", "free"}}};
//   std::string line = to_json_line(e);   // {"type":"track","event":...,"properties":{...},...}
//   Event back = event_from_json(nlohmann::json::parse(line));
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::harness {

/// The kind of call an event records (Segment's `type`).
enum class EventType { track, identify };

/// One analytics call. `properties` holds the event properties (for identify: the traits).
struct Event {
  EventType type = EventType::track;
  std::string name{};  ///< Segment `event`; empty for identify
  nlohmann::json properties = nlohmann::json::object();
  std::string timestamp{};     ///< ISO-8601 UTC with milliseconds, e.g. 2026-06-10T11:27:00.001Z
  std::string anonymous_id{};  ///< Segment `anonymousId`, omitted from JSON when empty
  std::string user_id{};       ///< Segment `userId`, omitted from JSON when empty
  std::string message_id{};    ///< Segment `messageId`, omitted from JSON when empty
  nlohmann::json context = nlohmann::json::object();  ///< omitted from JSON when empty

  friend bool operator==(const Event&, const Event&) = default;
};

/// Segment-shaped JSON of an event (`type`, `event`, `properties`, `timestamp`, ids, `context`).
nlohmann::json to_json(const Event& event);
/// One line of JSON Lines (no trailing newline). Throws nlohmann::json::type_error (316) when a
/// string in the event is not valid UTF-8: JSON cannot carry it (RecordingClient::write_json_lines
/// turns that into a std::runtime_error naming the file and the event).
std::string to_json_line(const Event& event);
/// Reads a Segment-shaped track or identify object; throws std::invalid_argument naming the member.
Event event_from_json(const nlohmann::json& json);
/// Writes events as JSON Lines, one per line, each ending in '\n'. Throws as to_json_line does.
std::string to_json_lines(const std::vector<Event>& events);
/// Prints the event as its JSON line, for display: bytes that are not valid UTF-8 print as U+FFFD
/// instead of throwing.
std::ostream& operator<<(std::ostream& os, const Event& event);
/// How GoogleTest prints an Event (a matcher's "Actual:", EXPECT_EQ, a container of events): the
/// name and the properties, `"Create Aborted" {"reason":"declined_terms","step":"terms"}` (an
/// identify call as `identify "USER" {traits}`), without the message id and timestamp that differ
/// on every run; invalid UTF-8 prints as U+FFFD. Declared here, beside Event, so that every
/// translation unit prints events alike (GoogleTest finds it by argument-dependent lookup).
void PrintTo(const Event& event, std::ostream* os);

/// What a JSON value is, for messages: "null", "a boolean", "a number", "a string", "an array",
/// "an object" (the matchers' "which is not a JSON number (it is a string)").
const char* json_kind(const nlohmann::json& value);

}  // namespace flowproof::harness
