// Links flowproof::conformance from a subdirectory whose find_package(flowproof) came second.
// Exits 0 when the rule catalogue is there.
#include <flowproof/conformance/rules.hpp>

#include <iostream>

int main() {
  const bool ok = flowproof::conformance::find_rule("FP103") != nullptr;
  std::cout << "conformance below: " << (ok ? "pass" : "FAIL") << '\n';
  return ok ? 0 : 1;
}
