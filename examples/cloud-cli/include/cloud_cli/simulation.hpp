// cloud_cli/simulation.hpp — EXAMPLE ONLY: the local stand-in for the cloud service that the
// real `cloud-cli` program talks to, so a person can walk every funnel path without an account.
//
//   cloud-cli app create --simulate billing-wall        # the plan step meets the billing wall
//   cloud-cli app create --simulate region-unavailable  # the first region's cluster is full
//
// Outcomes: billing-wall, region-unavailable, api-error, network-error, already-on-plan,
// no-candidates, session-expired, slow-browser, slow-api (unknown names are an error).
#pragma once

#include <flowproof/fakes/backend.hpp>
#include <flowproof/fakes/waiter.hpp>

#include <set>
#include <string>
#include <vector>

namespace cloud_cli {

/// A deterministic fakes::Backend answering from a fixed account, altered by the outcomes asked
/// for.
class SimulatedBackend final : public flowproof::fakes::Backend {
 public:
  /// Throws std::invalid_argument naming an unknown outcome. The waiter (not owned) serves latency.
  SimulatedBackend(const std::vector<std::string>& outcomes, flowproof::fakes::Waiter& waiter);
  flowproof::fakes::Response call(std::string_view operation,
                                  const nlohmann::json& request) override;

  /// Every outcome name the simulation knows.
  static const std::vector<std::string>& known_outcomes();

 private:
  /// True the first time an outcome applies (each simulated outcome happens once).
  bool take(const std::string& outcome);

  std::set<std::string> pending_;
  std::set<std::string> asked_;
  flowproof::fakes::Waiter* waiter_;
};

}  // namespace cloud_cli
