// normalize.cpp — event views over Segment and Amplitude shapes, pointers, timestamps, canonical
// values (see normalize.hpp).
#include "normalize.hpp"

#include "json_pointer.hpp"
#include "memo.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace flowproof::conformance::detail {
namespace {

std::string_view amplitude_name(std::string_view segment_name) {
  if (segment_name == "event") return "event_type";
  if (segment_name == "properties") return "event_properties";
  if (segment_name == "timestamp") return "time";
  if (segment_name == "userId") return "user_id";
  if (segment_name == "anonymousId") return "device_id";
  if (segment_name == "messageId") return "insert_id";
  return segment_name;
}

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void append_number(double value, std::string& out) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 9.2e18) {
    out += std::to_string(static_cast<std::int64_t>(value));
    return;
  }
  // The shortest text that reads back as the same double (0.1, not %.17g's
  // 0.10000000000000001), so a number and the string a producer wrote for it agree.
  out += shortest_text(value);
}

}  // namespace

std::string shortest_text(double value) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

void find_top_members(simdjson::dom::object object, TopMembers& out) {
  using M = TopMembers;
  static constexpr std::string_view kNames[M::kCount] = {"event_type", "event_properties", "type",
                                                         "event",      "properties",       "batch",
                                                         "events",     "timestamp",        "time"};
  out.seen = 0;
  for (auto field : object) {
    const std::string_view key = field.key;
    unsigned i = M::kCount;
    switch (key.size()) {  // the names differ in size, but for three pairs
      case 4:
        i = key[1] == 'y' ? M::kType : M::kTime;
        break;
      case 5:
        i = key[0] == 'e' ? M::kEvent : M::kBatch;
        break;
      case 6:
        i = M::kEvents;
        break;
      case 10:
        i = key[0] == 'e' ? M::kEventType : M::kProperties;
        break;
      case 9:
        i = M::kTimestamp;
        break;
      case 16:
        i = M::kEventProperties;
        break;
      default:
        continue;
    }
    if (!out.has(i) && same_bytes(key.data(), kNames[i].data(), key.size())) {
      out.found[i] = field.value;
      out.seen |= 1u << i;
    }
  }
}

ViewResult make_event_view(simdjson::dom::element element, EventView& view) {
  TopMembers members;
  find_top_members(element.get_object().value_unsafe(), members);
  return make_event_view(element, members, view);
}

ViewResult make_event_view(simdjson::dom::element element, const TopMembers& members,
                           EventView& view) {
  using M = TopMembers;
  view.root = element;
  view.has_properties = false;
  const simdjson::dom::element* found = members.found;
  auto has = [&](unsigned i) { return members.has(i); };
  simdjson::dom::element name;
  simdjson::dom::element properties;
  const unsigned timestamp = has(M::kEventType) ? M::kTime : M::kTimestamp;
  view.has_timestamp = has(timestamp);
  if (view.has_timestamp) view.timestamp = found[timestamp];
  if (has(M::kEventType)) {
    name = found[M::kEventType];
    view.shape = Shape::amplitude;
    if (has(M::kEventProperties)) {
      properties = found[M::kEventProperties];
      view.has_properties = true;
    }
  } else {
    view.shape = Shape::segment;
    if (has(M::kType)) {
      std::string_view type;
      if (found[M::kType].get(type) != simdjson::SUCCESS) return ViewResult::bad_type;
      if (type != "track") return ViewResult::skipped;
    }
    if (!has(M::kEvent)) return ViewResult::no_name;
    name = found[M::kEvent];
    if (has(M::kProperties)) {
      properties = found[M::kProperties];
      view.has_properties = true;
    }
  }
  std::string_view name_text;
  if (name.get(name_text) != simdjson::SUCCESS || name_text.empty()) return ViewResult::no_name;
  view.name = name_text;
  if (view.has_properties) {
    if (!properties.is_object()) return ViewResult::bad_properties;
    view.properties = properties;
  }
  return ViewResult::event;
}

CompiledPointer::CompiledPointer(std::string_view pointer) : text_(pointer) {
  if (pointer.empty()) return;
  whole_ = false;
  std::string_view rest = pointer.substr(1);
  std::size_t slash = rest.find('/');
  first_ = json_pointer::unescape_token(rest.substr(0, slash));
  rest_ = slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash));
  amplitude_first_ = std::string(amplitude_name(first_));
  in_properties_ = first_ == "properties" && !rest_.empty();
  timestamp_ = first_ == "timestamp" && rest_.empty();
  if (!rest_.empty() && rest_.find('/', 1) == std::string::npos &&
      rest_.find('~') == std::string::npos) {
    single_key_ = rest_.substr(1);
    single_ = true;
  }
}

bool CompiledPointer::resolve(const EventView& event, simdjson::dom::element& out) const {
  if (whole_) {
    out = event.root;
    return true;
  }
  if (timestamp_) {  // found with the view's other top-level members
    out = event.timestamp;
    return event.has_timestamp;
  }
  simdjson::dom::element value;
  if (in_properties_) {
    // The view found `properties` (or Amplitude's `event_properties`) already; when it is absent
    // or null, nothing below it resolves.
    if (!event.has_properties) return false;
    value = event.properties;
  } else {
    const std::string& member = event.shape == Shape::amplitude ? amplitude_first_ : first_;
    if (event.root.get_object().value_unsafe()[member].get(value) != simdjson::SUCCESS) {
      return false;
    }
    if (rest_.empty()) {
      out = value;
      return true;
    }
  }
  if (single_ && value.is_object()) {
    // One plain token: the member itself (what at_pointer does, without parsing the pointer).
    return value.get_object().value_unsafe().at_key(single_key_).get(out) == simdjson::SUCCESS;
  }
  return value.at_pointer(rest_).get(out) == simdjson::SUCCESS;
}

namespace {

// "YYYY-MM-DDTHH" (TimestampReader::kHourPrefix bytes) in epoch seconds; nullopt when not one.
std::optional<std::int64_t> hour_seconds(std::string_view t) {
  int year, month, day, hour;
  if (!digits(t, 0, 4, year) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, month) ||
      t[7] != '-' || !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't') ||
      !digits(t, 11, 2, hour)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return std::nullopt;
  std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600;
}

// The rest (":MM:SS", a fraction, the zone) on top of hour_seconds(); t.size() >= 19.
std::optional<std::int64_t> finish_timestamp(std::string_view t, std::int64_t hour_start) {
  int minute, second;
  if (t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' || !digits(t, 17, 2, second) ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
    ++pos;
    int count = 0;
    std::int64_t fraction = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (count < 3) fraction = fraction * 10 + (t[pos] - '0');
      ++count;
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 3; ++i) fraction *= 10;
    millis = fraction;
  }
  if (pos >= t.size()) return std::nullopt;  // a zone is required
  std::int64_t offset_minutes = 0;
  if (t[pos] == 'Z' || t[pos] == 'z') {
    ++pos;
  } else if (t[pos] == '+' || t[pos] == '-') {
    int sign = t[pos] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(t, pos + 1, 2, oh)) return std::nullopt;
    pos += 3;
    if (pos < t.size() && t[pos] == ':') ++pos;
    if (!digits(t, pos, 2, om)) return std::nullopt;
    pos += 2;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  std::int64_t seconds = hour_start + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view t) {
  std::optional<std::int64_t> hour_start = hour_seconds(t);
  if (!hour_start) return std::nullopt;
  return finish_timestamp(t, *hour_start);
}

std::optional<std::int64_t> TimestampReader::parse(std::string_view t) {
  if (t.size() >= 19 && has_hour_ && std::memcmp(t.data(), hour_text_, sizeof hour_text_) == 0) {
    return finish_timestamp(t, hour_start_);
  }
  std::optional<std::int64_t> hour_start = hour_seconds(t);
  if (!hour_start) return std::nullopt;
  std::memcpy(hour_text_, t.data(), sizeof hour_text_);
  hour_start_ = *hour_start;
  has_hour_ = true;
  return finish_timestamp(t, *hour_start);
}

std::optional<std::int64_t> TimestampReader::read(simdjson::dom::element value) {
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return parse(text);
  return integer_value(value);
}

std::optional<std::int64_t> integer_value(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::INT64:
      return value.get_int64().value_unsafe();
    case simdjson::dom::element_type::UINT64: {
      std::uint64_t u = value.get_uint64().value_unsafe();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<std::int64_t>(u);
    }
    case simdjson::dom::element_type::DOUBLE: {
      double d = value.get_double().value_unsafe();
      if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) >= 9.2e18) return std::nullopt;
      return static_cast<std::int64_t>(d);
    }
    default:
      return std::nullopt;
  }
}

bool integer_out_of_range(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::UINT64:
      return value.get_uint64().value_unsafe() > static_cast<std::uint64_t>(INT64_MAX);
    case simdjson::dom::element_type::DOUBLE: {
      const double d = value.get_double().value_unsafe();
      return std::isfinite(d) && std::floor(d) == d && std::fabs(d) >= 9.2e18;
    }
    default:
      return false;
  }
}

void append_json_string(std::string_view text, std::string& out) {
  out.push_back('"');
  std::size_t plain = 0;  // where the run of bytes that need no escape began
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    if (u == '"' || u == '\\') {
      out.push_back('\\');
      out.push_back(text[i]);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
      out += buffer;
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

void append_canonical(simdjson::dom::element value, std::string& out) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::STRING:
      append_json_string(value.get_string().value_unsafe(), out);
      return;
    case element_type::INT64:
      out += std::to_string(value.get_int64().value_unsafe());
      return;
    case element_type::UINT64:
      out += std::to_string(value.get_uint64().value_unsafe());
      return;
    case element_type::DOUBLE:
      append_number(value.get_double().value_unsafe(), out);
      return;
    case element_type::BOOL:
      out += value.get_bool().value_unsafe() ? "true" : "false";
      return;
    case element_type::NULL_VALUE:
      out += "null";
      return;
    case element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      for (simdjson::dom::element item : simdjson::dom::array(value.get_array().value_unsafe())) {
        if (!first) out.push_back(',');
        first = false;
        append_canonical(item, out);
      }
      out.push_back(']');
      return;
    }
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
      for (auto field : simdjson::dom::object(value.get_object().value_unsafe()))
        members.emplace_back(field.key, field.value);
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : members) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(key, out);
        out.push_back(':');
        append_canonical(item, out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string canonical(const nlohmann::json& value) {
  std::string out;
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      append_json_string(value.get_ref<const std::string&>(), out);
      break;
    case nlohmann::json::value_t::number_integer:
      out = std::to_string(value.get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out = std::to_string(value.get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::number_float:
      append_number(value.get<double>(), out);
      break;
    case nlohmann::json::value_t::boolean:
      out = value.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value) {
        if (!first) out.push_back(',');
        first = false;
        out += canonical(item);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {  // nlohmann keeps keys sorted
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(key, out);
        out.push_back(':');
        out += canonical(item);
      }
      out.push_back('}');
      break;
    }
    default:
      out = "null";
      break;
  }
  return out;
}

}  // namespace flowproof::conformance::detail
