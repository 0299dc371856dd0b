// format_timeline: the recorded events as one readable line each.
#include <flowproof/harness/timeline.hpp>

namespace flowproof::harness {
namespace {

// A property value as text: strings as they are, anything else as JSON in which bytes that are not
// valid UTF-8 become U+FFFD (a timeline is for reading and must never throw).
std::string show(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string timeline_label(const std::vector<Event>& events, std::size_t index,
                           const TimelineOptions& options) {
  std::string out;
  const nlohmann::json& properties = events.at(index).properties;
  const bool has_properties = properties.is_object() && !options.sequence_property.empty();
  auto sequence = has_properties ? properties.find(options.sequence_property) : properties.end();
  if (has_properties && sequence != properties.end()) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "#" + std::string.
    out += '#';
    out += show(*sequence);
  } else {
    out += '@';
    out += std::to_string(index + 1);
  }
  return out;
}

std::string format_timeline(const std::vector<Event>& events, const TimelineOptions& options) {
  if (events.empty()) return options.indent + "(no events recorded)\n";
  std::string out;
  for (std::size_t index = 0; index < events.size(); ++index) {
    const Event& event = events[index];
    out += options.indent;
    out += timeline_label(events, index, options);
    const nlohmann::json& properties = event.properties;
    const bool has_properties = properties.is_object();
    out += ' ';
    if (event.type == EventType::identify) {
      out += "identify ";
      out += event.user_id;
    } else {
      out += event.name;
    }
    bool first = true;
    for (const std::string& key : options.keys) {
      if (!has_properties) break;
      auto value = properties.find(key);
      if (value == properties.end()) continue;
      out += first ? "  " : " ";
      first = false;
      out += key;
      out += '=';
      out += show(*value);
    }
    out += '\n';
  }
  return out;
}

}  // namespace flowproof::harness
