// A product-side test in miniature: record a flow with a RecordingClient, check the recording
// against a tracking plan, and exit 0 only when the check passes. The packaging tests build and run
// this once per way of bringing flowproof in; the README's Integration section shows it.
//
//   ./consumer   # prints "flowproof 0.1.0: pass" and exits 0
// snippet-begin: consumer
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <iostream>

int main() {
  namespace fp = flowproof;
  const fp::conformance::Plan plan = fp::conformance::parse_plan(R"({
    "flowproof_plan": 1,
    "name": "hello",
    "invocation": {"key": "/properties/invocation_id", "order": "/properties/sequence"},
    "flows": {
      "greet": {"started": {"event": "Greet Started"}, "completed": {"event": "Greet Completed"}}
    }
  })");

  fp::harness::ClientOptions options;
  options.base_properties = {{"invocation_id", "run-1"}};
  fp::harness::RecordingClient client(options);
  {
    fp::harness::FlowTracker greet(&client, plan.find_flow("greet")->definition());
    greet.complete();
  }

  const fp::conformance::Report report = fp::conformance::check(plan, client.events());
  std::cout << "flowproof " << fp::conformance::version() << ": " << report.verdict() << '\n';
  return report.passed() && report.summary.events == 2 ? 0 : 1;
}
// snippet-end: consumer
