// flowproof/conformance/generator.hpp — synthetic event streams shaped by a plan: realistic Segment
// track calls, interleaved invocations, a random walk through each flow (nested per `contains`),
// and optionally one injected defect in a share of the invocations. Deterministic for a seed.
//
//   Plan plan = load_plan("cli.plan.json");
//   std::ofstream out("events.jsonl");
//   GeneratorStats stats = generate_stream(plan, {.events = 100'000, .seed = 7, .defect_rate =
//   0.01},
//                                          out);
//   // `flowproof check --plan cli.plan.json events.jsonl` now reports stats.defects findings.
#pragma once

#include <flowproof/conformance/plan.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace flowproof::conformance {

struct GeneratorOptions {
  /// Lines to write, exactly. The last invocations are shortened to fit, so every flow instance
  /// still ends (a stream without defects checks clean).
  std::uint64_t events = 1000;
  std::uint64_t seed = 1;
  /// Share of invocations (0..1) that carry exactly one injected defect.
  double defect_rate = 0.0;
  /// Only inject defects of this rule ("FP103"); any supported rule when empty.
  std::optional<std::string> defect_rule{};
  /// Invocations open at once; their events interleave in the stream.
  std::size_t interleave = 4;
  /// Timestamp of the first event, epoch milliseconds (default 2026-06-10T11:27:00Z).
  std::int64_t start_ms = 1'781'090'820'000;
};

struct GeneratorStats {
  std::uint64_t lines = 0;        ///< lines written (== options.events)
  std::uint64_t invocations = 0;  ///< invocations started
  std::uint64_t defective_invocations = 0;
  std::map<std::string, std::uint64_t> defects;  ///< rule id -> defects injected
};

/// Rule ids the generator can inject a defect of (some need plan features, e.g. FP107 a `failed`).
std::vector<std::string> generator_defect_rules();

/// Writes a JSON Lines stream for the plan; works for any valid plan. Throws std::invalid_argument
/// for unusable options (an unknown defect rule, a rate outside 0..1, interleave 0).
GeneratorStats generate_stream(const Plan& plan, const GeneratorOptions& options,
                               std::ostream& out);

}  // namespace flowproof::conformance
