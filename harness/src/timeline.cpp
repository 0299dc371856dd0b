// format_timeline: the recorded events as one readable line each.
#include <flowproof/harness/timeline.hpp>

namespace flowproof::harness {

std::string format_timeline(const std::vector<Event>& events, const TimelineOptions& options) {
  if (events.empty()) return options.indent + "(no events recorded)\n";
  std::string out;
  std::size_t position = 0;
  for (const Event& event : events) {
    ++position;
    out += options.indent;
    const nlohmann::json& properties = event.properties;
    const bool has_properties = properties.is_object();
    auto sequence = has_properties ? properties.find(options.sequence_property) : properties.end();
    if (has_properties && sequence != properties.end() && !options.sequence_property.empty()) {
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "#" + std::string.
      out += '#';
      out += sequence->is_string() ? sequence->get<std::string>() : sequence->dump();
    } else {
      out += '@';
      out += std::to_string(position);
    }
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
      out += value->is_string() ? value->get<std::string>() : value->dump();
    }
    out += '\n';
  }
  return out;
}

}  // namespace flowproof::harness
