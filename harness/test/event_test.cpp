// Tests for the event model's Segment-shaped JSON: round trips, omitted empties, errors.
#include <flowproof/harness/clock.hpp>
#include <flowproof/harness/event.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <type_traits>

namespace flowproof::harness {
namespace {

Event full_track() {
  Event event;
  event.name = "CLI Application Create Completed";
  event.properties = {{"region", "us"}, {"duration_ms", 2200}, {"flags", nullptr}};
  event.timestamp = "2026-06-10T11:27:02.206Z";
  event.anonymous_id = "a3f1c0de9b";
  event.user_id = "user-1";
  event.message_id = "364d2b66-0c8b-401f-b22f-4004c813ff1f";
  event.context = {{"library", {{"name", "flowproof"}}}};
  return event;
}

TEST(EventJson, TrackHasSegmentShape) {
  const nlohmann::json json = to_json(full_track());
  EXPECT_EQ(json["type"], "track");
  EXPECT_EQ(json["event"], "CLI Application Create Completed");
  EXPECT_EQ(json["properties"]["duration_ms"], 2200);
  EXPECT_EQ(json["timestamp"], "2026-06-10T11:27:02.206Z");
  EXPECT_EQ(json["anonymousId"], "a3f1c0de9b");
  EXPECT_EQ(json["userId"], "user-1");
  EXPECT_EQ(json["messageId"], "364d2b66-0c8b-401f-b22f-4004c813ff1f");
  EXPECT_EQ(json["context"]["library"]["name"], "flowproof");
}

TEST(EventJson, EveryMemberRoundTrips) {
  const Event track = full_track();
  EXPECT_EQ(event_from_json(to_json(track)), track);
  EXPECT_EQ(event_from_json(nlohmann::json::parse(to_json_line(track))), track);

  Event identify;
  identify.type = EventType::identify;
  identify.properties = {{"email", "alice@example.com"}};
  identify.user_id = "user-1";
  identify.timestamp = "2026-06-10T11:27:00.000Z";
  identify.message_id = "m";
  EXPECT_EQ(event_from_json(to_json(identify)), identify);
  EXPECT_EQ(to_json(identify)["traits"]["email"], "alice@example.com");
  EXPECT_FALSE(to_json(identify).contains("properties"));
}

TEST(EventJson, EmptyMembersAreOmitted) {
  Event event;
  event.name = "Command Invoked";
  const nlohmann::json json = to_json(event);
  EXPECT_EQ(json, (nlohmann::json{{"type", "track"},
                                  {"event", "Command Invoked"},
                                  {"properties", nlohmann::json::object()}}));
  EXPECT_TRUE(json["properties"].is_object());
  EXPECT_EQ(event_from_json(json), event);
}

TEST(EventJson, ReadsLooseInput) {
  const Event event = event_from_json(nlohmann::json::parse(R"({"event":"X","userId":null})"));
  EXPECT_EQ(event.type, EventType::track);
  EXPECT_EQ(event.name, "X");
  EXPECT_TRUE(event.properties.is_object());
  EXPECT_TRUE(event.user_id.empty());
}

TEST(EventJson, ErrorsNameTheMember) {
  auto message_of = [](const char* text) {
    try {
      event_from_json(nlohmann::json::parse(text));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of(R"({"type":"track"})").rfind("event", 0), 0u);
  EXPECT_EQ(message_of(R"({"event":"X","properties":[1]})").rfind("properties", 0), 0u);
  EXPECT_EQ(message_of(R"({"event":"X","timestamp":5})").rfind("timestamp", 0), 0u);
  EXPECT_EQ(message_of(R"({"event":"X","messageId":{}})").rfind("messageId", 0), 0u);
  EXPECT_EQ(message_of(R"({"type":"page","event":"X"})").rfind("type", 0), 0u);
  EXPECT_EQ(message_of(R"([1])").rfind("event", 0), 0u);
}

TEST(EventJson, JsonLinesEndEachLine) {
  Event a;
  a.name = "A";
  Event b;
  b.name = "B";
  EXPECT_EQ(to_json_lines({a, b}),
            "{\"event\":\"A\",\"properties\":{},\"type\":\"track\"}\n"
            "{\"event\":\"B\",\"properties\":{},\"type\":\"track\"}\n");
  EXPECT_EQ(to_json_lines({}), "");
}

TEST(Timestamp, IsoUtcWithMilliseconds) {
  using namespace std::chrono;
  EXPECT_EQ(format_timestamp(system_clock::time_point(milliseconds(1781090820001))),
            "2026-06-10T11:27:00.001Z");
  EXPECT_EQ(format_timestamp(system_clock::time_point(milliseconds(0))),
            "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(system_clock::time_point(milliseconds(-1))),
            "1969-12-31T23:59:59.999Z");
}

TEST(Timestamp, CalendarEdgesAndTheClocksRange) {
  using namespace std::chrono;
  const auto at = [](sys_days day, milliseconds in_day) {
    return format_timestamp(system_clock::time_point(day + in_day));
  };
  EXPECT_EQ(at(2024y / February / 29, 86'399'999ms), "2024-02-29T23:59:59.999Z");  // leap day
  EXPECT_EQ(at(2026y / December / 31, 45'296'007ms), "2026-12-31T12:34:56.007Z");
  EXPECT_EQ(at(1900y / March / 1, 0ms), "1900-03-01T00:00:00.000Z");
  EXPECT_EQ(at(2100y / March / 1, 1ms), "2100-03-01T00:00:00.001Z");
  // libstdc++'s system_clock counts int64 nanoseconds: years 1677 to 2262 are all it can hold.
  if constexpr (std::is_same_v<system_clock::duration, nanoseconds>) {
    EXPECT_EQ(format_timestamp(system_clock::time_point::max()), "2262-04-11T23:47:16.854Z");
    EXPECT_EQ(format_timestamp(system_clock::time_point::min()), "1677-09-21T00:12:43.146Z");
  }
}

TEST(Timestamp, SystemClockMovesForward) {
  Clock& clock = system_clock();
  const auto first = clock.steady_now();
  EXPECT_GE(clock.steady_now(), first);
  EXPECT_EQ(format_timestamp(clock.wall_now()).size(), 24u);
}

}  // namespace
}  // namespace flowproof::harness
