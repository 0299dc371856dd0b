// flowproof/harness/timeline.hpp — a recording as a readable timeline, for failure messages.
//
//   std::cout << format_timeline(client.events());
//   //   #1 Command Invoked
//   //   #2 CLI Application Create Started
//   //   #3 CLI Application Create Aborted  step=terms reason=declined_terms duration_ms=120
#pragma once

#include <flowproof/harness/event.hpp>

#include <string>
#include <vector>

namespace flowproof::harness {

/// What a timeline shows of each event.
struct TimelineOptions {
  /// Property holding the sequence number; events without it show their position (from 1) as "@N".
  std::string sequence_property = "sequence";
  /// Properties shown after the name, in this order, when present.
  std::vector<std::string> keys = {"step", "reason", "error_class", "duration_ms"};
  /// Text before every line.
  std::string indent = "  ";
};

/// One line per event: sequence, name (identify calls as "identify <user id>") and key properties;
/// "(no events recorded)" for an empty recording. Every line ends in '\n'.
std::string format_timeline(const std::vector<Event>& events, const TimelineOptions& options = {});

/// The label format_timeline gives events[index]: "#" and its sequence number, or "@" and its
/// position from 1 when it has none. Failure messages name events by it, so a message and the
/// timeline under it agree.
std::string timeline_label(const std::vector<Event>& events, std::size_t index,
                           const TimelineOptions& options = {});

}  // namespace flowproof::harness
