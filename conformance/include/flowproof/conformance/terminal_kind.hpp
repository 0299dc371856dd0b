// flowproof/conformance/terminal_kind.hpp — converting between the two TerminalKind enums.
//
// harness::TerminalKind {none, completed, aborted, failed} says how a FlowTracker ended (none: not
// yet); conformance::TerminalKind {completed, aborted, failed} names a plan's terminal events. The
// same names have different values (the harness's `none` comes first), so a static_cast between
// them is wrong (conformance aborted becomes harness completed); convert with these:
//
//   conformance::TerminalKind planned = conformance::TerminalKind::aborted;
//   EXPECT_THAT(events, harness::EndedWith(flow, conformance::to_harness(planned)));
//   std::optional<conformance::TerminalKind> ended = conformance::from_harness(tracker.terminal());
//
// With `using namespace` for both flowproof::harness and flowproof::conformance, a bare
// `TerminalKind` is ambiguous: qualify it (harness::TerminalKind::aborted).
#pragma once

#include <flowproof/conformance/plan.hpp>
#include <flowproof/harness/flow.hpp>

#include <optional>

namespace flowproof::conformance {

/// The harness's name for a plan's terminal kind.
constexpr harness::TerminalKind to_harness(TerminalKind kind) {
  switch (kind) {
    case TerminalKind::completed:
      return harness::TerminalKind::completed;
    case TerminalKind::aborted:
      return harness::TerminalKind::aborted;
    case TerminalKind::failed:
      return harness::TerminalKind::failed;
  }
  return harness::TerminalKind::none;  // not a TerminalKind value
}

/// The plan's terminal kind for a harness kind; nullopt for harness::TerminalKind::none (no
/// terminal yet).
constexpr std::optional<TerminalKind> from_harness(harness::TerminalKind kind) {
  switch (kind) {
    case harness::TerminalKind::completed:
      return TerminalKind::completed;
    case harness::TerminalKind::aborted:
      return TerminalKind::aborted;
    case harness::TerminalKind::failed:
      return TerminalKind::failed;
    case harness::TerminalKind::none:
      break;
  }
  return std::nullopt;
}

}  // namespace flowproof::conformance
