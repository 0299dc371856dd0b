// json_reporter.cpp — the JSON report of report-format.md, pretty-printed with a stable member
// order: byte for byte to_json(report).dump(2), but with the findings written one at a time (a
// document of 170,000 findings held ~4x its own size in memory).
#include "reporter_formats.hpp"

#include <ostream>

namespace flowproof::conformance {
namespace {

class JsonReporter : public Reporter {
 public:
  void write(const Report& report, std::ostream& out) const override {
    // `violations` sorts last among the members: the rest is written whole, then the findings.
    std::string head = dump(to_json_without_violations(report), 0);
    head.resize(head.rfind('\n'));  // without the closing "\n}"
    out << head << ",\n  \"violations\": ";
    if (report.violations.empty()) {
      out << "[]\n}\n";
      return;
    }
    out << '[';
    bool first = true;
    for (const Violation& violation : report.violations) {
      out << (first ? "\n    " : ",\n    ") << dump(violation_json(violation), 4);  // in [ in {
      first = false;
    }
    out << "\n  ]\n}\n";
  }

 private:
  // Pretty-printed with two spaces a level, every line after the first shifted right by `shift`
  // spaces (where the value sits in the document). Invalid UTF-8 from an input is replaced rather
  // than aborting the whole report.
  static std::string dump(const nlohmann::json& value, std::size_t shift) {
    std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    if (shift == 0) return text;
    std::string shifted;
    shifted.reserve(text.size() + text.size() / 8);
    for (char c : text) {
      shifted += c;
      if (c == '\n') shifted.append(shift, ' ');
    }
    return shifted;
  }
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(const ReporterOptions&) {
  return std::make_unique<JsonReporter>();
}

}  // namespace flowproof::conformance
