// Tests for flowproof/conformance/terminal_kind.hpp: the two TerminalKind enums convert by name,
// never by value.
#include <flowproof/conformance/terminal_kind.hpp>

#include <gtest/gtest.h>

namespace flowproof::conformance {
namespace {

// Same names, different values: a static_cast would turn aborted into completed.
static_assert(static_cast<int>(TerminalKind::aborted) ==
              static_cast<int>(harness::TerminalKind::completed));
static_assert(to_harness(TerminalKind::completed) == harness::TerminalKind::completed);
static_assert(to_harness(TerminalKind::aborted) == harness::TerminalKind::aborted);
static_assert(to_harness(TerminalKind::failed) == harness::TerminalKind::failed);
static_assert(from_harness(harness::TerminalKind::none) == std::nullopt);

TEST(TerminalKindConversion, RoundTripsEveryPlanKindByName) {
  for (TerminalKind kind : {TerminalKind::completed, TerminalKind::aborted, TerminalKind::failed}) {
    EXPECT_EQ(from_harness(to_harness(kind)), kind) << to_string(kind);
  }
  EXPECT_EQ(from_harness(harness::TerminalKind::aborted), TerminalKind::aborted);
  EXPECT_FALSE(from_harness(harness::TerminalKind::none).has_value());
}

}  // namespace
}  // namespace flowproof::conformance
