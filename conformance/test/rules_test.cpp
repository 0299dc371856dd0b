// rules_test.cpp — the rule catalogue matches docs/contract/rules.md row for row: ids, names,
// default severities, groups and summaries.
#include <flowproof/conformance/rules.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

struct ContractRow {
  std::string id, name, severity, summary;
  RuleGroup group;
};

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(' ');
  const auto last = text.find_last_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// The rows of the contract's rule tables; backticks are dropped (the catalogue is plain text).
std::vector<ContractRow> contract_rows() {
  const char* root = std::getenv("FLOWPROOF_SOURCE_DIR");
  if (root == nullptr) {
    ADD_FAILURE() << "FLOWPROOF_SOURCE_DIR is not set: run the tests under ctest";
    return {};
  }
  std::ifstream in(std::string(root) + "/docs/contract/rules.md");
  EXPECT_TRUE(in) << "docs/contract/rules.md is missing";
  std::vector<ContractRow> rows;
  RuleGroup group = RuleGroup::envelope;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## Flows", 0) == 0) group = RuleGroup::flow;
    if (line.rfind("## Coverage", 0) == 0) group = RuleGroup::coverage;
    if (line.rfind("| FP", 0) != 0) continue;
    line.erase(std::remove(line.begin(), line.end(), '`'), line.end());
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar; (bar = line.find(" |", start)) != std::string::npos; start = bar + 2) {
      cells.push_back(trim(line.substr(start, bar - start)));
    }
    if (cells.size() != 4) {
      ADD_FAILURE() << "unexpected row: " << line;
      continue;
    }
    rows.push_back({cells[0], cells[1], cells[2], cells[3], group});
  }
  return rows;
}

TEST(Rules, MatchTheContractRowForRow) {
  const auto rows = contract_rows();
  const auto rules = all_rules();
  ASSERT_EQ(rules.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(rows[i].id);
    EXPECT_EQ(rules[i].id, rows[i].id);
    EXPECT_EQ(rules[i].name, rows[i].name);
    EXPECT_EQ(to_string(rules[i].default_severity), rows[i].severity);
    EXPECT_EQ(rules[i].summary, rows[i].summary);
    EXPECT_EQ(rules[i].group, rows[i].group);
  }
}

TEST(Rules, AreInIdOrderWithUniqueNames) {
  const auto rules = all_rules();
  EXPECT_TRUE(std::is_sorted(rules.begin(), rules.end(),
                             [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; }));
  std::set<std::string_view> names;
  for (const RuleInfo& rule : rules) EXPECT_TRUE(names.insert(rule.name).second) << rule.name;
}

TEST(Rules, FindRuleByIdOnly) {
  const RuleInfo* rule = find_rule("FP103");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->name, "missing-terminal");
  EXPECT_EQ(rule->default_severity, Severity::error);
  EXPECT_EQ(rule->group, RuleGroup::flow);
  EXPECT_EQ(find_rule("FP004")->default_severity, Severity::warning);
  EXPECT_EQ(find_rule("FP202")->default_severity, Severity::off);
  EXPECT_EQ(find_rule("FP999"), nullptr);
  EXPECT_EQ(find_rule("missing-terminal"), nullptr);
  EXPECT_EQ(find_rule(""), nullptr);
  EXPECT_EQ(find_rule("fp103"), nullptr);
}

}  // namespace
}  // namespace flowproof::conformance
