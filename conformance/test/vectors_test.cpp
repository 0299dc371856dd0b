// vectors_test.cpp — the shared conformance vectors (test/data/vectors, copied from the contract)
// run against the BUILT `flowproof` binary exactly as tools/run-vectors does: each case's events
// written to a file, `flowproof check --plan PLAN --report json=REPORT EVENTS`, then the verdict,
// the set of non-waived rule ids and the exit status compared. One test per case.
#include "run_process.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct VectorCase {
  std::string file;  // vector file name
  std::size_t index = 0;
  std::string plan;  // resolved path
  json data;         // description, events, expect
};

void PrintTo(const VectorCase& c, std::ostream* out) {
  *out << c.file << '#' << c.index << ' ' << c.data.at("description").get<std::string>();
}

std::vector<VectorCase> load_cases() {
  std::vector<VectorCase> cases;
  const fs::path dir = fs::path(FLOWPROOF_TEST_DATA_DIR) / "vectors";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const json doc = json::parse(std::ifstream(file));
    if (!doc.is_object() || !doc.contains("cases")) continue;
    const std::string plan =
        (file.parent_path() / doc.at("plan").get<std::string>()).lexically_normal().string();
    for (std::size_t i = 0; i < doc["cases"].size(); ++i) {
      cases.push_back({file.filename().string(), i, plan, doc["cases"][i]});
    }
  }
  return cases;
}

// "flows.json", 3, "process ended inside the flow: no terminal" -> flows_03_process_ended_...
std::string test_name(const VectorCase& c) {
  std::string name = fs::path(c.file).stem().string() + "_" + (c.index < 10 ? "0" : "") +
                     std::to_string(c.index) + "_";
  bool underscore = true;
  for (char ch : c.data.at("description").get<std::string>()) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      name += ch;
      underscore = false;
    } else if (!underscore) {
      name += '_';
      underscore = true;
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

class ConformanceVector : public ::testing::TestWithParam<VectorCase> {};

TEST_P(ConformanceVector, MatchesExpectation) {
  const VectorCase& c = GetParam();
  SCOPED_TRACE(c.file + "#" + std::to_string(c.index) + " " +
               c.data.at("description").get<std::string>());
  const fs::path dir = fs::temp_directory_path() /
                       ("flowproof-vectors-" + std::to_string(::getpid()) + "-" + test_name(c));
  fs::create_directories(dir);
  const fs::path events = dir / "events.jsonl";
  const fs::path report_path = dir / "report.json";
  {
    std::ofstream out(events, std::ios::binary);
    for (const json& event : c.data.at("events")) {
      out << (event.is_string() ? event.get<std::string>() : event.dump()) << '\n';
    }
  }
  const auto result =
      flowproof::testing::run_process({FLOWPROOF_BINARY, "check", "--plan", c.plan, "--report",
                                       "json=" + report_path.string(), events.string()});
  std::ifstream in(report_path);
  ASSERT_TRUE(in) << "no report (exit " << result.status << "): " << result.err;
  const json report = json::parse(in);
  std::set<std::string> got, want;
  for (const json& v : report.at("violations")) {
    if (!v.value("waived", false)) got.insert(v.at("rule").get<std::string>());
  }
  for (const json& rule : c.data.at("expect").at("rules")) want.insert(rule.get<std::string>());
  const std::string verdict = c.data.at("expect").at("verdict");
  EXPECT_EQ(report.at("verdict"), verdict);
  EXPECT_EQ(got, want);
  EXPECT_EQ(result.status, verdict == "pass" ? 0 : 1) << result.err;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Contract, ConformanceVector, ::testing::ValuesIn(load_cases()),
                         [](const auto& info) { return test_name(info.param); });

TEST(ConformanceVectors, AreAllThere) {
  // A copy that lost its cases would make the parameterised suite silently empty.
  EXPECT_GE(load_cases().size(), 22u);
}

}  // namespace
