// FakePrompter (strict checks over any AnswerSource), ScriptedAnswers and ScriptedPrompter.
#include <flowproof/fakes/prompter.hpp>

#include "text.hpp"

#include <utility>

namespace flowproof::fakes {

using detail::quote;

std::string_view to_string(PromptKind kind) {
  switch (kind) {
    case PromptKind::confirm:
      return "confirm";
    case PromptKind::select:
      return "select";
    case PromptKind::text:
      return "text";
    case PromptKind::secret:
      return "secret";
  }
  return "unknown";
}

QuestionMatch::QuestionMatch(const char* substring) : QuestionMatch(std::string(substring)) {}

QuestionMatch::QuestionMatch(std::string substring)
    : mode_(substring.empty() ? Mode::any : Mode::contains), text_(std::move(substring)) {}

QuestionMatch QuestionMatch::exactly(std::string question) {
  QuestionMatch match;
  match.mode_ = Mode::exactly;
  match.text_ = std::move(question);
  return match;
}

bool QuestionMatch::matches(std::string_view question) const {
  switch (mode_) {
    case Mode::any:
      return true;
    case Mode::contains:
      return question.find(text_) != std::string_view::npos;
    case Mode::exactly:
      return question == text_;
  }
  return false;
}

std::string QuestionMatch::describe() const {
  switch (mode_) {
    case Mode::any:
      return "any question";
    case Mode::contains:
      return "containing " + quote(text_);
    case Mode::exactly:
      return "exactly " + quote(text_);
  }
  return {};
}

QuestionMatch exactly(std::string question) { return QuestionMatch::exactly(std::move(question)); }

std::string PromptAnswer::describe() const {
  std::string out;
  switch (kind) {
    case Kind::yes:
      out = "yes()";
      break;
    case Kind::no:
      out = "no()";
      break;
    case Kind::accept_default:
      out = "accept_default()";
      break;
    case Kind::choose_label:
      out = "choose(" + quote(value) + ")";
      break;
    case Kind::choose_index:
      out = "choose_index(" + std::to_string(index) + ")";
      break;
    case Kind::text:
      out = "type_text(" + quote(value) + ")";
      break;
    case Kind::secret:
      out = "type_secret(\"***\")";
      break;
    case Kind::interrupt:
      out = "interrupt()";
      break;
    case Kind::end_of_input:
      out = "end_of_input()";
      break;
  }
  if (!expect.is_any()) out += " for a question " + expect.describe();
  return out;
}

PromptAnswer PromptAnswer::make(Kind kind, std::string value, std::size_t index,
                                QuestionMatch expect) {
  PromptAnswer answer;
  answer.kind = kind;
  answer.value = std::move(value);
  answer.index = index;
  answer.expect = std::move(expect);
  return answer;
}

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + quote(item);
  return out;
}

std::string describe(const Prompt& prompt) {
  std::string out = std::string(to_string(prompt.kind)) + " " + quote(prompt.question);
  switch (prompt.kind) {
    case PromptKind::confirm:
      out += prompt.default_confirm ? " (default yes)" : " (default no)";
      break;
    case PromptKind::select:
      out += " [" + join(prompt.options) + "]";
      break;
    case PromptKind::text:
      if (!prompt.default_text.empty()) out += " (default " + quote(prompt.default_text) + ")";
      break;
    case PromptKind::secret:
      break;
  }
  return out;
}

bool fits(PromptAnswer::Kind answer, PromptKind prompt) {
  using Kind = PromptAnswer::Kind;
  switch (prompt) {
    case PromptKind::confirm:
      return answer == Kind::yes || answer == Kind::no || answer == Kind::accept_default;
    case PromptKind::select:
      return answer == Kind::choose_label || answer == Kind::choose_index;
    case PromptKind::text:
      return answer == Kind::text || answer == Kind::accept_default;
    case PromptKind::secret:
      return answer == Kind::secret;
  }
  return false;
}

}  // namespace

FakePrompter::FakePrompter(FakeSession& session, AnswerSource& source)
    : session_(&session), source_(&source) {}

FakePrompter::FakePrompter(FakeSession& session) : session_(&session) {}

FakePrompter::Resolved FakePrompter::ask(const Prompt& prompt) {
  const std::string shown = describe(prompt);
  const std::size_t call =
      session_->begin_call(CallPoint{"prompt", std::string(to_string(prompt.kind))},
                           shown.substr(to_string(prompt.kind).size() + 1));
  const std::string position = source_->position();
  std::optional<PromptAnswer> answer = source_->next_answer(prompt);
  if (!answer) {
    session_->fail("unexpected prompt: " + shown + " at " + position +
                   ": the script has no answer for it");
  }
  if (!answer->expect.matches(prompt.question)) {
    session_->fail("question mismatch at " + position + ": the script has " + answer->describe() +
                   ", but the product asked " + shown);
  }
  using Kind = PromptAnswer::Kind;
  if (answer->kind == Kind::interrupt) session_->interrupt(call);
  if (answer->kind == Kind::end_of_input) session_->end_input(call);
  if (!fits(answer->kind, prompt.kind)) {
    session_->fail("wrong kind of answer at " + position + ": the script has " +
                   answer->describe() + ", but the product asked " + shown);
  }
  if (answer->kind == Kind::choose_label) {
    std::size_t i = 0;
    while (i < prompt.options.size() && prompt.options[i] != answer->value) ++i;
    if (i == prompt.options.size()) {
      session_->fail("unknown label at " + position + ": the script chooses " +
                     quote(answer->value) + ", which is not among the options of " + shown);
    }
    answer->index = i;
  } else if (answer->kind == Kind::choose_index && answer->index >= prompt.options.size()) {
    session_->fail("option index out of range at " + position + ": the script has " +
                   answer->describe() + ", but the product asked " + shown);
  }
  return Resolved{call, std::move(*answer)};
}

bool FakePrompter::confirm(const std::string& question, bool default_answer) {
  Prompt prompt;
  prompt.kind = PromptKind::confirm;
  prompt.question = question;
  prompt.default_confirm = default_answer;
  auto [call, answer] = ask(prompt);
  const bool result = answer.kind == PromptAnswer::Kind::accept_default
                          ? default_answer
                          : answer.kind == PromptAnswer::Kind::yes;
  session_->finish_call(
      call, std::string(result ? "yes" : "no") +
                (answer.kind == PromptAnswer::Kind::accept_default ? " (default)" : ""));
  return result;
}

std::size_t FakePrompter::select(const std::string& question,
                                 const std::vector<std::string>& options) {
  Prompt prompt;
  prompt.kind = PromptKind::select;
  prompt.question = question;
  prompt.options = options;
  auto [call, answer] = ask(prompt);
  session_->finish_call(call,
                        quote(options[answer.index]) + " (#" + std::to_string(answer.index) + ")");
  return answer.index;
}

std::string FakePrompter::text(const std::string& question, const std::string& default_answer) {
  Prompt prompt;
  prompt.kind = PromptKind::text;
  prompt.question = question;
  prompt.default_text = default_answer;
  auto [call, answer] = ask(prompt);
  std::string result =
      answer.kind == PromptAnswer::Kind::accept_default ? default_answer : answer.value;
  session_->finish_call(
      call,
      quote(result) + (answer.kind == PromptAnswer::Kind::accept_default ? " (default)" : ""));
  return result;
}

std::string FakePrompter::secret(const std::string& question) {
  Prompt prompt;
  prompt.kind = PromptKind::secret;
  prompt.question = question;
  auto [call, answer] = ask(prompt);
  session_->finish_call(call, "\"***\"");
  return answer.value;
}

void ScriptedAnswers::add(PromptAnswer answer) {
  std::lock_guard lock(mutex_);
  answers_.push_back(std::move(answer));
}

std::optional<PromptAnswer> ScriptedAnswers::next_answer(const Prompt&) {
  std::lock_guard lock(mutex_);
  if (next_ >= answers_.size()) return std::nullopt;
  return answers_[next_++];
}

std::string ScriptedAnswers::position() const {
  std::lock_guard lock(mutex_);
  if (next_ >= answers_.size()) {
    return "the end of the script (all " + std::to_string(answers_.size()) + " steps used)";
  }
  return "script step " + std::to_string(next_ + 1) + " of " + std::to_string(answers_.size());
}

std::string ScriptedAnswers::verify() const {
  std::lock_guard lock(mutex_);
  if (next_ >= answers_.size()) return {};
  std::string out = "script unfinished: " + std::to_string(next_) + " of " +
                    std::to_string(answers_.size()) + " steps used; never asked for:\n";
  for (std::size_t i = next_; i < answers_.size(); ++i) {
    out += "  step " + std::to_string(i + 1) + ": " + answers_[i].describe() + "\n";
  }
  return out;
}

std::size_t ScriptedAnswers::remaining() const {
  std::lock_guard lock(mutex_);
  return answers_.size() - next_;
}

ScriptedPrompter::ScriptedPrompter() : detail::OwnedSession(true), FakePrompter(*owned_session) {
  set_source(answers_);
}

ScriptedPrompter::ScriptedPrompter(FakeSession& session)
    : detail::OwnedSession(false), FakePrompter(session) {
  set_source(answers_);
}

ScriptedPrompter::~ScriptedPrompter() = default;

ScriptedPrompter& ScriptedPrompter::add(PromptAnswer::Kind kind, QuestionMatch expect,
                                        std::string value, std::size_t index) {
  answers_.add(PromptAnswer::make(kind, std::move(value), index, std::move(expect)));
  return *this;
}

ScriptedPrompter& ScriptedPrompter::yes(QuestionMatch expect) {
  return add(PromptAnswer::Kind::yes, std::move(expect));
}
ScriptedPrompter& ScriptedPrompter::no(QuestionMatch expect) {
  return add(PromptAnswer::Kind::no, std::move(expect));
}
ScriptedPrompter& ScriptedPrompter::accept_default(QuestionMatch expect) {
  return add(PromptAnswer::Kind::accept_default, std::move(expect));
}
ScriptedPrompter& ScriptedPrompter::choose(std::string label, QuestionMatch expect) {
  return add(PromptAnswer::Kind::choose_label, std::move(expect), std::move(label));
}
ScriptedPrompter& ScriptedPrompter::choose_index(std::size_t index, QuestionMatch expect) {
  return add(PromptAnswer::Kind::choose_index, std::move(expect), "", index);
}
ScriptedPrompter& ScriptedPrompter::type_text(std::string answer, QuestionMatch expect) {
  return add(PromptAnswer::Kind::text, std::move(expect), std::move(answer));
}
ScriptedPrompter& ScriptedPrompter::type_secret(std::string answer, QuestionMatch expect) {
  return add(PromptAnswer::Kind::secret, std::move(expect), std::move(answer));
}
ScriptedPrompter& ScriptedPrompter::interrupt(QuestionMatch expect) {
  return add(PromptAnswer::Kind::interrupt, std::move(expect));
}
ScriptedPrompter& ScriptedPrompter::end_of_input(QuestionMatch expect) {
  return add(PromptAnswer::Kind::end_of_input, std::move(expect));
}

std::string ScriptedPrompter::verify() const {
  std::string problems = answers_.verify();
  // A session of its own cannot be verified by the test: its script errors are reported here.
  const std::string errors = owned_session ? owned_session->script_errors() : std::string();
  if (problems.empty() && errors.empty()) return problems;
  return "ScriptedPrompter " + errors + problems + "transcript:\n" + session().transcript_text();
}

}  // namespace flowproof::fakes
