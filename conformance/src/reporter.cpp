// reporter.cpp — the format registry (name -> factory), report files, and the helpers the
// built-in formats share.
#include <flowproof/conformance/reporter.hpp>

#include "reporter_formats.hpp"

#include <flowproof/harness/output_file.hpp>

#include <cmath>
#include <map>
#include <mutex>
#include <string>

namespace flowproof::conformance {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, ReporterFactory, std::less<>> factories;
};

// Function-local, filled with the built-in formats on first use: registration never depends on
// the order of static initialisation, nor on the linker keeping an otherwise unreferenced object.
Registry& registry() {
  static Registry instance;
  static const bool installed = [] {
    instance.factories.emplace("text", make_text_reporter);
    instance.factories.emplace("json", make_json_reporter);
    instance.factories.emplace("junit", make_junit_reporter);
    instance.factories.emplace("markdown", make_markdown_reporter);
    instance.factories.emplace("html", make_html_reporter);
    return true;
  }();
  (void)installed;
  return instance;
}

}  // namespace

void register_reporter(std::string name, ReporterFactory factory) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories.insert_or_assign(std::move(name), std::move(factory));
}

std::unique_ptr<Reporter> make_reporter(std::string_view name, const ReporterOptions& options) {
  Registry& r = registry();
  ReporterFactory factory;
  {
    std::lock_guard lock(r.mutex);
    auto it = r.factories.find(name);
    if (it == r.factories.end()) return nullptr;
    factory = it->second;
  }
  return factory(options);
}

std::vector<std::string> reporter_names() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;  // std::map keeps them sorted
}

void write_report_file(const Reporter& reporter, const Report& report, const std::string& path) {
  harness::write_output_file(path, [&](std::ostream& out) { reporter.write(report, out); });
}

void annotate_report(Report& report, const Plan& plan, const CheckOptions& options) {
  for (const RuleInfo& rule : all_rules()) {
    report.rule_severities[std::string(rule.id)] = effective_severity(rule.id, plan, options);
  }
  report.inapplicable_rules.clear();
  for (const Flow& flow : plan.flows) {
    std::vector<std::string>& rules = report.inapplicable_rules[flow.id];
    if (!flow.aborted && !flow.failed) {
      rules.push_back("FP105");
      rules.push_back("FP106");
    }
    if (!flow.failed) rules.push_back("FP107");
    if (!flow.duration) rules.push_back("FP108");
    if (std::none_of(flow.events.begin(), flow.events.end(),
                     [](const IntermediateEvent& event) { return event.implies.has_value(); })) {
      rules.push_back("FP109");
    }
  }
}

namespace report_detail {

Severity rule_severity(const Report& report, std::string_view rule_id) {
  for (const RuleCount& count : report.rules) {
    if (count.id == rule_id) return count.severity;
  }
  if (auto it = report.rule_severities.find(std::string(rule_id));
      it != report.rule_severities.end()) {
    return it->second;
  }
  const RuleInfo* info = find_rule(rule_id);
  return info ? info->default_severity : Severity::error;
}

bool rule_inapplicable(const Report& report, const std::string& flow, std::string_view rule_id) {
  if (auto it = report.inapplicable_rules.find(flow); it != report.inapplicable_rules.end()) {
    return std::find(it->second.begin(), it->second.end(), rule_id) != it->second.end();
  }
  // Not annotated: the declared terminals (kept with the coverage) still rule some out.
  for (const auto& [id, coverage] : report.coverage) {
    if (id != flow) continue;
    const bool aborted = coverage.terminals.contains("aborted");
    const bool failed = coverage.terminals.contains("failed");
    if (rule_id == "FP105" || rule_id == "FP106") return !aborted && !failed;
    if (rule_id == "FP107") return !failed;
  }
  return false;
}

std::string where(const Violation& violation) {
  if (violation.at.empty()) return "-";
  std::string text = violation.at.front().input + ":" + std::to_string(violation.at.front().line);
  for (std::size_t i = 1; i < violation.at.size(); ++i) {
    const Location& at = violation.at[i];
    text += at.input == violation.at.front().input ? "," + std::to_string(at.line)
                                                   : " " + at.input + ":" + std::to_string(at.line);
  }
  return text;
}

std::string invocation_note(const Report& report, const Violation& violation) {
  if (!violation.invocation) return {};
  std::string text = "(invocation " + *violation.invocation;
  if (auto it = report.invocation_labels.find(*violation.invocation);
      it != report.invocation_labels.end()) {
    text += ", " + it->second;
  }
  return text + ")";
}

std::vector<std::string> coverage_gaps(const FlowCoverage& coverage) {
  std::vector<std::string> gaps;
  for (const auto& [name, seen] : coverage.terminals) {
    if (!seen) gaps.push_back("terminal " + name);
  }
  for (const auto& [name, seen] : coverage.reasons) {
    if (!seen) gaps.push_back("reason " + name);
  }
  for (const auto& [name, seen] : coverage.failure_steps) {
    if (!seen) gaps.push_back("failure step " + name);
  }
  return gaps;
}

std::uint64_t total(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (const auto& [name, count] : counts) sum += count;
  return sum;
}

std::string counts_text(std::uint64_t sum, const std::map<std::string, std::uint64_t>& counts) {
  std::string text = std::to_string(sum);
  std::string detail;
  for (const auto& [name, count] : counts) {
    if (count == 0) continue;
    if (!detail.empty()) detail += ", ";
    detail += (name.empty() ? std::string("(none)") : name) + " " + std::to_string(count);
  }
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

namespace {

bool is_control(unsigned char byte) { return byte < 0x20 || byte == 0x7F; }

// `prefix` and the byte as two upper-case hex digits: \u0001, \xFF.
void append_hex_escape(std::string& out, std::string_view prefix, unsigned char byte) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out += prefix;
  out += hex[byte >> 4];
  out += hex[byte & 0xF];
}

// One byte as printable() shows it.
void append_printable(std::string& out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (is_control(byte)) {
    append_hex_escape(out, "\\u00", byte);
  } else {
    out += c;
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) append_printable(out, c);
  return out;
}

// Escapes text for XML 1.0 (and HTML) content and attributes. Characters XML cannot carry at all
// (controls other than tab/newline/return, U+FFFE/U+FFFF) and bytes that are not UTF-8 become
// visible escapes such as \u0001 or \xFF, so nothing an input contains can make the report
// unreadable.
std::string markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
          out += "&#9;";
          break;
        case '\n':
          out += "&#10;";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          append_printable(out, static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // A multi-byte sequence: copy it when it is well-formed UTF-8 of an XML character.
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (c > 0xF4) length = 0;
    std::uint32_t code = length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    if (valid) {
      valid = !(length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF) ||
                                code == 0xFFFE || code == 0xFFFF)) &&
              !(length == 4 && (code < 0x10000 || code > 0x10FFFF));
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      append_hex_escape(out, "\\x", c);
      ++i;
    }
  }
  return out;
}

// Text for a table cell or inline prose: pipes and backticks escaped, newlines flattened, and
// angle brackets neutralised so an input cannot inject HTML into the rendered comment.
std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        append_printable(out, c);  // not printable(): no string per byte
    }
  }
  return out;
}

std::string plural(std::uint64_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string percent(double ratio) {
  return std::to_string(static_cast<int>(std::floor(ratio * 100.0 + 1e-9))) + "%";
}

}  // namespace report_detail
}  // namespace flowproof::conformance
