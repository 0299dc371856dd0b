// flowproof/harness/matchers.hpp — GoogleMock matchers over recorded events (header-only; the
// consumer's test target links GoogleMock, flowproof::harness never does).
//
//   using namespace flowproof::harness;
//   auto events = client.events();
//   EXPECT_THAT(events, ContainsEvent("Command Invoked"));
//   EXPECT_THAT(events, HasExactlyOneTerminal(create_flow));
//   EXPECT_THAT(events, EndedWith(create_flow, TerminalKind::aborted, "declined_terms"));
//   EXPECT_THAT(events, TerminalOf(create_flow, HasProperty("plan", "free")));
//   EXPECT_THAT(events[0], AllOf(IsEvent("Command Invoked"), HasProperty("sequence", 1)));
//   EXPECT_THAT(events[2], HasProperty("error_class", JsonString(testing::StartsWith("api::"))));
//
// Every matcher over a recording prints the recorded timeline (format_timeline) when it fails, and
// when it matches inside a failing Not(...), so the failure shows what the product actually
// emitted. GoogleTest prints an Event by its name and properties (PrintTo, declared in event.hpp),
// not its whole JSON. docs/harness.md has the reference table.
#pragma once

#include <flowproof/harness/event.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/timeline.hpp>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace flowproof::harness {
namespace matchers_detail {

using Events = std::vector<Event>;

// A JSON value as failure messages show it: bytes that are not valid UTF-8 become U+FFFD rather
// than an exception that would replace the message with "C++ exception thrown in the test body".
inline std::string show(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline void print_timeline(const Events& events, std::ostream* os) {
  *os << "\nrecorded timeline:\n" << format_timeline(events);
}

// Printed only where GoogleTest shows the explanation: a failure, or a match inside Not(...).
inline void print_timeline(const Events& events, testing::MatchResultListener* listener) {
  if (listener->stream() != nullptr) print_timeline(events, listener->stream());
}

inline bool is_terminal_of(const FlowDefinition& flow, const Event& event) {
  if (event.type != EventType::track) return false;
  return (!flow.completed.empty() && event.name == flow.completed) ||
         (!flow.aborted.empty() && event.name == flow.aborted) ||
         (!flow.failed.empty() && event.name == flow.failed);
}

inline std::vector<std::size_t> terminals_of(const FlowDefinition& flow, const Events& events) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (is_terminal_of(flow, events[i])) found.push_back(i);
  }
  return found;
}

inline const char* kind_name(TerminalKind kind) {
  switch (kind) {
    case TerminalKind::completed:
      return "completed";
    case TerminalKind::aborted:
      return "aborted";
    case TerminalKind::failed:
      return "failed";
    case TerminalKind::none:
      break;
  }
  return "none";
}

inline std::string event_for(const FlowDefinition& flow, TerminalKind kind) {
  switch (kind) {
    case TerminalKind::completed:
      return flow.completed;
    case TerminalKind::aborted:
      return flow.aborted;
    case TerminalKind::failed:
      return flow.failed;
    case TerminalKind::none:
      break;
  }
  return {};
}

class IsEventMatcher : public testing::MatcherInterface<const Event&> {
 public:
  explicit IsEventMatcher(testing::Matcher<const std::string&> name) : name_(std::move(name)) {}
  bool MatchAndExplain(const Event& event, testing::MatchResultListener* listener) const override {
    testing::StringMatchResultListener inner;
    if (name_.MatchAndExplain(event.name, &inner)) {
      *listener << "whose name is \"" << event.name << "\"";
      return true;
    }
    *listener << "whose name \"" << event.name << "\" doesn't match" << print_inner(inner);
    print_timeline({event}, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is an event whose name ";
    name_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is an event whose name ";
    name_.DescribeNegationTo(os);
  }

 private:
  static std::string print_inner(const testing::StringMatchResultListener& inner) {
    return inner.str().empty() ? std::string() : " (" + inner.str() + ")";
  }
  testing::Matcher<const std::string&> name_;
};

class HasPropertyMatcher : public testing::MatcherInterface<const Event&> {
 public:
  HasPropertyMatcher(std::string key, testing::Matcher<const nlohmann::json&> value)
      : key_(std::move(key)), value_(std::move(value)) {}
  bool MatchAndExplain(const Event& event, testing::MatchResultListener* listener) const override {
    const bool is_object = event.properties.is_object();
    auto it = is_object ? event.properties.find(key_) : event.properties.end();
    if (!is_object || it == event.properties.end()) {
      *listener << "which has no property \"" << key_ << "\"";
    } else {
      testing::StringMatchResultListener inner;
      bool matched = false;
      try {
        matched = value_.MatchAndExplain(*it, &inner);
      } catch (const nlohmann::json::type_error& error) {
        // A polymorphic matcher converted the value to a type it does not hold (a user's own
        // matcher; GoogleMock's string matchers are routed through JsonString by HasProperty).
        inner.Clear();
        inner << "which is " << harness::json_kind(*it)
              << ", and the matcher cannot compare it: " << error.what();
      }
      *listener << "whose property \"" << key_ << "\" is " << show(*it);
      if (matched) return true;
      if (!inner.str().empty()) *listener << " (" << inner.str() << ")";
    }
    print_timeline({event}, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has property \"" << key_ << "\" that ";
    value_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no property \"" << key_ << "\" that ";
    value_.DescribeTo(os);
  }

 private:
  std::string key_;
  testing::Matcher<const nlohmann::json&> value_;
};

class JsonStringMatcher : public testing::MatcherInterface<const nlohmann::json&> {
 public:
  explicit JsonStringMatcher(testing::Matcher<const std::string&> text) : text_(std::move(text)) {}
  bool MatchAndExplain(const nlohmann::json& value,
                       testing::MatchResultListener* listener) const override {
    if (!value.is_string()) {
      *listener << "which is not a JSON string (it is " << harness::json_kind(value) << ")";
      return false;
    }
    return text_.MatchAndExplain(value.get_ref<const std::string&>(), listener);
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is a JSON string that ";
    text_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not a JSON string that ";
    text_.DescribeTo(os);
  }

 private:
  testing::Matcher<const std::string&> text_;
};

// A JSON number as T: any number as a double (JsonNumber), or an integer — integer-valued floats
// such as 120.0 included, as the checker counts them — within std::int64_t (JsonInteger).
template <class T>
class JsonNumberMatcher : public testing::MatcherInterface<const nlohmann::json&> {
 public:
  explicit JsonNumberMatcher(testing::Matcher<T> number) : number_(std::move(number)) {}
  bool MatchAndExplain(const nlohmann::json& value,
                       testing::MatchResultListener* listener) const override {
    if (!value.is_number()) {
      *listener << "which is not a JSON number (it is " << harness::json_kind(value) << ")";
      return false;
    }
    if constexpr (std::is_same_v<T, double>) {
      return number_.MatchAndExplain(value.get<double>(), listener);
    } else {
      std::int64_t integer = 0;
      if (value.is_number_integer() &&
          !(value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX)) {
        integer = value.get<std::int64_t>();
      } else if (const double d = value.get<double>();
                 value.is_number_float() && std::floor(d) == d && std::fabs(d) < 9.2e18) {
        integer = static_cast<std::int64_t>(d);
      } else {
        *listener << "which is not an integer within 64 bits (it is " << show(value) << ")";
        return false;
      }
      return number_.MatchAndExplain(integer, listener);
    }
  }
  void DescribeTo(std::ostream* os) const override {
    *os << (std::is_same_v<T, double> ? "is a JSON number that " : "is an integer that ");
    number_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << (std::is_same_v<T, double> ? "is not a JSON number that " : "is not an integer that ");
    number_.DescribeTo(os);
  }

 private:
  testing::Matcher<T> number_;
};

class ContainsEventMatcher : public testing::MatcherInterface<const Events&> {
 public:
  explicit ContainsEventMatcher(testing::Matcher<const std::string&> name)
      : name_(std::move(name)) {}
  bool MatchAndExplain(const Events& events,
                       testing::MatchResultListener* listener) const override {
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].type == EventType::track && name_.Matches(events[i].name)) {
        *listener << "whose event " << timeline_label(events, i) << " \"" << events[i].name
                  << "\" matches";
        print_timeline(events, listener);  // shown by a failing Not(ContainsEvent(...))
        return true;
      }
    }
    *listener << "which has no such event among " << events.size();
    print_timeline(events, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "contains an event whose name ";
    name_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "contains no event whose name ";
    name_.DescribeTo(os);
  }

 private:
  testing::Matcher<const std::string&> name_;
};

class TerminalOfMatcher : public testing::MatcherInterface<const Events&> {
 public:
  TerminalOfMatcher(FlowDefinition flow, testing::Matcher<const Event&> terminal)
      : flow_(std::move(flow)), terminal_(std::move(terminal)) {}
  bool MatchAndExplain(const Events& events,
                       testing::MatchResultListener* listener) const override {
    const std::vector<std::size_t> found = terminals_of(flow_, events);
    if (found.size() == 1) {
      testing::StringMatchResultListener inner;
      if (terminal_.MatchAndExplain(events[found[0]], &inner)) {
        *listener << "whose terminal of flow \"" << flow_.id << "\" (event "
                  << timeline_label(events, found[0]) << ", \"" << events[found[0]].name
                  << "\") matches";
        print_timeline(events, listener);  // shown by a failing Not(...)
        return true;
      }
      *listener << "whose terminal of flow \"" << flow_.id << "\" (event "
                << timeline_label(events, found[0]) << ", \"" << events[found[0]].name
                << "\") doesn't match";
      // The inner explanation may carry its own one-line timeline; keep only its first line.
      const std::string text = inner.str();
      const std::string first_line = text.substr(0, text.find('\n'));
      if (!first_line.empty()) *listener << ": " << first_line;
    } else {
      *listener << "which has " << found.size() << " terminal events of flow \"" << flow_.id
                << "\", not exactly one";
    }
    print_timeline(events, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has exactly one terminal event of flow \"" << flow_.id << "\", which ";
    terminal_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "doesn't have exactly one terminal event of flow \"" << flow_.id << "\" that ";
    terminal_.DescribeTo(os);
  }

 private:
  FlowDefinition flow_;
  testing::Matcher<const Event&> terminal_;
};

class HasExactlyOneTerminalMatcher : public testing::MatcherInterface<const Events&> {
 public:
  explicit HasExactlyOneTerminalMatcher(FlowDefinition flow) : flow_(std::move(flow)) {}
  bool MatchAndExplain(const Events& events,
                       testing::MatchResultListener* listener) const override {
    std::size_t started = events.size();
    std::size_t starts = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].type == EventType::track && events[i].name == flow_.started) {
        if (starts++ == 0) started = i;
      }
    }
    const std::vector<std::size_t> found = terminals_of(flow_, events);
    if (starts == 1 && found.size() == 1 && found[0] > started) {
      *listener << "which has \"" << flow_.started << "\" (event "
                << timeline_label(events, started) << ") and one terminal, \""
                << events[found[0]].name << "\" (event " << timeline_label(events, found[0]) << ")";
      print_timeline(events, listener);  // shown by a failing Not(...)
      return true;
    }
    if (starts != 1) {
      *listener << "which has " << starts << " \"" << flow_.started << "\" events";
    } else if (found.size() != 1) {
      *listener << "which has " << found.size() << " terminal events of flow \"" << flow_.id
                << "\"";
    } else {
      *listener << "whose terminal (event " << timeline_label(events, found[0])
                << ") comes before \"" << flow_.started << "\" (event "
                << timeline_label(events, started) << ")";
    }
    print_timeline(events, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has one \"" << flow_.started << "\" followed by exactly one terminal of flow \""
        << flow_.id << "\"";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "doesn't have one \"" << flow_.started
        << "\" followed by exactly one terminal of flow \"" << flow_.id << "\"";
  }

 private:
  FlowDefinition flow_;
};

class TerminalIsMatcher : public testing::MatcherInterface<const Event&> {
 public:
  TerminalIsMatcher(FlowDefinition flow, TerminalKind kind,
                    std::optional<testing::Matcher<const std::string&>> detail)
      : flow_(std::move(flow)), kind_(kind), detail_(std::move(detail)) {}
  bool MatchAndExplain(const Event& event, testing::MatchResultListener* listener) const override {
    const std::string expected = event_for(flow_, kind_);
    if (expected.empty() || event.name != expected) {
      *listener << "which is \"" << event.name << "\", not the " << kind_name(kind_)
                << " terminal \"" << expected << "\"";
    } else if (!detail_) {
      *listener << "which is the " << kind_name(kind_) << " terminal";
      return true;
    } else if (kind_ == TerminalKind::completed) {
      // Completed carries no reason or error class, and FlowTracker adds no step to it.
      *listener << "which is the completed terminal, but a completed terminal has no detail to "
                   "compare: use TerminalIs(flow, TerminalKind::completed) and HasProperty";
    } else {
      const std::string& key = detail_key();
      auto it = event.properties.is_object() ? event.properties.find(key) : event.properties.end();
      testing::StringMatchResultListener inner;
      if (it != event.properties.end() && it->is_string() &&
          detail_->MatchAndExplain(it->get_ref<const std::string&>(), &inner)) {
        *listener << "whose " << key << " is " << show(*it);
        return true;
      }
      *listener << "whose " << key << " is "
                << (it == event.properties.end() ? std::string("missing") : show(*it));
    }
    print_timeline({event}, listener);
    return false;
  }
  void DescribeTo(std::ostream* os) const override { describe(os, "is"); }
  void DescribeNegationTo(std::ostream* os) const override { describe(os, "isn't"); }

 private:
  // For aborted the detail is the reason, for failed the error class; completed has none.
  const std::string& detail_key() const {
    return kind_ == TerminalKind::aborted ? flow_.reason_property : flow_.error_property;
  }
  void describe(std::ostream* os, const char* verb) const {
    *os << verb << " the " << kind_name(kind_) << " terminal \"" << event_for(flow_, kind_) << "\"";
    if (detail_ && kind_ == TerminalKind::completed) {
      *os << " with a detail that ";
      detail_->DescribeTo(os);
      *os << " (which a completed terminal never has)";
    } else if (detail_) {
      *os << " with " << detail_key() << " that ";
      detail_->DescribeTo(os);
    }
  }
  FlowDefinition flow_;
  TerminalKind kind_;
  std::optional<testing::Matcher<const std::string&>> detail_;  ///< none: any detail
};

template <class T>
struct IsGmockMatcher : std::false_type {};
template <class T>
struct IsGmockMatcher<testing::Matcher<T>> : std::true_type {};

// GoogleMock's polymorphic string matchers (StartsWith, EndsWith, HasSubstr, StrEq, StrNe,
// StrCaseEq, StrCaseNe, MatchesRegex, ContainsRegex). Cast to a matcher over nlohmann::json they
// would convert the value to std::string and throw (type_error.302) on a number; HasProperty
// routes them through JsonString instead, so a non-string value is a mismatch that says what it is.
template <class T>
struct IsStringMatcher : std::false_type {};
template <>
struct IsStringMatcher<
    testing::PolymorphicMatcher<testing::internal::StartsWithMatcher<std::string>>>
    : std::true_type {};
template <>
struct IsStringMatcher<testing::PolymorphicMatcher<testing::internal::EndsWithMatcher<std::string>>>
    : std::true_type {};
template <>
struct IsStringMatcher<
    testing::PolymorphicMatcher<testing::internal::HasSubstrMatcher<std::string>>>
    : std::true_type {};
template <>
struct IsStringMatcher<
    testing::PolymorphicMatcher<testing::internal::StrEqualityMatcher<std::string>>>
    : std::true_type {};
template <>
struct IsStringMatcher<testing::PolymorphicMatcher<testing::internal::MatchesRegexMatcher>>
    : std::true_type {};

// TerminalIs(flow, TerminalKind::none) could never match an event: refused when it is built.
inline TerminalKind checked_kind(TerminalKind kind) {
  if (kind == TerminalKind::none) {
    throw std::invalid_argument(
        "TerminalIs/EndedWith: TerminalKind::none names no terminal event; to expect a flow "
        "without a terminal use Not(ContainsEvent(flow.completed)) and the like, or "
        "HasExactlyOneTerminal");
  }
  return kind;
}

}  // namespace matchers_detail

/// Matches an Event whose name matches name (a string or a string matcher).
inline testing::Matcher<const Event&> IsEvent(testing::Matcher<const std::string&> name) {
  return testing::MakeMatcher(new matchers_detail::IsEventMatcher(std::move(name)));
}

/// Matches an Event with property key whose JSON value matches value: a plain value ("free", 3,
/// true, nullptr, a json) compares equal; GoogleMock's string matchers (StartsWith("a"), HasSubstr,
/// StrEq, MatchesRegex, ...) act as JsonString(...): a value that is not a string does not match;
/// otherwise a matcher over nlohmann::json.
template <class Value>
testing::Matcher<const Event&> HasProperty(std::string key, Value&& value) {
  using Plain = std::remove_cv_t<std::remove_reference_t<Value>>;
  testing::Matcher<const nlohmann::json&> value_matcher;
  if constexpr (!matchers_detail::IsGmockMatcher<Plain>::value &&
                std::is_constructible_v<nlohmann::json, Value>) {
    value_matcher = testing::Eq(nlohmann::json(std::forward<Value>(value)));
  } else if constexpr (matchers_detail::IsStringMatcher<Plain>::value) {
    value_matcher = testing::MakeMatcher(new matchers_detail::JsonStringMatcher(
        testing::Matcher<const std::string&>(std::forward<Value>(value))));
  } else {
    value_matcher = testing::MatcherCast<const nlohmann::json&>(std::forward<Value>(value));
  }
  return testing::MakeMatcher(
      new matchers_detail::HasPropertyMatcher(std::move(key), std::move(value_matcher)));
}

/// Matches a JSON value that is a string matching text (for StartsWith, HasSubstr, MatchesRegex).
inline testing::Matcher<const nlohmann::json&> JsonString(
    testing::Matcher<const std::string&> text) {
  return testing::MakeMatcher(new matchers_detail::JsonStringMatcher(std::move(text)));
}

/// Matches a JSON value that is a number matching `number` as a double: `JsonNumber(Ge(0))`.
/// (`Ge(0)` alone compares a nlohmann::json, which orders every string above every number.)
inline testing::Matcher<const nlohmann::json&> JsonNumber(testing::Matcher<double> number) {
  return testing::MakeMatcher(new matchers_detail::JsonNumberMatcher<double>(std::move(number)));
}

/// Matches a JSON value that is an integer (120 or 120.0, within int64) matching `integer`:
/// `HasProperty("duration_ms", JsonInteger(Ge(0)))`.
inline testing::Matcher<const nlohmann::json&> JsonInteger(testing::Matcher<std::int64_t> integer) {
  return testing::MakeMatcher(
      new matchers_detail::JsonNumberMatcher<std::int64_t>(std::move(integer)));
}

/// Matches a recording holding at least one track event whose name matches name.
inline testing::Matcher<const std::vector<Event>&> ContainsEvent(
    testing::Matcher<const std::string&> name) {
  return testing::MakeMatcher(new matchers_detail::ContainsEventMatcher(std::move(name)));
}

/// Matches a recording holding exactly one terminal event of flow, which matches terminal.
inline testing::Matcher<const std::vector<Event>&> TerminalOf(
    FlowDefinition flow, testing::Matcher<const Event&> terminal) {
  return testing::MakeMatcher(
      new matchers_detail::TerminalOfMatcher(std::move(flow), std::move(terminal)));
}

/// Matches a recording with one Started of flow followed by exactly one of its terminals.
inline testing::Matcher<const std::vector<Event>&> HasExactlyOneTerminal(FlowDefinition flow) {
  return testing::MakeMatcher(new matchers_detail::HasExactlyOneTerminalMatcher(std::move(flow)));
}

/// Matches the Event of flow's terminal of the given kind. TerminalKind::none names no event and
/// throws std::invalid_argument here, when the matcher is built.
inline testing::Matcher<const Event&> TerminalIs(FlowDefinition flow, TerminalKind kind) {
  return testing::MakeMatcher(new matchers_detail::TerminalIsMatcher(
      std::move(flow), matchers_detail::checked_kind(kind), std::nullopt));
}

/// Matches flow's terminal of the given kind whose detail — the reason (aborted) or the error
/// class (failed) — equals `detail` or matches it (any string matcher: EndsWith("QuotaExceeded")).
/// A completed terminal has no detail: with TerminalKind::completed this never matches, and says
/// so. TerminalKind::none throws std::invalid_argument.
inline testing::Matcher<const Event&> TerminalIs(FlowDefinition flow, TerminalKind kind,
                                                 testing::Matcher<const std::string&> detail) {
  return testing::MakeMatcher(new matchers_detail::TerminalIsMatcher(
      std::move(flow), matchers_detail::checked_kind(kind), std::move(detail)));
}

/// Matches a recording whose one terminal of flow is of the given kind:
/// TerminalOf(flow, TerminalIs(flow, kind)).
inline testing::Matcher<const std::vector<Event>&> EndedWith(const FlowDefinition& flow,
                                                             TerminalKind kind) {
  return TerminalOf(flow, TerminalIs(flow, kind));
}

/// Matches a recording whose one terminal of flow is of the given kind and detail:
/// TerminalOf(flow, TerminalIs(flow, kind, detail)).
inline testing::Matcher<const std::vector<Event>&> EndedWith(
    const FlowDefinition& flow, TerminalKind kind, testing::Matcher<const std::string&> detail) {
  return TerminalOf(flow, TerminalIs(flow, kind, std::move(detail)));
}

}  // namespace flowproof::harness
