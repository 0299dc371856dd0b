// json_reporter.cpp — the JSON report of report-format.md, pretty-printed with a stable member
// order (to_json in report.cpp builds the document; this only writes it).
#include "reporter_formats.hpp"

#include <ostream>

namespace flowproof::conformance {
namespace {

class JsonReporter : public Reporter {
 public:
  void write(const Report& report, std::ostream& out) const override {
    // Invalid UTF-8 from an input is replaced rather than aborting the whole report.
    out << to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(const ReporterOptions&) {
  return std::make_unique<JsonReporter>();
}

}  // namespace flowproof::conformance
