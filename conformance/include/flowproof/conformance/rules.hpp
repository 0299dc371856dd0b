// flowproof/conformance/rules.hpp — the rule catalogue (docs/contract/rules.md): stable ids, names,
// default severities.
//
//   for (const RuleInfo& rule : all_rules()) std::cout << rule.id << ' ' << rule.name << '\n';
#pragma once

#include <flowproof/conformance/plan.hpp>

#include <span>
#include <string_view>

namespace flowproof::conformance {

enum class RuleGroup { envelope, flow, coverage };

struct RuleInfo {
  std::string_view id;    ///< "FP103"
  std::string_view name;  ///< "missing-terminal"
  Severity default_severity;
  RuleGroup group;
  std::string_view summary;  ///< one sentence: a violation when ...
};

/// Every rule, in id order.
std::span<const RuleInfo> all_rules();
/// The rule with this id, or nullptr.
const RuleInfo* find_rule(std::string_view id);

}  // namespace flowproof::conformance
