// engine.cpp — sequence ordering and the flow rules (see engine.hpp and docs/checker.md).
#include "engine.hpp"

#include "memo.hpp"
#include "normalize.hpp"
#include "regex.hpp"
#include "saturating.hpp"

#include <flowproof/conformance/rules.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

namespace flowproof::conformance::detail {
namespace {

// Invocations remembered per outcome for the coverage matrix ("which tests reached it").
constexpr std::size_t kMaxReachedBy = 20;

constexpr std::array<std::string_view, static_cast<std::size_t>(Rule::count)> kRuleIds = {
    "FP001", "FP002", "FP003", "FP004", "FP005", "FP006", "FP007", "FP008", "FP101", "FP102",
    "FP103", "FP104", "FP105", "FP106", "FP107", "FP108", "FP109", "FP110", "FP201", "FP202"};

std::string json_quoted(std::string_view text) {
  std::string out;
  append_json_string(text, out);
  return out;
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    append_json_string(items[i], out);
  }
  return out + "]";
}

}  // namespace

std::string_view rule_id(Rule rule) { return kRuleIds[static_cast<std::size_t>(rule)]; }

Findings::Findings(const Plan& plan, const CheckOptions& options,
                   const std::vector<std::string>& inputs)
    : inputs_(inputs) {
  for (std::size_t i = 0; i < severity_.size(); ++i) {
    severity_[i] = effective_severity(kRuleIds[i], plan, options);
  }
}

void Findings::add(Rule rule, Violation violation) {
  add(rule, severity(rule), std::move(violation));
}

void Findings::add(Rule rule, Severity severity, Violation violation) {
  if (severity == Severity::off) return;
  violation.rule = std::string(rule_id(rule));
  const RuleInfo* info = find_rule(violation.rule);
  violation.name = info ? std::string(info->name) : std::string();
  violation.severity = severity;
  auto rank = [&](const Location& at) {
    auto found = std::find(inputs_.begin(), inputs_.end(), at.input);
    return std::pair(found - inputs_.begin(), at.line);
  };
  std::stable_sort(violation.at.begin(), violation.at.end(),
                   [&](const Location& a, const Location& b) { return rank(a) < rank(b); });
  violations_.push_back(std::move(violation));
}

std::string Field::display() const { return is_string ? json_quoted(text) : std::string(text); }

struct Engine::Instance {
  int flow = -1;
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  std::int64_t sequence = 0;
  bool has_sequence = false;
  std::int64_t timestamp = 0;
  bool has_timestamp = false;
  struct Implied {
    int intermediate;
    std::uint32_t input;
    std::uint64_t line;
    std::int64_t sequence;
    bool has_sequence;
  };
  std::vector<Implied> implied;
};

struct Engine::Invocation {
  std::int64_t next_sequence = 0;
  // The last event processed, for FP003's second location.
  std::int64_t last_sequence = 0;
  std::uint64_t last_line = 0;
  std::uint32_t last_input = 0;
  bool processed_any = false;
  std::uint64_t ended_low = 0;            ///< per flow < 64: an instance ended, no Started since
  std::vector<std::uint64_t> ended_high;  ///< the same for flows 64 and up
  std::vector<Instance> open;             ///< innermost last
  /// The first value of each invocation constant and where it was seen, packed (see
  /// ConstantCursor); empty until an event of the invocation carries one.
  std::string constants;
  /// Events ahead of a missing sequence number; allocated only while there are some.
  std::unique_ptr<std::multimap<std::int64_t, EventRecord>> buffer;
  struct Compact {
    std::uint32_t input;
    std::uint32_t name;
    std::uint64_t line;
    std::int64_t sequence;
    bool has_sequence;
    std::string step, reason, error_class, duration;  // display forms, empty when absent
  };
  std::vector<Compact> timeline;
};

namespace {

// Invocation::constants holds, per constant in plan order, one state byte and, when present,
// the input (4 bytes), the line (8), whether it has a sequence (1) and the sequence (8), the text's
// length (4) and the text: where the first value was seen, for FP007's `at`. A string equal to the
// invocation's key (the key is often a constant too) is stored as kSameAsKey without its text.
enum ConstantState : char { kAbsent = 0, kString = 1, kOther = 2, kSameAsKey = 3 };

struct StoredConstant {
  ConstantState state = kAbsent;
  std::size_t origin = 0;  ///< where its input, line and sequence are (read only for a finding)
  std::string_view text;
  std::size_t begin = 0, end = 0;  ///< its bytes in the packed string
};

// A stored constant's input (4 bytes), line (8), whether it has a sequence (1) and sequence (8).
constexpr std::size_t kOriginSize = 4 + 8 + 1 + 8;

template <typename T>
T load(const std::string& packed, std::size_t& at) {
  T value;
  std::memcpy(&value, packed.data() + at, sizeof value);
  at += sizeof value;
  return value;
}

template <typename T>
void store(std::string& packed, T value) {
  packed.append(reinterpret_cast<const char*>(&value), sizeof value);
}

StoredConstant read_constant(const std::string& packed, std::size_t& at, std::string_view key) {
  StoredConstant out;
  out.begin = at;
  out.state = static_cast<ConstantState>(packed[at++]);
  if (out.state != kAbsent) {
    out.origin = at;
    at += kOriginSize;
    auto size = load<std::uint32_t>(packed, at);
    out.text = out.state == kSameAsKey ? key : std::string_view(packed.data() + at, size);
    at += size;
  }
  out.end = at;
  return out;
}

void write_constant(std::string& packed, const Field& value, const EventRecord& record,
                    std::string_view key) {
  bool same = value.is_string && value.text == key;
  packed.push_back(same ? kSameAsKey : value.is_string ? kString : kOther);
  store<std::uint32_t>(packed, record.input);
  store<std::uint64_t>(packed, record.line);
  store<std::uint8_t>(packed, record.has_sequence ? 1 : 0);
  store<std::int64_t>(packed, record.sequence);
  store<std::uint32_t>(packed, same ? 0 : static_cast<std::uint32_t>(value.text.size()));
  if (!same) packed.append(value.text);
}

std::string display(const StoredConstant& constant) {
  std::string out;
  if (constant.state == kOther) return std::string(constant.text);
  append_json_string(constant.text, out);
  return out;
}

constexpr std::size_t kKeyBlock = 1 << 20;

}  // namespace

Engine::Engine(const Plan& plan, const CheckOptions& options, Findings& findings,
               const std::vector<std::string>& inputs)
    : plan_(plan),
      options_(options),
      findings_(findings),
      inputs_(inputs),
      ordered_(plan.invocation.order.has_value()) {
  implied_properties_.resize(plan.flows.size());
  tallies_.resize(plan.flows.size());
  for (std::size_t f = 0; f < plan.flows.size(); ++f) {
    const Flow& flow = plan.flows[f];
    std::set<std::string> names;
    for (const auto& event : flow.events) {
      if (!event.implies) continue;
      for (const auto& [key, value] : event.implies->properties.items()) names.insert(key);
    }
    implied_properties_[f].assign(names.begin(), names.end());
    tallies_[f].reasons_seen.assign(flow.reasons.size(), false);
    tallies_[f].steps_failed.assign(flow.steps.size(), false);
  }
}

Engine::~Engine() = default;

std::int64_t Engine::find(std::string_view key) const {
  return find(key, static_cast<std::uint32_t>(KeyHash{}(key)));
}

std::int64_t Engine::find(std::string_view key, std::uint32_t tag) const {
  if (index_.empty()) return -1;
  std::size_t mask = index_.size() - 1;
  for (std::size_t slot = tag & mask;; slot = (slot + 1) & mask) {
    const auto& [entry, entry_tag] = index_[slot];
    if (entry == 0) return -1;
    if (entry_tag == tag && keys_[entry - 1] == key) return entry - 1;
  }
}

void Engine::grow_index() {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> old;
  old.swap(index_);
  index_.assign(old.empty() ? 1024 : old.size() * 2, {0, 0});
  occupied_.assign(index_.size() / 64, 0);
  std::size_t mask = index_.size() - 1;
  for (const auto& [entry, tag] : old) {
    if (entry == 0) continue;
    std::size_t slot = tag & mask;  // the tag holds the bits the slot is taken from
    while (index_[slot].first != 0) slot = (slot + 1) & mask;
    index_[slot] = {entry, tag};
    occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
  }
}

std::uint32_t Engine::intern(std::string_view key) {
  const auto tag = static_cast<std::uint32_t>(KeyHash{}(key));
  // The index of a long stream is too large for the cache, and most look-ups would miss it: the
  // invocations open now (interleaved, they take turns) are found in `recent_`, and a key never
  // seen usually starts at an empty slot, which `occupied_` (a bit a slot) tells without the index.
  auto& recent = recent_[(tag >> 16) % recent_.size()];
  if (recent.first != 0 && recent.second == tag && keys_[recent.first - 1] == key) {
    return recent.first - 1;
  }
  if (const std::size_t first = tag & (index_.size() - 1);
      !index_.empty() && (occupied_[first / 64] >> (first % 64) & 1) != 0) {
    if (std::int64_t found = find(key, tag); found >= 0) {
      recent = {static_cast<std::uint32_t>(found) + 1, tag};
      return static_cast<std::uint32_t>(found);
    }
  }
  if (keys_.size() >= options_.limits.max_open_invocations) {
    throw InputError("more than " + std::to_string(options_.limits.max_open_invocations) +
                     " invocations (Limits::max_open_invocations)");
  }
  auto index = static_cast<std::uint32_t>(keys_.size());
  // The key's bytes go to the current block, or a new one (a key longer than a block gets its
  // own). The first key opens the first block, even an empty one.
  if (key_blocks_.empty() || key.size() > key_block_size_ - key_block_used_) {
    key_block_size_ = std::max(kKeyBlock, key.size());
    key_blocks_.push_back(std::make_unique<char[]>(key_block_size_));
    key_block_used_ = 0;
  }
  char* bytes = key_blocks_.back().get() + key_block_used_;
  if (!key.empty()) std::memcpy(bytes, key.data(), key.size());
  key_block_used_ += key.size();
  keys_.emplace_back(bytes, key.size());
  // Keep the index at most half full.
  if ((keys_.size()) * 2 > index_.size()) grow_index();
  std::size_t mask = index_.size() - 1;
  std::size_t slot = tag & mask;
  while (index_[slot].first != 0) slot = (slot + 1) & mask;
  index_[slot] = {index + 1, tag};
  occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
  recent = {index + 1, tag};
  Invocation& invocation = invocations_.emplace_back();
  invocation.next_sequence = plan_.invocation.sequence_start;
  return index;
}

bool Engine::ended(const Invocation& invocation, int flow) const {
  auto f = static_cast<std::size_t>(flow);
  if (f < 64) return (invocation.ended_low >> f) & 1u;
  std::size_t word = f / 64 - 1;
  return word < invocation.ended_high.size() && ((invocation.ended_high[word] >> (f % 64)) & 1u);
}

void Engine::set_ended(Invocation& invocation, int flow, bool value) {
  auto f = static_cast<std::size_t>(flow);
  std::uint64_t* word = &invocation.ended_low;
  if (f >= 64) {
    std::size_t high = f / 64 - 1;
    if (high >= invocation.ended_high.size()) {
      if (!value) return;
      invocation.ended_high.resize(high + 1, 0);
    }
    word = &invocation.ended_high[high];
  }
  std::uint64_t bit = std::uint64_t{1} << (f % 64);
  *word = value ? (*word | bit) : (*word & ~bit);
}

Location Engine::location(std::uint32_t input, std::uint64_t line, bool has_sequence,
                          std::int64_t sequence) const {
  Location at;
  at.input = inputs_[input];
  at.line = line;
  if (has_sequence) at.sequence = sequence;
  return at;
}

Location Engine::location(const EventRecord& record) const {
  return location(record.input, record.line, record.has_sequence, record.sequence);
}

Violation Engine::violation(const EventRecord& record, int flow) const {
  Violation v;
  v.invocation = std::string(keys_[record.invocation]);
  if (flow >= 0) v.flow = plan_.flows[static_cast<std::size_t>(flow)].id;
  v.event = record.name;
  v.at.push_back(location(record));
  return v;
}

std::string Engine::where(const EventRecord& record) const {
  return record.has_sequence ? "sequence " + std::to_string(record.sequence)
                             : "line " + std::to_string(record.line);
}

void Engine::add(EventRecord& record) {
  Invocation& invocation = invocations_[record.invocation];
  if (!ordered_) {
    process(invocation, record);
    return;
  }
  if (record.sequence == invocation.next_sequence) {
    process(invocation, record);
    ++invocation.next_sequence;
    drain_ready(invocation);
  } else if (record.sequence < invocation.next_sequence) {
    // Its place in the order has passed: a duplicate (or a number below sequence_start).
    if (record.sequence < plan_.invocation.sequence_start) {
      Violation v = violation(record, record.role ? record.role->flow : -1);
      v.message = "sequence " + std::to_string(record.sequence) + " is below sequence_start " +
                  std::to_string(plan_.invocation.sequence_start);
      findings_.add(Rule::fp004, std::move(v));
    } else {
      findings_.add(Rule::fp003, duplicate(invocation, record));
    }
    process(invocation, record);
  } else {
    if (!invocation.buffer) {
      invocation.buffer = std::make_unique<std::multimap<std::int64_t, EventRecord>>();
    }
    // The record waits beyond this event's document: its texts are copied.
    invocation.buffer->emplace(record.sequence, record)->second.keep();
  }
}

// FP003 for a record whose sequence was processed before; `at` names the first too when it is the
// last one processed (arriving in order, or drained from the buffer).
Violation Engine::duplicate(const Invocation& invocation, const EventRecord& record) const {
  Violation v = violation(record, record.role ? record.role->flow : -1);
  if (invocation.processed_any && invocation.last_sequence == record.sequence) {
    v.at.push_back(
        location(invocation.last_input, invocation.last_line, true, invocation.last_sequence));
  }
  v.message = "sequence " + std::to_string(record.sequence) + " occurs more than once";
  return v;
}

void Engine::drain_ready(Invocation& invocation) {
  while (invocation.buffer) {
    if (invocation.buffer->empty()) {
      invocation.buffer.reset();  // nothing waits: give the memory back
      return;
    }
    auto first = invocation.buffer->begin();
    if (first->first > invocation.next_sequence) return;
    EventRecord record = std::move(first->second);
    invocation.buffer->erase(first);
    if (record.sequence == invocation.next_sequence) {
      ++invocation.next_sequence;
    } else {
      findings_.add(Rule::fp003, duplicate(invocation, record));
    }
    process(invocation, record);
  }
}

void Engine::finish() {
  for (std::size_t i = 0; i < invocations_.size(); ++i) {
    Invocation& invocation = invocations_[i];
    while (invocation.buffer && !invocation.buffer->empty()) {
      auto first = invocation.buffer->begin();
      EventRecord& record = first->second;
      if (record.sequence > invocation.next_sequence) {
        Violation v = violation(record, record.role ? record.role->flow : -1);
        std::int64_t missing = record.sequence - invocation.next_sequence;
        if (!invocation.processed_any &&
            invocation.next_sequence == plan_.invocation.sequence_start) {
          v.message = "invocation begins at sequence " + std::to_string(record.sequence) +
                      ", not at sequence_start " + std::to_string(invocation.next_sequence);
        } else if (missing == 1) {
          v.message = "sequence " + std::to_string(invocation.next_sequence) +
                      " never arrived (the sequence skips from " +
                      std::to_string(invocation.next_sequence - 1) + " to " +
                      std::to_string(record.sequence) + ")";
        } else {
          v.message = "sequences " + std::to_string(invocation.next_sequence) + " to " +
                      std::to_string(record.sequence - 1) + " never arrived";
        }
        findings_.add(Rule::fp004, std::move(v));
        invocation.next_sequence = record.sequence;
      }
      drain_ready(invocation);
    }
    // Whatever is still open never ended: innermost first.
    while (!invocation.open.empty()) {
      const Instance& instance = invocation.open.back();
      const Flow& flow = plan_.flows[static_cast<std::size_t>(instance.flow)];
      Violation v;
      v.invocation = std::string(keys_[i]);
      v.flow = flow.id;
      v.event = flow.started.name;
      v.at.push_back(
          location(instance.input, instance.line, instance.has_sequence, instance.sequence));
      v.message = flow.id + " started at " +
                  (instance.has_sequence ? "sequence " + std::to_string(instance.sequence)
                                         : "line " + std::to_string(instance.line)) +
                  " never ended";
      findings_.add(Rule::fp103, std::move(v));
      ++tallies_[static_cast<std::size_t>(instance.flow)].outcomes.open;
      invocation.open.pop_back();
    }
  }
}

void Engine::process(Invocation& invocation, const EventRecord& record) {
  invocation.processed_any = true;
  invocation.last_sequence = record.sequence;
  invocation.last_input = record.input;
  invocation.last_line = record.line;

  if (options_.keep_timelines) {
    auto found = name_index_.find(record.name);
    std::uint32_t name = 0;
    if (found == name_index_.end()) {
      name = static_cast<std::uint32_t>(names_.size());
      names_.push_back(record.name);
      name_index_.emplace(record.name, name);
    } else {
      name = found->second;
    }
    Invocation::Compact entry{
        record.input, name, record.line, record.sequence, record.has_sequence, {}, {}, {}, {}};
    if (record.step.present) entry.step = record.step.display();
    if (record.reason.present) entry.reason = record.reason.display();
    if (record.error_class.present) entry.error_class = record.error_class.display();
    if (record.duration.present) entry.duration = record.duration.display();
    invocation.timeline.push_back(std::move(entry));
  }

  // FP007: invocation-constant properties keep their first value.
  if (!record.constants.empty()) {
    std::string_view key = keys_[record.invocation];
    if (invocation.constants.empty()) invocation.constants.assign(record.constants.size(), kAbsent);
    std::size_t at = 0;
    for (std::size_t c = 0; c < record.constants.size(); ++c) {
      StoredConstant first = read_constant(invocation.constants, at, key);
      const Field& value = record.constants[c];
      if (!value.present) continue;
      if (first.state == kAbsent) {
        std::string& entry = constant_scratch_;
        entry.clear();
        write_constant(entry, value, record, key);
        invocation.constants.replace(first.begin, first.end - first.begin, entry);
        at = first.begin + entry.size();
      } else if (first.text != value.text || (first.state != kOther) != value.is_string) {
        Violation v = violation(record, record.role ? record.role->flow : -1);
        std::size_t origin = first.origin;
        const auto input = load<std::uint32_t>(invocation.constants, origin);
        const auto line = load<std::uint64_t>(invocation.constants, origin);
        const bool has_sequence = load<std::uint8_t>(invocation.constants, origin) != 0;
        v.at.push_back(
            location(input, line, has_sequence, load<std::int64_t>(invocation.constants, origin)));
        v.message = plan_.invocation_constant[c] + " changed from " + display(first) + " to " +
                    value.display() + " within one invocation";
        findings_.add(Rule::fp007, std::move(v));
      }
    }
  }

  const EventRole* role = record.role;
  if (role == nullptr) return;
  switch (role->kind) {
    case EventRole::Kind::started:
      started(invocation, record, role->flow);
      break;
    case EventRole::Kind::completed:
      terminal(invocation, record, role->flow, TerminalKind::completed);
      break;
    case EventRole::Kind::aborted:
      terminal(invocation, record, role->flow, TerminalKind::aborted);
      break;
    case EventRole::Kind::failed:
      terminal(invocation, record, role->flow, TerminalKind::failed);
      break;
    case EventRole::Kind::intermediate:
      intermediate(invocation, record, role->flow, role->index);
      break;
    case EventRole::Kind::standalone:
      break;
  }
}

void Engine::close_nested(Invocation& invocation, std::size_t keep, const EventRecord& closer) {
  while (invocation.open.size() > keep) {
    const Instance& instance = invocation.open.back();
    const Flow& flow = plan_.flows[static_cast<std::size_t>(instance.flow)];
    Violation v;
    v.invocation = std::string(keys_[closer.invocation]);
    v.flow = flow.id;
    v.event = flow.started.name;
    v.at.push_back(
        location(instance.input, instance.line, instance.has_sequence, instance.sequence));
    v.message = flow.id + " started at " +
                (instance.has_sequence ? "sequence " + std::to_string(instance.sequence)
                                       : "line " + std::to_string(instance.line)) +
                " never ended (" + closer.name + " at " + where(closer) + " closed its container)";
    findings_.add(Rule::fp103, std::move(v));
    ++tallies_[static_cast<std::size_t>(instance.flow)].outcomes.open;
    invocation.open.pop_back();
  }
}

void Engine::started(Invocation& invocation, const EventRecord& record, int flow_index) {
  const Flow& flow = plan_.flows[static_cast<std::size_t>(flow_index)];
  // FP102: the same flow is already open; the earlier instance is replaced (its nested instances
  // are closed as by a terminal).
  for (std::size_t i = invocation.open.size(); i-- > 0;) {
    if (invocation.open[i].flow != flow_index) continue;
    const Instance& earlier = invocation.open[i];
    Violation v = violation(record, flow_index);
    v.at.push_back(location(earlier.input, earlier.line, earlier.has_sequence, earlier.sequence));
    v.message = flow.id + " started again at " + where(record) + " while the instance started at " +
                (earlier.has_sequence ? "sequence " + std::to_string(earlier.sequence)
                                      : "line " + std::to_string(earlier.line)) +
                " was still open";
    findings_.add(Rule::fp102, std::move(v));
    close_nested(invocation, i + 1, record);
    ++tallies_[static_cast<std::size_t>(flow_index)].outcomes.open;
    invocation.open.pop_back();
    break;
  }
  // FP110: the innermost open instance must list this flow in `contains`.
  if (!invocation.open.empty()) {
    const Flow& outer = plan_.flows[static_cast<std::size_t>(invocation.open.back().flow)];
    if (std::find(outer.contains.begin(), outer.contains.end(), flow.id) == outer.contains.end()) {
      Violation v = violation(record, flow_index);
      const Instance& container = invocation.open.back();
      v.at.push_back(
          location(container.input, container.line, container.has_sequence, container.sequence));
      v.message = flow.id + " started at " + where(record) + " inside an open " + outer.id +
                  " instance, which does not list it in contains";
      findings_.add(Rule::fp110, std::move(v));
    }
  }
  Instance instance;
  instance.flow = flow_index;
  instance.input = record.input;
  instance.line = record.line;
  instance.sequence = record.sequence;
  instance.has_sequence = record.has_sequence;
  instance.timestamp = record.timestamp;
  instance.has_timestamp = record.has_timestamp;
  if (invocation.open.capacity() == 0 && !spare_stacks_.empty()) {
    invocation.open.swap(spare_stacks_.back());
    spare_stacks_.pop_back();
  }
  invocation.open.push_back(std::move(instance));
  set_ended(invocation, flow_index, false);
  ++instances_;
  ++tallies_[static_cast<std::size_t>(flow_index)].outcomes.instances;
}

void Engine::intermediate(Invocation& invocation, const EventRecord& record, int flow_index,
                          int index) {
  const Flow& flow = plan_.flows[static_cast<std::size_t>(flow_index)];
  for (std::size_t i = invocation.open.size(); i-- > 0;) {
    Instance& instance = invocation.open[i];
    if (instance.flow != flow_index) continue;
    if (flow.events[static_cast<std::size_t>(index)].implies) {
      instance.implied.push_back(
          {index, record.input, record.line, record.sequence, record.has_sequence});
    }
    return;
  }
  Violation v = violation(record, flow_index);
  v.message =
      record.name + " at " + where(record) + " occurred while no " + flow.id + " instance was open";
  findings_.add(Rule::fp101, std::move(v));
}

void Engine::terminal(Invocation& invocation, const EventRecord& record, int flow_index,
                      TerminalKind kind) {
  const Flow& flow = plan_.flows[static_cast<std::size_t>(flow_index)];
  std::size_t position = invocation.open.size();
  for (std::size_t i = invocation.open.size(); i-- > 0;) {
    if (invocation.open[i].flow == flow_index) {
      position = i;
      break;
    }
  }
  if (position == invocation.open.size()) {
    // An orphan: FP104 when an instance of this flow ended earlier, FP101 otherwise.
    Violation v = violation(record, flow_index);
    if (ended(invocation, flow_index)) {
      v.message = record.name + " at " + where(record) + " is a second terminal for a " + flow.id +
                  " instance that had already ended";
      findings_.add(Rule::fp104, std::move(v));
    } else {
      v.message = record.name + " at " + where(record) + " occurred while no " + flow.id +
                  " instance was open";
      findings_.add(Rule::fp101, std::move(v));
    }
    check_terminal(Instance{}, record, flow_index, kind, false);
    return;
  }
  close_nested(invocation, position + 1, record);
  Instance instance = std::move(invocation.open.back());
  invocation.open.pop_back();
  check_terminal(instance, record, flow_index, kind, true);
  set_ended(invocation, flow_index, true);
  if (invocation.open.empty()) {  // released to the spares, so an idle invocation holds nothing
    spare_stacks_.emplace_back();
    spare_stacks_.back().swap(invocation.open);
  }

  FlowTally& tally = tallies_[static_cast<std::size_t>(flow_index)];
  // The terminal's detail: the reason of an Aborted, the step of a Failed. A missing or
  // non-string one is counted under "" in the outcomes, but covers no declared one (not even a
  // declared "") and reaches the bare kind in the coverage matrix.
  static constexpr std::string_view kNone;
  const Field* detail = kind == TerminalKind::aborted  ? &record.reason
                        : kind == TerminalKind::failed ? &record.step
                                                       : nullptr;
  const bool has_detail = detail != nullptr && detail->present && detail->is_string;
  const std::string_view text = has_detail ? detail->text : kNone;
  // Where this outcome's tallies live: found among the outcomes met before (a short list, most
  // flows have a handful), or looked up in the maps and remembered.
  const FlowTally::SeenOutcome* seen = nullptr;
  for (const FlowTally::SeenOutcome& candidate : tally.seen_outcomes) {
    if (candidate.kind == kind && candidate.has_detail == has_detail &&
        same_text(candidate.detail, text)) {
      seen = &candidate;
      break;
    }
  }
  FlowTally::SeenOutcome looked_up;
  if (seen == nullptr) {
    looked_up = outcome_tallies(tally, flow, kind, has_detail, text);
    if (tally.seen_outcomes.size() < FlowTally::kMaxSeenOutcomes) {
      seen = &tally.seen_outcomes.emplace_back(std::move(looked_up));
    } else {
      seen = &looked_up;  // many distinct outcomes: the maps answer each
    }
  }
  // Which invocations reached each outcome (the first few), for the coverage matrix.
  std::vector<std::uint32_t>& reached = *seen->reached;
  const std::uint32_t index = record.invocation;
  if (reached.size() <= kMaxReachedBy &&  // one more than is listed: the list is cut
      std::find(reached.begin(), reached.end(), index) == reached.end()) {
    reached.push_back(index);
  }
  ++*seen->count;
  if (seen->declared >= 0) {
    std::vector<bool>& observed =
        kind == TerminalKind::aborted ? tally.reasons_seen : tally.steps_failed;
    observed[static_cast<std::size_t>(seen->declared)] = true;
  }
}

// The tallies an outcome counts in: its list in reached_by ("aborted:R" / "failed:S", or the bare
// kind), its count in the outcomes (under "" for a missing or non-string detail), and the
// declared reason or step it covers (none for a missing detail, not even a declared "").
FlowTally::SeenOutcome Engine::outcome_tallies(FlowTally& tally, const Flow& flow,
                                               TerminalKind kind, bool has_detail,
                                               std::string_view text) {
  FlowTally::SeenOutcome out;
  out.kind = kind;
  out.has_detail = has_detail;
  out.detail = text;
  std::string outcome(to_string(kind));
  if (has_detail) {
    outcome += ':';
    outcome += text;
  }
  out.reached = &tally.reached_by[outcome];
  auto declared_index = [&](const std::vector<std::string>& declared) {
    auto found = std::find(declared.begin(), declared.end(), text);
    return has_detail && found != declared.end() ? static_cast<int>(found - declared.begin()) : -1;
  };
  switch (kind) {
    case TerminalKind::completed:
      out.count = &tally.outcomes.completed;
      break;
    case TerminalKind::aborted:
      out.count = &tally.outcomes.aborted[std::string(text)];
      out.declared = declared_index(flow.reasons);
      break;
    case TerminalKind::failed:
      out.count = &tally.outcomes.failed[std::string(text)];
      out.declared = declared_index(flow.steps);
      break;
  }
  return out;
}

void Engine::check_terminal(const Instance& instance, const EventRecord& record, int flow_index,
                            TerminalKind kind, bool has_instance) {
  const Flow& flow = plan_.flows[static_cast<std::size_t>(flow_index)];
  auto report = [&](Rule rule, std::string message) {
    Violation v = violation(record, flow_index);
    v.message = std::move(message);
    findings_.add(rule, std::move(v));
  };
  // FP105: Aborted and Failed name a declared step.
  if (kind != TerminalKind::completed && findings_.on(Rule::fp105)) {
    if (!record.step.present) {
      report(Rule::fp105, record.name + " has no " + flow.step_property);
    } else if (!record.step.is_string || std::find(flow.steps.begin(), flow.steps.end(),
                                                   record.step.text) == flow.steps.end()) {
      report(Rule::fp105, flow.step_property + " " + record.step.display() + " is not one of " +
                              flow.id + "'s steps " + list(flow.steps));
    }
  }
  // FP106: Aborted carries a declared reason; Completed and Failed carry none.
  if (findings_.on(Rule::fp106)) {
    if (kind == TerminalKind::aborted) {
      if (!record.reason.present) {
        if (flow.reason_required)
          report(Rule::fp106, record.name + " has no " + flow.reason_property);
      } else if (!record.reason.is_string || std::find(flow.reasons.begin(), flow.reasons.end(),
                                                       record.reason.text) == flow.reasons.end()) {
        report(Rule::fp106, flow.reason_property + " " + record.reason.display() +
                                " is not one of " + flow.id + "'s reasons " + list(flow.reasons));
      }
    } else if (record.reason.present) {
      report(Rule::fp106, record.name + " carries a " + flow.reason_property + " (" +
                              record.reason.display() + "); only an Aborted may");
    }
  }
  // FP107: Failed carries an error class that matches the expression in full.
  if (kind == TerminalKind::failed && findings_.on(Rule::fp107)) {
    if (!record.error_class.present) {
      report(Rule::fp107, record.name + " has no " + flow.error_property);
    } else if (!record.error_class.is_string ||
               (flow.error_class && !flow.error_class->full_match(record.error_class.text))) {
      report(Rule::fp107, flow.error_property + " " + record.error_class.display() +
                              " does not match " + flow.error_class_pattern);
    }
  }
  // FP108: the duration is present where required, a sane integer, and fits the span.
  if (flow.duration && findings_.on(Rule::fp108)) {
    const DurationRule& rule = *flow.duration;
    if (!record.duration.present) {
      if (rule.required_on(kind)) report(Rule::fp108, record.name + " has no " + rule.property);
    } else if (!record.duration_is_integer || record.duration_ms < 0) {
      report(Rule::fp108,
             rule.property + " " + record.duration.display() + " is not a non-negative integer");
    } else if (record.duration_ms > rule.max_ms) {
      report(Rule::fp108, rule.property + " " + record.duration.display() + " exceeds max_ms " +
                              std::to_string(rule.max_ms));
    } else if (has_instance && instance.has_timestamp && record.has_timestamp) {
      // Saturating: a tolerance up to INT64_MAX ("no limit") never wraps to a negative bound.
      const std::int64_t span = saturating_sub(record.timestamp, instance.timestamp);
      if (record.duration_ms > saturating_add(span, rule.tolerance_ms)) {
        report(Rule::fp108, rule.property + " " + std::to_string(record.duration_ms) +
                                " exceeds the " + std::to_string(span) +
                                " ms between Started and " + record.name + " by more than " +
                                std::to_string(rule.tolerance_ms) + " ms");
      }
    }
  }
  // FP109: every implication recorded in the instance holds for this terminal.
  if (has_instance && !instance.implied.empty() && findings_.on(Rule::fp109)) {
    const auto& names = implied_properties_[static_cast<std::size_t>(flow_index)];
    for (const auto& mark : instance.implied) {
      const IntermediateEvent& event = flow.events[static_cast<std::size_t>(mark.intermediate)];
      const Implication& implies = *event.implies;
      std::vector<std::string> broken;
      if (implies.terminal != kind) {
        broken.push_back("a terminal of kind " + std::string(to_string(implies.terminal)) +
                         ", not " + std::string(to_string(kind)));
      }
      for (const auto& [key, value] : implies.properties.items()) {
        auto at = std::find(names.begin(), names.end(), key) - names.begin();
        const Field* got = static_cast<std::size_t>(at) < record.implied.size()
                               ? &record.implied[static_cast<std::size_t>(at)]
                               : nullptr;
        std::string want = canonical(value);
        std::string have;
        if (got && got->present) have = got->display();
        if (have != want) {
          broken.push_back(key + " " + want + " (got " + (have.empty() ? "none" : have) + ")");
        }
      }
      if (broken.empty()) continue;
      Violation v = violation(record, flow_index);
      v.at.push_back(location(mark.input, mark.line, mark.has_sequence, mark.sequence));
      std::string message = event.name + " implies ";
      for (std::size_t i = 0; i < broken.size(); ++i) message += (i ? ", " : "") + broken[i];
      v.message = message + "; the instance ended with " + record.name;
      findings_.add(Rule::fp109, std::move(v));
    }
  }
}

void Engine::outcome_invocations(
    std::map<std::string, std::map<std::string, std::vector<std::string>>>& listed,
    std::map<std::string, std::set<std::string>>& cut) const {
  listed.clear();
  cut.clear();
  for (std::size_t f = 0; f < tallies_.size() && f < plan_.flows.size(); ++f) {
    auto& flow = listed[plan_.flows[f].id];
    for (const auto& [outcome, indices] : tallies_[f].reached_by) {
      auto& keys = flow[outcome];
      // One more than is listed is kept to tell a full list from a cut one.
      for (std::size_t i = 0; i < indices.size() && i < kMaxReachedBy; ++i) {
        keys.emplace_back(keys_[indices[i]]);
      }
      if (indices.size() > kMaxReachedBy) cut[plan_.flows[f].id].insert(outcome);
    }
  }
}

std::map<std::string, std::vector<TimelineEntry>> Engine::timelines(
    const std::vector<Violation>& violations, std::size_t limit) const {
  std::map<std::string, std::vector<TimelineEntry>> out;
  if (!options_.keep_timelines) return out;
  for (const Violation& v : violations) {
    if (out.size() >= limit) break;
    if (!v.invocation || out.count(*v.invocation)) continue;
    std::int64_t found = find(*v.invocation);
    if (found < 0) continue;
    std::vector<TimelineEntry> entries;
    for (const auto& compact : invocations_[static_cast<std::size_t>(found)].timeline) {
      TimelineEntry entry;
      entry.at = location(compact.input, compact.line, compact.has_sequence, compact.sequence);
      entry.event = names_[compact.name];
      auto put = [&](const char* key, const std::string& display) {
        if (!display.empty()) entry.properties[key] = nlohmann::json::parse(display);
      };
      put("step", compact.step);
      put("reason", compact.reason);
      put("error_class", compact.error_class);
      put("duration", compact.duration);
      entries.push_back(std::move(entry));
    }
    out.emplace(*v.invocation, std::move(entries));
  }
  return out;
}

}  // namespace flowproof::conformance::detail
