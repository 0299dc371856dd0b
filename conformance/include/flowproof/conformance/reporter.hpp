// flowproof/conformance/reporter.hpp — output formats as classes over one Report, found by name.
//
//   auto reporter = make_reporter("junit", {});
//   reporter->write(report, std::cout);
//
// Adding a format adds a file that registers a factory; the checker never branches on a format.
#pragma once

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/report.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::conformance {

struct ReporterOptions {
  bool colour =
      false;  ///< ANSI colour (text only; the command turns it on for a tty without NO_COLOR)
  std::size_t max_findings_per_rule = 20;  ///< Markdown/HTML: first findings of each rule
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void write(const Report& report, std::ostream& out) const = 0;
};

using ReporterFactory = std::function<std::unique_ptr<Reporter>(const ReporterOptions&)>;

/// Registers a format under a name (replacing any earlier one).
void register_reporter(std::string name, ReporterFactory factory);
/// The reporter for a format, or nullptr when no such format is registered.
std::unique_ptr<Reporter> make_reporter(std::string_view name, const ReporterOptions& options = {});
/// Registered format names, sorted.
std::vector<std::string> reporter_names();

/// Records in the report what reporters cannot see otherwise: each rule's effective severity for
/// this plan and options, and the flow rules that cannot apply to each flow.
void annotate_report(Report& report, const Plan& plan, const CheckOptions& options = {});

/// Writes a report to `path` with harness::write_output_file(): "-" is standard output, a regular
/// file is replaced atomically, a FIFO or device (/dev/stdout, /dev/fd/N) is written in place.
void write_report_file(const Reporter& reporter, const Report& report, const std::string& path);

}  // namespace flowproof::conformance
