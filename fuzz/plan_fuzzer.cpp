// plan_fuzzer.cpp — libFuzzer target for the plan loader: parse_plan over arbitrary bytes must
// return a Plan or throw PlanError, never crash, hang or throw anything else.
//
//   build-fuzz/fuzz/plan_fuzzer fuzz/corpus/plan -max_total_time=60
#include <flowproof/conformance/plan.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const flowproof::conformance::Plan plan = flowproof::conformance::parse_plan(text, "fuzz");
    (void)plan.flows.size();
  } catch (const flowproof::conformance::PlanError& error) {
    // A refused plan must say why.
    if (error.problems().empty()) __builtin_trap();
  }
  // Any other exception escapes and libFuzzer reports it as a crash.
  return 0;
}
