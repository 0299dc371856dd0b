// Compile-time properties of the public API, checked by CheckDiagnostics.cmake (ctest
// `harness_compile_diagnostics`): compiled once as is, which must give no diagnostic at all under
// -Wall -Wextra -Wpedantic -Werror (what discarding legitimately looks like), and once per CASE_*
// below, each of which must fail with the diagnostic the script expects (a discarded
// [[nodiscard]] result is a bug). Not part of any test program.
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>
// Each case includes only what it needs: every compile is a separate run of the compiler.
#if defined(CASE_PROMPTER_VERIFY) || defined(CASE_SCRIPT_GUARD_TEMPORARY)
#include <flowproof/fakes/gtest.hpp>
#include <flowproof/fakes/prompter.hpp>
#elif defined(CASE_SESSION_VERIFY)
#include <flowproof/fakes/session.hpp>
#elif defined(CASE_BACKEND_VERIFY)
#include <flowproof/fakes/backend.hpp>
#elif defined(CASE_CHECK_REPORT)
#include <flowproof/conformance/checker.hpp>
#endif

#include <chrono>

using namespace flowproof;

// Nothing here may warn: these results may be discarded.
void legitimate(harness::RecordingClient& client, const harness::FlowDefinition& flow) {
  harness::FlowTracker tracker(&client, flow);
  tracker.step("terms");
  tracker.complete();  // false only when a terminal was already emitted: counted, not an error
  tracker.abort("x");
  client.track("Command Invoked");
  client.flush(std::chrono::milliseconds(10));
  client.close(std::chrono::milliseconds(10));
  harness::set_recording_observer(nullptr);
}

#if defined(CASE_FLOW_TRACKER_TEMPORARY)
void product(harness::Client& client, const harness::FlowDefinition& flow) {
  harness::FlowTracker(&client, flow);  // Started, then Failed{NoTerminal} at once
}
#elif defined(CASE_FLOW_TRACKER_TEMPORARY_WITH_OPTIONS)
void product(harness::Client& client, const harness::FlowDefinition& flow) {
  harness::FlowTracker(&client, flow, harness::FlowOptions{}, {{"plan", "free"}});
}
#elif defined(CASE_WAIT_FOR)
void test(const harness::RecordingClient& client) {
  client.wait_for([](const auto& events) { return events.size() >= 2; },
                  std::chrono::milliseconds(10));  // the timeout is ignored
}
#elif defined(CASE_RECORDING_VERIFY)
void test(const harness::RecordingClient& client) { client.verify(); }
#elif defined(CASE_PROMPTER_VERIFY)
void test(const fakes::ScriptedPrompter& prompter) { prompter.verify(); }
#elif defined(CASE_SESSION_VERIFY)
void test(const fakes::FakeSession& session) { session.verify(); }
#elif defined(CASE_BACKEND_VERIFY)
void test(const fakes::ScriptedBackend& backend) { backend.verify(); }
#elif defined(CASE_SCRIPT_GUARD_TEMPORARY)
void test(fakes::ScriptedPrompter& prompter) {
  fakes::ScriptGuard<fakes::ScriptedPrompter>{prompter};
}
#elif defined(CASE_CHECK_REPORT)
void test(const conformance::Plan& plan, const harness::RecordingClient& client) {
  conformance::check(plan, client.events());  // the report is thrown away
}
#endif
