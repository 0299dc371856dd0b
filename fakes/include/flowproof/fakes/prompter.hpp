// flowproof/fakes/prompter.hpp — the Prompter interface and its scripted fake.
//
// Products ask the user through a Prompter (or adapt theirs to it). Tests script the answers;
// STRICT: a prompt the script does not expect throws ScriptError naming the prompt, the script
// position and the transcript, and verify() reports a script left unfinished.
//
//   FakeSession session;
//   session.set_interruption(Interruption::as<UserCancelled>());
//   ScriptedPrompter prompter(session);
//   prompter.type_text("my-app", "Application name") // expects a question containing that text
//       .choose("pro", exactly("Choose a plan"))    // select by label, question matched exactly
//       .yes("terms")                               // confirm
//       .interrupt();                               // Ctrl-C at the next prompt
//   EXPECT_THROW(create_application(prompter), UserCancelled);
//   EXPECT_EQ(prompter.verify(), "");
//
// The answers come from an AnswerSource: ScriptedPrompter's is a queue; a random source (drawn
// inside a property) plugs into FakePrompter the same way, and every call still goes through the
// session (transcript, clock, interruptions) and the same strict checks.
#pragma once

#include <flowproof/fakes/session.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowproof::fakes {

/// What products ask users through. Cancellation (Ctrl-C) and end of input are exceptions.
class Prompter {
 public:
  virtual ~Prompter() = default;
  /// Yes/no question; default_answer is what Enter alone means.
  virtual bool confirm(const std::string& question, bool default_answer) = 0;
  /// Pick one option; returns its index.
  virtual std::size_t select(const std::string& question,
                             const std::vector<std::string>& options) = 0;
  /// Free text; default_answer is what Enter alone means.
  virtual std::string text(const std::string& question, const std::string& default_answer) = 0;
  /// Hidden input (passwords, API keys).
  virtual std::string secret(const std::string& question) = 0;
};

/// The kind of a prompt.
enum class PromptKind { confirm, select, text, secret };
/// "confirm", "select", "text", "secret" (also the call point name: "prompt:confirm").
std::string_view to_string(PromptKind kind);

/// One prompt as a fake sees it.
struct Prompt {
  PromptKind kind = PromptKind::confirm;
  std::string question;
  std::vector<std::string> options;  ///< select only
  bool default_confirm = false;      ///< confirm only
  std::string default_text;          ///< text only
};

/// How a script step expects the question to read: any, containing a substring, or exactly.
class QuestionMatch {
 public:
  /// Matches any question.
  QuestionMatch() = default;
  /// Matches questions containing the text (an empty text matches any).
  QuestionMatch(const char* substring);  // NOLINT(google-explicit-constructor)
  QuestionMatch(std::string substring);  // NOLINT(google-explicit-constructor)
  /// Matches only the question equal to the text.
  static QuestionMatch exactly(std::string question);

  bool matches(std::string_view question) const;
  bool is_any() const { return mode_ == Mode::any; }
  /// e.g. `containing "terms"`, `exactly "Choose a plan"`, `any question`.
  std::string describe() const;

 private:
  enum class Mode { any, contains, exactly };
  Mode mode_ = Mode::any;
  std::string text_;
};

/// Shorthand for QuestionMatch::exactly.
QuestionMatch exactly(std::string question);

/// One answer a source gives. The kind must fit the prompt (yes/no/accept_default for confirm,
/// choose for select, text/accept_default for text, secret for secret); interrupt and end_of_input
/// fit every prompt.
struct PromptAnswer {
  enum class Kind {
    yes,
    no,
    accept_default,
    choose_label,
    choose_index,
    text,
    secret,
    interrupt,
    end_of_input
  };
  Kind kind = Kind::yes;
  std::string value;      ///< the label, the text or the secret
  std::size_t index = 0;  ///< choose_index
  QuestionMatch expect;   ///< what the question must look like (any by default)

  /// As a script line, e.g. `yes("terms")`, `choose("pro")`, `interrupt()`; secrets are masked.
  std::string describe() const;

  /// An answer of the given kind (what the named factories below build).
  static PromptAnswer make(Kind kind, std::string value = "", std::size_t index = 0,
                           QuestionMatch expect = {});
  /// Yes at a confirm.
  static PromptAnswer answer_yes() { return make(Kind::yes); }
  /// No at a confirm.
  static PromptAnswer answer_no() { return make(Kind::no); }
  /// Enter at a confirm or text prompt.
  static PromptAnswer answer_default() { return make(Kind::accept_default); }
  /// The option with this label at a select.
  static PromptAnswer choose(std::string label) {
    return make(Kind::choose_label, std::move(label));
  }
  /// The option at this index at a select.
  static PromptAnswer choose_at(std::size_t index) { return make(Kind::choose_index, "", index); }
  /// This text at a text prompt.
  static PromptAnswer type_text(std::string text) { return make(Kind::text, std::move(text)); }
  /// This secret at a secret prompt.
  static PromptAnswer type_secret(std::string text) { return make(Kind::secret, std::move(text)); }
  /// Ctrl-C at any prompt.
  static PromptAnswer interrupt() { return make(Kind::interrupt); }
  /// End of input at any prompt.
  static PromptAnswer end_of_input() { return make(Kind::end_of_input); }
};

/// Where a FakePrompter gets its answers (a queue for scripts, draws for random fakes).
class AnswerSource {
 public:
  virtual ~AnswerSource() = default;
  /// The answer to this prompt; nullopt when the source has none (the prompt was unexpected).
  virtual std::optional<PromptAnswer> next_answer(const Prompt& prompt) = 0;
  /// Where the source stands, for messages, e.g. "script step 3 of 5".
  virtual std::string position() const = 0;
  /// Empty when the source was used up as intended; otherwise what is left.
  [[nodiscard]] virtual std::string verify() const { return {}; }
};

/// A Prompter whose every call enters the session (call point "prompt:<kind>"), takes the answer
/// from a source, and checks it strictly against the prompt.
class FakePrompter : public Prompter {
 public:
  /// Neither the session nor the source is owned; both must outlive the prompter.
  FakePrompter(FakeSession& session, AnswerSource& source);

  bool confirm(const std::string& question, bool default_answer) override;
  std::size_t select(const std::string& question, const std::vector<std::string>& options) override;
  std::string text(const std::string& question, const std::string& default_answer) override;
  std::string secret(const std::string& question) override;

  /// The session every call enters.
  FakeSession& session() { return *session_; }
  const FakeSession& session() const { return *session_; }

 protected:
  /// For subclasses that own their source: set it before the first prompt.
  explicit FakePrompter(FakeSession& session);
  void set_source(AnswerSource& source) { source_ = &source; }

 private:
  struct Resolved {
    std::size_t call = 0;
    PromptAnswer answer;
  };
  Resolved ask(const Prompt& prompt);

  FakeSession* session_;
  AnswerSource* source_ = nullptr;
};

/// An AnswerSource that hands out a fixed list of answers in order. Thread-safe.
class ScriptedAnswers : public AnswerSource {
 public:
  /// Appends one answer.
  void add(PromptAnswer answer);
  std::optional<PromptAnswer> next_answer(const Prompt& prompt) override;
  std::string position() const override;
  [[nodiscard]] std::string verify() const override;
  /// Answers not yet given.
  std::size_t remaining() const;

 private:
  mutable std::mutex mutex_;
  std::vector<PromptAnswer> answers_;
  std::size_t next_ = 0;
};

/// A FakePrompter over a script built with the fluent methods below. Every method may name the
/// question it expects (a substring, or exactly(...)).
class ScriptedPrompter : private detail::OwnedSession, public FakePrompter {
 public:
  /// Uses a session of its own (for tests with a single fake).
  ScriptedPrompter();
  /// Shares the test's session (not owned).
  explicit ScriptedPrompter(FakeSession& session);
  ScriptedPrompter(const ScriptedPrompter&) = delete;
  ScriptedPrompter& operator=(const ScriptedPrompter&) = delete;
  ~ScriptedPrompter() override;

  /// Answers a confirm with yes.
  ScriptedPrompter& yes(QuestionMatch expect = {});
  /// Answers a confirm with no.
  ScriptedPrompter& no(QuestionMatch expect = {});
  /// Presses Enter at a confirm or text prompt (takes its default).
  ScriptedPrompter& accept_default(QuestionMatch expect = {});
  /// Picks the option with this label at a select (an unknown label is a ScriptError).
  ScriptedPrompter& choose(std::string label, QuestionMatch expect = {});
  /// Picks the option at this index at a select (out of range is a ScriptError).
  ScriptedPrompter& choose_index(std::size_t index, QuestionMatch expect = {});
  /// Types this text at a text prompt.
  ScriptedPrompter& type_text(std::string answer, QuestionMatch expect = {});
  /// Types this secret at a secret prompt (masked in the transcript).
  ScriptedPrompter& type_secret(std::string answer, QuestionMatch expect = {});
  /// Presses Ctrl-C at the next prompt: the session's cancellation is thrown.
  ScriptedPrompter& interrupt(QuestionMatch expect = {});
  /// Closes input at the next prompt: the session's end-of-input exception is thrown.
  ScriptedPrompter& end_of_input(QuestionMatch expect = {});

  /// Empty when every scripted answer was used; otherwise names what is left and the transcript.
  [[nodiscard]] std::string verify() const;
  /// Scripted answers not yet used.
  std::size_t remaining() const { return answers_.remaining(); }

 private:
  ScriptedPrompter& add(PromptAnswer::Kind kind, QuestionMatch expect, std::string value = "",
                        std::size_t index = 0);

  ScriptedAnswers answers_;
};

}  // namespace flowproof::fakes
