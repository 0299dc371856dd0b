// signup_test.cpp — the consumer's suite: two tests reach two of the plan's four outcomes.
#include <flowproof/conformance/gtest_listener.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

FLOWPROOF_SUITE_LISTENER();

namespace {

flowproof::harness::ClientOptions options() {
  return {.base_properties = {{"invocation_id", "fixture-id"}}};
}

TEST(Signup, Completes) {
  flowproof::harness::RecordingClient client(options());
  client.track("Signup Started");
  client.track("Signup Completed");
  EXPECT_EQ(client.size(), 2u);
}

TEST(Signup, IsCancelled) {
  flowproof::harness::RecordingClient client(options());
  client.track("Signup Started");
  client.track("Signup Aborted", {{"step", "form"}, {"reason", "cancelled"}});
  EXPECT_EQ(client.size(), 2u);
}

}  // namespace
