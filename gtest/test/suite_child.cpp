// suite_child.cpp — a GoogleTest program run BY the suite listener tests (never by ctest itself):
// one passing, one failing and one skipped test, each recording telemetry through RecordingClients
// with the same product invocation id, and the suite listener installed from the environment.
// The failing test leaves its signup flow open (a missing terminal the check must pin on it).
#include <flowproof/conformance/gtest_listener.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

FLOWPROOF_SUITE_LISTENER();

namespace {

using flowproof::harness::ClientOptions;
using flowproof::harness::RecordingClient;

ClientOptions options() {
  // Every test uses the same id, as a product fixture often does: the listener separates them.
  return ClientOptions{.base_properties = {{"invocation_id", "same-id-in-every-test"}}};
}

TEST(Child, Passes) {
  RecordingClient client(options());
  client.track("Signup Started");
  client.track("Signup Completed");
  EXPECT_EQ(client.size(), 2u);
}

TEST(Child, Fails) {
  RecordingClient client(options());
  client.track("Signup Started");
  ADD_FAILURE() << "this test fails on purpose";
}

TEST(Child, IsSkipped) {
  RecordingClient client(options());
  client.track("Signup Started");
  client.track("Signup Aborted", {{"step", "form"}, {"reason", "cancelled"}});
  GTEST_SKIP() << "skipped on purpose after recording";
}

TEST(Child, RunsTwoInvocations) {
  RecordingClient first(options());
  first.track("Signup Started");
  first.track("Signup Failed", {{"step", "submit"}, {"error_class", "Timeout"}});
  RecordingClient second(options());
  second.track("Signup Started");
  second.track("Signup Completed");
}

}  // namespace
