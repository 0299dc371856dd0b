// normalize.hpp (internal) — one view over the event shapes the checker reads (Segment track,
// Amplitude event), JSON pointers evaluated against the normalised Segment shape, timestamps and
// canonical values.
//
//   EventView view;
//   if (make_event_view(object, view) == ViewResult::event) {
//     CompiledPointer key("/properties/invocation_id");
//     simdjson::dom::element value;
//     if (key.resolve(view, value)) { ... }
//   }
#pragma once

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowproof::conformance::detail {

/// Which producer's shape an event object has.
enum class Shape { segment, amplitude };

/// An event object seen through the normalised Segment shape; views point into the parsed document.
struct EventView {
  simdjson::dom::element root;  ///< the event object
  Shape shape = Shape::segment;
  std::string_view name;
  simdjson::dom::element properties;  ///< valid only when has_properties
  bool has_properties = false;
  simdjson::dom::element timestamp;  ///< `timestamp` (Amplitude: `time`); valid when has_timestamp
  bool has_timestamp = false;
};

/// What one JSON object of a stream is.
enum class ViewResult {
  event,          ///< a track call or an Amplitude event: `view` is filled
  skipped,        ///< another Segment call type (identify, page, ...)
  no_name,        ///< an event whose name is missing, not a string or empty
  bad_type,       ///< a Segment call whose `type` is not a string
  bad_properties  ///< `properties` / `event_properties` present but not an object (null included)
};

/// The top-level members an event object is classified by, found in one pass over it (the first
/// of each name, as a look-up by name finds): the reader looks for a batch with the same pass.
struct TopMembers {
  enum : unsigned {
    kEventType,
    kEventProperties,
    kType,
    kEvent,
    kProperties,
    kBatch,
    kEvents,
    kTimestamp,
    kTime,
    kCount
  };
  simdjson::dom::element found[kCount];  ///< valid where has()
  unsigned seen = 0;
  bool has(unsigned i) const { return (seen & (1u << i)) != 0; }
};
void find_top_members(simdjson::dom::object object, TopMembers& out);

/// Classifies a single event object (not a batch or upload) and fills the view.
ViewResult make_event_view(simdjson::dom::element object, EventView& view);
/// The same with its top-level members already found.
ViewResult make_event_view(simdjson::dom::element object, const TopMembers& members,
                           EventView& view);

/// A JSON pointer into the normalised event, split once so that resolving it allocates nothing.
class CompiledPointer {
 public:
  CompiledPointer() = default;
  explicit CompiledPointer(std::string_view pointer);
  /// Finds the value; false when absent.
  bool resolve(const EventView& event, simdjson::dom::element& out) const;
  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }
  /// The member of `properties` it names when it is one plain token below it ("/properties/x"),
  /// else null: a caller that walks `properties` anyway can pick the value up on the way.
  const std::string* property_key() const {
    return in_properties_ && single_ ? &single_key_ : nullptr;
  }

 private:
  std::string text_;
  std::string first_;            ///< first token, unescaped
  std::string amplitude_first_;  ///< the same member in Amplitude's naming
  std::string rest_;             ///< the remaining pointer ("" or "/a/b")
  std::string single_key_;       ///< rest_ as one member name, when it is one plain token
  bool whole_ = true;
  bool in_properties_ = false;  ///< below `properties`: start from EventView::properties
  bool timestamp_ = false;      ///< exactly `/timestamp`: EventView::timestamp
  bool single_ = false;
};

/// Parses an ISO-8601 date-time with `Z` or an offset ("2026-06-10T11:27:00.001Z",
/// "...+02:00") to epoch milliseconds; nullopt when it is not one.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

/// Timestamps of one stream, read with the date and hour of the last one remembered: events
/// arrive in time order, so most timestamps share "YYYY-MM-DDTHH" with the one before. Gives
/// exactly what parse_iso8601_ms() gives.
class TimestampReader {
 public:
  std::optional<std::int64_t> parse(std::string_view text);
  /// A timestamp value (ISO-8601 string or integer epoch milliseconds) in epoch milliseconds.
  std::optional<std::int64_t> read(simdjson::dom::element value);

 private:
  static constexpr std::size_t kHourPrefix = 13;  ///< the size of "YYYY-MM-DDTHH"
  char hour_text_[kHourPrefix] = {};              ///< that prefix of the last valid timestamp
  std::int64_t hour_start_ = 0;
  bool has_hour_ = false;
};

/// The shortest text that reads back as the same double: 0.1, 1e+300.
std::string shortest_text(double value);

/// An integer, accepting integer-valued floats such as 120.0; nullopt for anything else.
std::optional<std::int64_t> integer_value(simdjson::dom::element value);
/// Whether a number is integer-valued but outside int64 (18446744073709551615, 1e20): an integer,
/// so a message says "out of range" rather than "not an integer".
bool integer_out_of_range(simdjson::dom::element value);

/// Appends the canonical JSON of a value (minified, integer-valued numbers as integers, object
/// keys sorted) so that equal JSON values compare equal as text.
void append_canonical(simdjson::dom::element value, std::string& out);
/// The canonical JSON of an nlohmann value, comparable with append_canonical's output.
std::string canonical(const nlohmann::json& value);

/// Appends `text` as a JSON string literal (quotes included).
void append_json_string(std::string_view text, std::string& out);

}  // namespace flowproof::conformance::detail
