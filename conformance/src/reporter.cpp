// reporter.cpp — the format registry (name -> factory), report files, and the helpers the
// built-in formats share.
#include <flowproof/conformance/reporter.hpp>

#include "reporter_formats.hpp"

#include <flowproof/harness/output_file.hpp>

#include <cctype>
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
  if (violation.at.empty()) return "(no location)";  // not "-", the name of standard input
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
  // (An empty key is a key like any other; it is shown as "" rather than as nothing.)
  std::string text =
      "(invocation " + (violation.invocation->empty() ? "\"\"" : *violation.invocation);
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

// `prefix` and `code` as upper-case hex digits, at least `digits` of them: \u0001, \u202E, \xFF.
void append_hex_escape(std::string& out, std::string_view prefix, std::uint32_t code, int digits) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out += prefix;
  int shown = digits;
  while (shown < 8 && (code >> (4 * shown)) != 0) ++shown;
  for (int d = shown - 1; d >= 0; --d) out += hex[(code >> (4 * d)) & 0xF];
}

// Code points that change how text around them reads without being seen: C1 controls, the
// bidirectional embeddings, overrides and isolates (and the marks), the line and paragraph
// separators, and the non-characters U+FFFE/U+FFFF (which XML cannot carry).
bool is_invisible(std::uint32_t code) {
  return (code >= 0x80 && code <= 0x9F) || code == 0x061C || code == 0x200E || code == 0x200F ||
         (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) ||
         code == 0x2028 || code == 0x2029 || code == 0xFFFE || code == 0xFFFF;
}

// Walks text as UTF-8 and writes it for a report, whatever the input holds: an ASCII character
// goes to `ascii(out, text, i)` (the character is text[i]; its neighbours give the context), which
// writes it in the format's own way and returns true, or returns false to have it written as is
// (or, for a control, as \u0001); a well-formed multi-byte
// character is copied unless it is invisible (is_invisible: then \u202E); a byte that is not
// UTF-8 is \xFF. So an input can neither drive a terminal nor disguise or break a document.
template <class Ascii>
std::string escape_text(std::string_view text, Ascii&& ascii) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!ascii(out, text, i)) {
        if (c < 0x20 || c == 0x7F) {
          append_hex_escape(out, "\\u", c, 4);
        } else {
          out += static_cast<char>(c);
        }
      }
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (c > 0xF4) length = 0;
    std::uint32_t code = length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    if (valid) {  // no overlong forms, surrogates or code points past U+10FFFF
      valid = !(length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) &&
              !(length == 4 && (code < 0x10000 || code > 0x10FFFF));
    }
    if (!valid) {
      append_hex_escape(out, "\\x", c, 2);
      ++i;
    } else if (is_invisible(code)) {
      append_hex_escape(out, "\\u", code, 4);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

// The XML/HTML character reference for a markup character, tab, newline or return; null for any
// other character.
const char* xml_entity(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    case '\t':
      return "&#9;";
    case '\n':
      return "&#10;";
    case '\r':
      return "&#13;";
    default:
      return nullptr;
  }
}

}  // namespace

std::string printable(std::string_view text) {
  return escape_text(text, [](std::string&, std::string_view, std::size_t) { return false; });
}

// A JSON string literal of the text, written by escape_text(): a quote and a backslash are
// escaped with a backslash, controls as \u001B, invisible code points as \u202E and bytes that
// are not UTF-8 as \xFF (which JSON lacks, but no UTF-8 text can be confused with).
std::string quoted(std::string_view text) {
  return '"' +
         escape_text(text,
                     [](std::string& out, std::string_view in, std::size_t i) {
                       if (in[i] != '"' && in[i] != '\\') return false;
                       out += '\\';
                       out += in[i];
                       return true;
                     }) +
         '"';
}

// A name from a plan as `plan lint` and plan errors print it: as it is when that cannot be
// misread, else quoted(). Misread: empty, a space at either end, anything printable() would
// change, a quote or backslash, or a character the listings use to separate or annotate items
// (`,` `:` `{` `}` `(` `)` and `->`).
std::string shown(std::string_view text) {
  bool plain = !text.empty() && text.front() != ' ' && text.back() != ' ' &&
               text.find_first_of("\"\\,:{}()") == std::string_view::npos &&
               text.find("->") == std::string_view::npos;
  if (plain) plain = printable(text) == text;
  return plain ? std::string(text) : quoted(text);
}

// Escapes text for XML 1.0 (and HTML) content and attributes: the five markup characters as
// entities, tab, newline and return as character references, and everything else as
// escape_text() writes it.
std::string markup(std::string_view text) {
  return escape_text(text, [](std::string& out, std::string_view in, std::size_t i) {
    const char* entity = xml_entity(in[i]);
    if (entity != nullptr) out += entity;
    return entity != nullptr;
  });
}

// Text for a table cell or inline prose, shown as it is and never rendered: a backslash escapes
// each character that could start a construct inline — code (`), emphasis and strikethrough
// (*, ~, and _ unless inside a word, where it cannot), links and images ([ ]), entities (&), table
// cells (|), GFM's autolinks (the : of "://", any @, the . after "www") and the backslash itself;
// angle brackets are entities (no HTML); newlines become spaces; everything else is written as
// escape_text() writes it. Cells never start a line, so #, - and 1. need nothing.
std::string markdown_cell(std::string_view text) {
  return escape_text(text, [](std::string& out, std::string_view in, std::size_t i) {
    const char c = in[i];
    auto word = [&](std::size_t at) {
      return at < in.size() && std::isalnum(static_cast<unsigned char>(in[at])) != 0;
    };
    bool escape = false;
    switch (c) {
      case '<':
      case '>':
        out += xml_entity(c);
        return true;
      case '\n':
      case '\r':
        out += ' ';
        return true;
      case '\\':
      case '`':
      case '*':
      case '~':
      case '[':
      case ']':
      case '&':
      case '|':
      case '@':
        escape = true;
        break;
      case '_':
        escape = !(i > 0 && word(i - 1) && word(i + 1));
        break;
      case ':':
        escape = in.substr(i + 1, 2) == "//";
        break;
      case '.':
        escape = i > 0 && (in[i - 1] == 'w' || in[i - 1] == 'W');
        break;
      default:
        break;
    }
    if (!escape) return false;
    out += '\\';
    out += c;
    return true;
  });
}

std::string shortened(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

std::string plural(std::uint64_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string percent(double ratio) {
  return std::to_string(static_cast<int>(std::floor(ratio * 100.0 + 1e-9))) + "%";
}

}  // namespace report_detail
}  // namespace flowproof::conformance
