// Product-side code that links only flowproof::harness: a flow tracked into a RecordingClient.
// Exits 0 only when the recording is the flow's Started and Completed, in that order.
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <iostream>

int main() {
  namespace fp = flowproof::harness;
  fp::FlowDefinition greet;
  greet.id = "greet";
  greet.started = "Greet Started";
  greet.completed = "Greet Completed";

  fp::RecordingClient client;
  {
    fp::FlowTracker flow(&client, greet);
    flow.complete();
  }
  const auto events = client.events();
  const bool ok =
      events.size() == 2 && events[0].name == greet.started && events[1].name == greet.completed;
  std::cout << "harness only: " << events.size() << " event(s), " << (ok ? "pass" : "FAIL") << '\n';
  return ok ? 0 : 1;
}
