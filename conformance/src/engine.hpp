// engine.hpp (internal) — the rule engine: per-invocation state, sequence ordering with a reorder
// buffer only for events that arrive ahead of a missing sequence number, and the flow rules
// (FP003/FP004, FP007, FP101-FP110). The checker hands it one small owned record per event.
//
//   Findings findings(plan, options, inputs);     // inputs: names in the order read
//   Engine engine(plan, options, findings);
//   EventRecord& record = engine.scratch();        // fill, then:
//   engine.add(record);
//   engine.finish();                                // drains buffers, closes open instances
#pragma once

#include "memo.hpp"

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/report.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flowproof::conformance::detail {

/// The rules the checker evaluates, in id order.
enum class Rule : std::uint8_t {
  fp001,
  fp002,
  fp003,
  fp004,
  fp005,
  fp006,
  fp007,
  fp008,
  fp101,
  fp102,
  fp103,
  fp104,
  fp105,
  fp106,
  fp107,
  fp108,
  fp109,
  fp110,
  fp201,
  fp202,
  count
};
/// "FP103" for Rule::fp103.
std::string_view rule_id(Rule rule);

/// Effective severities and the violations found so far.
class Findings {
 public:
  /// Severity: the rule's default, then the plan's `rules`, then require_coverage, then the
  /// options' overrides.
  Findings(const Plan& plan, const CheckOptions& options, const std::vector<std::string>& inputs);
  Severity severity(Rule rule) const { return severity_[static_cast<std::size_t>(rule)]; }
  bool on(Rule rule) const { return severity(rule) != Severity::off; }
  /// Records a violation of `rule` (dropped when the rule is off); fills rule, name, severity.
  void add(Rule rule, Violation violation);
  /// Records a violation at a given severity (the min_coverage finding).
  void add(Rule rule, Severity severity, Violation violation);
  std::vector<Violation>& violations() { return violations_; }

 private:
  std::array<Severity, static_cast<std::size_t>(Rule::count)> severity_{};
  std::vector<Violation> violations_;
  const std::vector<std::string>& inputs_;
};

/// A property value carried by an event: a string's text, or the canonical JSON of anything else.
/// A string's text is a view into the event's document while the event is read (no copy per
/// event); keep() copies it into the field before the record outlives the document (the reorder
/// buffer). Copies and moves keep a kept text pointing at their own copy.
struct Field {
  bool present = false;
  bool is_string = false;
  std::string_view text;

  Field() = default;
  Field(const Field& other) { *this = other; }
  Field(Field&& other) noexcept { *this = std::move(other); }
  Field& operator=(const Field& other) {
    if (this == &other) return *this;
    present = other.present;
    is_string = other.is_string;
    if (other.kept()) {
      own_ = other.own_;
      text = own_;
    } else {
      text = other.text;  // a view into the document; `other`'s own text is stale, not copied
    }
    return *this;
  }
  Field& operator=(Field&& other) noexcept {
    if (this == &other) return *this;
    present = other.present;
    is_string = other.is_string;
    const bool was_kept = other.kept();
    own_ = std::move(other.own_);
    text = was_kept ? std::string_view(own_) : other.text;
    other.text = {};  // it may have pointed at the text just moved away
    return *this;
  }

  void clear() {
    present = false;
    is_string = false;
    text = {};
  }
  /// A string value: `value` must outlive the use of the record, or be kept.
  void set_string(std::string_view value) {
    present = true;
    is_string = true;
    text = value;
  }
  /// A value of any other type: its canonical JSON, written into `write` (the field's own text).
  template <typename Write>
  void set_other(Write&& write) {
    present = true;
    is_string = false;
    own_.clear();
    write(own_);
    text = own_;
  }
  /// Makes the text the field's own (a copy), so the field outlives the event's document.
  void keep() {
    if (kept()) return;
    own_.assign(text);
    text = own_;
  }
  /// The value as JSON for messages ("\"free\"", "120").
  std::string display() const;

 private:
  bool kept() const { return text.data() == own_.data(); }
  std::string own_;
};

/// What the engine needs of one event; everything else was checked when it was read.
struct EventRecord {
  const EventRole* role = nullptr;  ///< null for an event the plan does not declare
  std::string name;
  std::uint32_t invocation = 0;
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  std::uint64_t arrival = 0;
  std::int64_t sequence = 0;
  bool has_sequence = false;
  std::int64_t timestamp = 0;
  bool has_timestamp = false;
  // Terminal properties (filled for terminals only).
  Field step, reason, error_class, duration;
  bool duration_is_integer = false;
  std::int64_t duration_ms = 0;
  std::vector<Field> implied;    ///< parallel to Engine::implied_properties(flow)
  std::vector<Field> constants;  ///< parallel to Plan::invocation_constant
  /// Makes every field's text its own, so the record outlives the event's document.
  void keep() {
    for (Field* field : {&step, &reason, &error_class, &duration}) field->keep();
    for (Field& field : implied) field.keep();
    for (Field& field : constants) field.keep();
  }
};

/// Per-flow tallies for the report and for coverage.
struct FlowTally {
  FlowOutcomes outcomes;
  std::vector<bool> reasons_seen;  ///< parallel to Flow::reasons
  std::vector<bool> steps_failed;  ///< parallel to Flow::steps
  /// Outcome ("completed", "aborted:REASON", "failed:STEP") -> the first invocations reaching it.
  std::map<std::string, std::vector<std::uint32_t>> reached_by;
  /// An outcome met before and where its tallies are (std::map never moves its values), so a
  /// terminal with a known outcome skips the map look-ups (see Engine::terminal).
  struct SeenOutcome {
    TerminalKind kind = TerminalKind::completed;
    bool has_detail = false;
    std::string detail;
    std::vector<std::uint32_t>* reached = nullptr;  ///< in reached_by
    std::uint64_t* count = nullptr;                 ///< in outcomes
    int declared = -1;  ///< the declared reason (aborted) or step (failed) it covers, or -1
  };
  static constexpr std::size_t kMaxSeenOutcomes = 32;
  std::vector<SeenOutcome> seen_outcomes;  ///< at most kMaxSeenOutcomes; the maps hold them all
};

class Engine {
 public:
  Engine(const Plan& plan, const CheckOptions& options, Findings& findings,
         const std::vector<std::string>& inputs);
  ~Engine();

  /// The index of an invocation key, creating it on first sight.
  std::uint32_t intern(std::string_view key);
  /// Number of invocations seen.
  std::size_t invocation_count() const { return keys_.size(); }
  /// The key of an invocation (valid as long as the engine).
  std::string_view key(std::uint32_t invocation) const { return keys_[invocation]; }

  /// Property names of a flow's terminals that some `implies` of the flow constrains.
  const std::vector<std::string>& implied_properties(int flow) const {
    return implied_properties_[static_cast<std::size_t>(flow)];
  }

  /// A reusable record to fill for the next add().
  EventRecord& scratch() { return scratch_; }
  /// Takes one event in arrival order; processes it now, or buffers it until the sequence
  /// numbers before it arrive.
  void add(EventRecord& record);
  /// End of input: drains every reorder buffer in (sequence, arrival) order, then reports every
  /// instance still open (FP103).
  void finish();

  const std::vector<FlowTally>& tallies() const { return tallies_; }
  std::uint64_t instances() const { return instances_; }
  /// Timelines of invocations with findings (keep_timelines), at most `limit` of them.
  std::map<std::string, std::vector<TimelineEntry>> timelines(
      const std::vector<Violation>& violations, std::size_t limit) const;
  /// Flow id -> outcome -> keys of the first invocations that reached it, and flow id -> the
  /// outcomes more invocations reached (Report's outcome_invocations and outcome_invocations_cut).
  void outcome_invocations(
      std::map<std::string, std::map<std::string, std::vector<std::string>>>& listed,
      std::map<std::string, std::set<std::string>>& cut) const;

 private:
  struct Invocation;
  struct Instance;
  void process(Invocation& invocation, const EventRecord& record);
  void drain_ready(Invocation& invocation);
  void started(Invocation& invocation, const EventRecord& record, int flow);
  void terminal(Invocation& invocation, const EventRecord& record, int flow, TerminalKind kind);
  static FlowTally::SeenOutcome outcome_tallies(FlowTally& tally, const Flow& flow,
                                                TerminalKind kind, bool has_detail,
                                                std::string_view text);
  void intermediate(Invocation& invocation, const EventRecord& record, int flow, int index);
  void check_terminal(const Instance& instance, const EventRecord& record, int flow,
                      TerminalKind kind, bool has_instance);
  void close_nested(Invocation& invocation, std::size_t keep, const EventRecord& closer);
  Location location(std::uint32_t input, std::uint64_t line, bool has_sequence,
                    std::int64_t sequence) const;
  Location location(const EventRecord& record) const;
  Violation violation(const EventRecord& record, int flow) const;
  Violation duplicate(const Invocation& invocation, const EventRecord& record) const;
  std::string where(const EventRecord& record) const;
  /// The invocation with this key, or -1.
  std::int64_t find(std::string_view key) const;
  /// The same, given the low 32 bits of the key's hash.
  std::int64_t find(std::string_view key, std::uint32_t tag) const;
  void grow_index();
  bool ended(const Invocation& invocation, int flow) const;
  void set_ended(Invocation& invocation, int flow, bool value);

  const Plan& plan_;
  const CheckOptions& options_;
  Findings& findings_;
  const std::vector<std::string>& inputs_;
  bool ordered_;
  std::vector<std::vector<std::string>> implied_properties_;
  // Per invocation, as little as possible (a 1M-event stream holds ~220k of them): the record
  // below, its key once in a block arena, and one slot of an open-addressing index.
  std::deque<Invocation> invocations_;  ///< a deque: growing never copies the records
  std::vector<std::string_view> keys_;  ///< into key_blocks_
  std::vector<std::unique_ptr<char[]>> key_blocks_;
  std::size_t key_block_used_ = 0, key_block_size_ = 0;
  /// Open addressing, power-of-two size: invocation index + 1 (0 = empty) and the key hash's low
  /// 32 bits, which the slot is taken from, so growing never reads a key again (past 2^32 slots,
  /// a billion invocations, the slots above are reached by probing only: slower, still exact).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> index_;
  /// A bit per index slot: set when the slot holds an invocation.
  std::vector<std::uint64_t> occupied_;
  /// The invocations found last, direct-mapped by hash bits: (index + 1, tag), 0 when empty.
  std::array<std::pair<std::uint32_t, std::uint32_t>, 64> recent_{};
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return text_hash(text); }
  };
  std::vector<FlowTally> tallies_;
  std::uint64_t instances_ = 0;
  EventRecord scratch_;
  /// Emptied open-instance stacks, kept with their capacity for the next invocation that starts
  /// a flow (no allocation per instance); never more than were open at once.
  std::vector<std::vector<Instance>> spare_stacks_;
  std::string constant_scratch_;    ///< scratch for process()
  std::vector<std::string> names_;  ///< interned event names for timelines
  std::unordered_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> name_index_;
};

}  // namespace flowproof::conformance::detail
