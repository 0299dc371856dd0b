// FakeSession: the transcript, the clock ticks and the interruptions of every fake call.
#include <flowproof/fakes/session.hpp>

#include "text.hpp"

#include <optional>
#include <utility>

namespace flowproof::fakes {

namespace detail {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

std::string format_duration(std::chrono::nanoseconds duration) {
  if (duration % std::chrono::milliseconds(1) == std::chrono::nanoseconds::zero()) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) +
           "ms";
  }
  return std::to_string(duration.count()) + "ns";
}

OwnedSession::OwnedSession(bool create) {
  if (create) owned_session = std::make_unique<FakeSession>();
}
OwnedSession::~OwnedSession() = default;

}  // namespace detail

bool call_point_matches(std::string_view pattern, std::string_view id) {
  // Iterative glob with '*' only: remember the last star and retry from one character later.
  std::size_t p = 0, i = 0, star = std::string_view::npos, resume = 0;
  while (i < id.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = i;
    } else if (p < pattern.size() && pattern[p] == id[i]) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

struct Scheduled {
  std::string pattern;  // empty when by number
  std::size_t occurrence = 0;
  std::size_t seen = 0;
  bool delivered = false;
};

}  // namespace

struct FakeSession::State {
  explicit State(FakeClock::Options options) : clock(options) {}
  mutable std::mutex mutex;
  FakeClock clock;
  Interruption interruption = Interruption::as<Interrupted>();
  Interruption end_of_input = Interruption::as<EndOfInput>();
  std::vector<Scheduled> scheduled;
  InterruptSource* source = nullptr;
  std::vector<TranscriptEntry> transcript;
  std::vector<std::string> script_errors;  ///< the first line of each ScriptError fail() raised
};

FakeSession::FakeSession() : FakeSession(FakeClock::Options{}) {}
FakeSession::FakeSession(FakeClock::Options clock_options)
    : state_(std::make_unique<State>(clock_options)) {}
FakeSession::~FakeSession() = default;

FakeClock& FakeSession::clock() { return state_->clock; }

void FakeSession::set_interruption(Interruption interruption) {
  std::lock_guard lock(state_->mutex);
  state_->interruption = std::move(interruption);
}

void FakeSession::set_end_of_input(Interruption end_of_input) {
  std::lock_guard lock(state_->mutex);
  state_->end_of_input = std::move(end_of_input);
}

FakeSession& FakeSession::interrupt_at(std::string pattern, std::size_t occurrence) {
  if (pattern.empty() || occurrence == 0) {
    throw ScriptError("interrupt_at: needs a pattern and an occurrence counted from 1");
  }
  std::lock_guard lock(state_->mutex);
  state_->scheduled.push_back(Scheduled{std::move(pattern), occurrence});
  return *this;
}

FakeSession& FakeSession::interrupt_at_call(std::size_t number) {
  if (number == 0) throw ScriptError("interrupt_at_call: calls are counted from 1");
  std::lock_guard lock(state_->mutex);
  state_->scheduled.push_back(Scheduled{"", number});
  return *this;
}

void FakeSession::set_interrupt_source(InterruptSource* source) {
  std::lock_guard lock(state_->mutex);
  state_->source = source;
}

std::size_t FakeSession::begin_call(CallPoint point, std::string detail) {
  std::size_t number = 0;
  bool interrupt_now = false;
  InterruptSource* source = nullptr;
  {
    std::lock_guard lock(state_->mutex);
    number = state_->transcript.size() + 1;
    state_->clock.tick();
    const std::string id = point.id();
    for (auto& scheduled : state_->scheduled) {
      if (scheduled.delivered) continue;
      bool hit = false;
      if (scheduled.pattern.empty()) {
        hit = scheduled.occurrence == number;
      } else if (call_point_matches(scheduled.pattern, id)) {
        hit = ++scheduled.seen == scheduled.occurrence;
      }
      if (hit && !interrupt_now) {
        scheduled.delivered = true;
        interrupt_now = true;
      } else if (hit) {
        // Two schedules met at one call: the first delivers; this one stays pending and verify()
        // reports it, rather than silently counting it as delivered.
        --scheduled.seen;
      }
    }
    state_->transcript.push_back(
        TranscriptEntry{number, point, std::move(detail), "", state_->clock.elapsed()});
    source = state_->source;
  }
  // The source is consulted outside the lock: a random source may do anything, even log.
  if (!interrupt_now && source != nullptr) interrupt_now = source->interrupt_here(point, number);
  if (interrupt_now) interrupt(number);
  return number;
}

void FakeSession::finish_call(std::size_t number, std::string result) {
  std::lock_guard lock(state_->mutex);
  if (number == 0 || number > state_->transcript.size()) return;
  state_->transcript[number - 1].result = std::move(result);
}

void FakeSession::interrupt(std::size_t number) {
  finish_call(number, "interrupted (Ctrl-C)");
  Interruption interruption;
  {
    std::lock_guard lock(state_->mutex);
    interruption = state_->interruption;
  }
  if (interruption.raise) interruption.raise();
  fail("the session's interruption returned instead of throwing (see set_interruption)");
}

void FakeSession::end_input(std::size_t number) {
  finish_call(number, "end of input");
  Interruption end_of_input;
  {
    std::lock_guard lock(state_->mutex);
    end_of_input = state_->end_of_input;
  }
  if (end_of_input.raise) end_of_input.raise();
  fail("the session's end-of-input returned instead of throwing (see set_end_of_input)");
}

void FakeSession::fail(const std::string& message) const {
  {
    std::lock_guard lock(state_->mutex);
    state_->script_errors.push_back(message.substr(0, message.find('\n')));
  }
  throw ScriptError(message + "\ntranscript so far:\n" + transcript_text());
}

std::string FakeSession::script_errors() const {
  std::lock_guard lock(state_->mutex);
  const std::vector<std::string>& errors = state_->script_errors;
  if (errors.empty()) return {};
  std::string text = std::to_string(errors.size()) +
                     (errors.size() == 1 ? " ScriptError was" : " ScriptErrors were") +
                     " raised during the run; a product that catches every exception hides it "
                     "from the test, and its flow reports it as its own failure:\n";
  for (const std::string& error : errors) text += "  " + error + "\n";
  return text;
}

void FakeSession::sleep(std::chrono::nanoseconds duration, std::string what) {
  const std::size_t number =
      begin_call(CallPoint{"sleep", std::move(what)}, detail::format_duration(duration));
  state_->clock.advance(duration);
  finish_call(number, "slept");
}

std::vector<TranscriptEntry> FakeSession::transcript() const {
  std::lock_guard lock(state_->mutex);
  return state_->transcript;
}

std::string FakeSession::transcript_text() const {
  const auto entries = transcript();
  if (entries.empty()) return "  (no fake calls yet)\n";
  std::string out;
  for (const auto& entry : entries) {
    out += "  #" + std::to_string(entry.number) + " " + entry.point.id();
    if (!entry.detail.empty()) out += " " + entry.detail;
    out += " -> " + (entry.result.empty() ? std::string("(unanswered)") : entry.result);
    out += '\n';
  }
  return out;
}

std::size_t FakeSession::call_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->transcript.size();
}

std::string FakeSession::verify() const {
  std::string problems = script_errors();
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& scheduled : state_->scheduled) {
      if (scheduled.delivered) continue;
      if (scheduled.pattern.empty()) {
        problems += "interrupt_at_call(" + std::to_string(scheduled.occurrence) +
                    ") was never reached (" + std::to_string(state_->transcript.size()) +
                    " fake calls were made)\n";
      } else {
        problems += "interrupt_at(" + detail::quote(scheduled.pattern) + ", " +
                    std::to_string(scheduled.occurrence) + ") was never reached (" +
                    std::to_string(scheduled.seen) + " matching calls were made)\n";
      }
    }
  }
  if (problems.empty()) return problems;
  return problems + "transcript:\n" + transcript_text();
}

}  // namespace flowproof::fakes
