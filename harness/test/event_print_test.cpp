// How GoogleTest prints an Event in a test that includes only event.hpp (no matchers.hpp): the
// PrintTo that event.hpp declares, so every translation unit prints events alike.
#include <flowproof/harness/event.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>

namespace flowproof::harness {
namespace {

// PrintTo must be visible from event.hpp alone: were it declared only in matchers.hpp, this file
// and a file including matchers.hpp would print events differently, depending on link order.
template <class T>
concept PrintableByPrintTo = requires(const T& value, std::ostream* os) {
  PrintTo(value, os);
};
static_assert(PrintableByPrintTo<Event>, "event.hpp must declare PrintTo(const Event&, ostream*)");

TEST(EventPrintTo, PrintsNameAndPropertiesWithoutIdsOrTimestamp) {
  Event event{.name = "Create Started", .properties = {{"plan", "free"}}};
  event.message_id = "m-1";
  event.timestamp = "2026-06-10T11:27:00.001Z";
  EXPECT_EQ(::testing::PrintToString(event), "\"Create Started\" {\"plan\":\"free\"}");
  Event identify{.type = EventType::identify, .properties = {{"plan", "free"}}};
  identify.user_id = "alice";
  EXPECT_EQ(::testing::PrintToString(identify), "identify \"alice\" {\"plan\":\"free\"}");
  // Inside containers too (one instantiation of GoogleTest's printer, the same in every file).
  EXPECT_EQ(::testing::PrintToString(std::make_pair(event, 7)),
            "(\"Create Started\" {\"plan\":\"free\"}, 7)");
}

TEST(EventPrintTo, InvalidUtf8PrintsAsReplacementCharacterInsteadOfThrowing) {
  const Event event{.name = "X", .properties = {{"app_name", "caf\xe9"}}};
  std::string printed;
  EXPECT_NO_THROW(printed = ::testing::PrintToString(event));
  EXPECT_EQ(printed, "\"X\" {\"app_name\":\"caf\xef\xbf\xbd\"}");
  std::ostringstream line;
  EXPECT_NO_THROW(line << event);  // operator<< is for display too
  EXPECT_NE(line.str().find("caf\xef\xbf\xbd"), std::string::npos);
  // Writing JSON for a checker is not display: it refuses what JSON cannot carry.
  EXPECT_THROW((void)to_json_line(event), nlohmann::json::type_error);
}

}  // namespace
}  // namespace flowproof::harness
