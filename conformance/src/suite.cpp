// suite.cpp — SuiteRecorder: per-test invocations, labels and the JSON Lines + sidecar output.
#include <flowproof/conformance/suite.hpp>

#include <flowproof/harness/output_file.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flowproof::conformance {
namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t hash = 14695981039346656037ull ^ seed;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  harness::write_output_file(path.string(), [&](std::ostream& out) { out << text; });
}

}  // namespace

std::string_view to_string(TestStatus status) {
  switch (status) {
    case TestStatus::passed:
      return "passed";
    case TestStatus::failed:
      return "failed";
    case TestStatus::skipped:
      return "skipped";
  }
  return "unknown";
}

std::string suite_invocation_id(std::string_view label, std::size_t ordinal) {
  const std::string key = std::string(label) + '\n' + std::to_string(ordinal);
  const std::uint64_t high = fnv1a(key, 0x9e3779b97f4a7c15ull);
  const std::uint64_t low = fnv1a(key, 0xc2b2ae3d27d4eb4full);
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(low));
  const std::string h(hex);
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) +
         '-' + h.substr(20, 12);
}

SuiteRecorder::SuiteRecorder(SuiteOptions options) : options_(std::move(options)) {}

SuiteRecorder::~SuiteRecorder() { uninstall(); }

void SuiteRecorder::install() { harness::set_recording_observer(this); }

void SuiteRecorder::uninstall() {
  harness::RecordingObserver* previous = harness::set_recording_observer(nullptr);
  // Someone else's observer was installed after this one: put it back.
  if (previous != nullptr && previous != this) harness::set_recording_observer(previous);
}

bool test_name_matches(std::string_view pattern, std::string_view name) {
  // Iterative wildcard matching with backtracking to the last `*`.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

void SuiteRecorder::begin_test(std::string label) {
  std::lock_guard lock(mutex_);
  excluded_ =
      std::any_of(options_.exclude.begin(), options_.exclude.end(),
                  [&](const std::string& pattern) { return test_name_matches(pattern, label); });
  current_ = std::move(label);
  mapping_.clear();
  ++test_serial_;
}

void SuiteRecorder::end_test(TestStatus status) {
  std::lock_guard lock(mutex_);
  if (!current_.empty()) recording_.tests.emplace_back(current_, status);
  current_.clear();
  excluded_ = false;
  mapping_.clear();
}

void SuiteRecorder::recorded(const harness::RecordingClient& client, const harness::Event& event) {
  nlohmann::json json = harness::to_json(event);
  const nlohmann::json::json_pointer pointer(options_.invocation_pointer);
  std::optional<std::int64_t> sequence;
  if (!options_.sequence_pointer.empty()) {
    const nlohmann::json::json_pointer order(options_.sequence_pointer);
    if (json.contains(order) && json.at(order).is_number_integer()) {
      sequence = json.at(order).get<std::int64_t>();
    }
  }
  std::lock_guard lock(mutex_);
  if (excluded_) return;
  const std::string& label = current_.empty() ? options_.outside_label : current_;
  if (!json.contains(pointer)) {
    recording_.events.push_back(event);
    return;
  }
  const nlohmann::json& original = json.at(pointer);
  const std::string product_id =
      original.is_string() ? original.get<std::string>() : original.dump();
  if (options_.keep_invocation_ids) {
    recording_.labels[product_id] = label;
    recording_.events.push_back(event);
    return;
  }
  auto [it, inserted] = mapping_.try_emplace({&client, product_id});
  Assigned& assigned = it->second;
  // A sequence that does not increase: a new client at a recycled address, a new invocation.
  const bool restarted =
      !inserted && sequence && assigned.last_sequence && *sequence <= *assigned.last_sequence;
  if (inserted || restarted) {
    assigned.id = suite_invocation_id(label, ++ordinals_[label]);
    recording_.labels[assigned.id] = label;
  }
  if (sequence) assigned.last_sequence = sequence;
  json[pointer] = assigned.id;
  recording_.events.push_back(harness::event_from_json(json));
}

SuiteRecording SuiteRecorder::recording() const {
  std::lock_guard lock(mutex_);
  return recording_;
}

std::string labels_json(const SuiteRecording& recording) {
  nlohmann::json tests = nlohmann::json::array();
  for (const auto& [label, status] : recording.tests) {
    tests.push_back({{"test", label}, {"status", std::string(to_string(status))}});
  }
  nlohmann::json out = {
      {"flowproof_labels", 1}, {"labels", recording.labels}, {"tests", std::move(tests)}};
  return out.dump(2) + "\n";
}

void SuiteRecorder::write(const std::filesystem::path& events_path,
                          const std::filesystem::path& labels_path) const {
  const SuiteRecording copy = recording();
  write_atomically(events_path, harness::to_json_lines(copy.events));
  write_atomically(labels_path, labels_json(copy));
}

std::map<std::string, std::string> read_labels_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw std::runtime_error("cannot read the labels file " + path.string() +
                             ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read the labels file " + path.string() + ": " +
                             std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& bad) {
    // nlohmann's message carries the line and column ("... at line 3, column 7: ...").
    throw std::runtime_error("the labels file " + path.string() + " is not JSON: " + bad.what());
  }
  if (!json.is_object()) {
    throw std::runtime_error("the labels file " + path.string() + " is not a JSON object");
  }
  nlohmann::json labels = json;
  if (json.contains("flowproof_labels")) labels = json.value("labels", nlohmann::json::object());
  std::map<std::string, std::string> out;
  for (const auto& [invocation, label] : labels.items()) {
    if (!label.is_string()) {
      throw std::runtime_error("the labels file " + path.string() + ": the label of \"" +
                               invocation + "\" is not a string");
    }
    out[invocation] = label.get<std::string>();
  }
  return out;
}

}  // namespace flowproof::conformance
