// Tests for ScriptedPrompter: answers, question matching, and the strictness messages.
#include <flowproof/fakes/prompter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace flowproof::fakes {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::vector<std::string> kPlans = {"free", "pro", "enterprise"};

// Runs a callable that must throw ScriptError and returns the message.
template <class F>
std::string script_error_of(F&& call) {
  try {
    call();
  } catch (const ScriptError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a ScriptError";
  return {};
}

TEST(ScriptedPrompter, AnswersEachKindInOrder) {
  ScriptedPrompter prompter;
  prompter.type_text("my-app", "name")
      .choose("pro", exactly("Choose a plan"))
      .choose_index(2)
      .yes("terms")
      .no()
      .type_secret("s3cret");
  EXPECT_EQ(prompter.text("Application name", ""), "my-app");
  EXPECT_EQ(prompter.select("Choose a plan", kPlans), 1u);
  EXPECT_EQ(prompter.select("Region", {"eu", "us", "ap"}), 2u);
  EXPECT_TRUE(prompter.confirm("Accept the terms?", false));
  EXPECT_FALSE(prompter.confirm("Configure a profile?", true));
  EXPECT_EQ(prompter.secret("API key"), "s3cret");
  EXPECT_EQ(prompter.verify(), "");
  EXPECT_EQ(prompter.remaining(), 0u);
}

TEST(ScriptedPrompter, AcceptDefaultTakesThePromptsDefault) {
  ScriptedPrompter prompter;
  prompter.accept_default().accept_default().accept_default();
  EXPECT_TRUE(prompter.confirm("Continue?", true));
  EXPECT_FALSE(prompter.confirm("Continue?", false));
  EXPECT_EQ(prompter.text("Profile name", "default"), "default");
}

TEST(ScriptedPrompter, TranscriptShowsQuestionsAndAnswersButMasksSecrets) {
  FakeSession session;
  ScriptedPrompter prompter(session);
  prompter.type_text("my-app").type_secret("hunter2");
  prompter.text("Application name", "");
  prompter.secret("API key");
  const std::string transcript = session.transcript_text();
  EXPECT_THAT(transcript, HasSubstr("#1 prompt:text \"Application name\" -> \"my-app\""));
  EXPECT_THAT(transcript, HasSubstr("#2 prompt:secret \"API key\" -> \"***\""));
  EXPECT_THAT(transcript, ::testing::Not(HasSubstr("hunter2")));
}

TEST(ScriptedPrompter, UnexpectedPromptShowsPromptPositionAndTranscript) {
  ScriptedPrompter prompter;
  prompter.type_text("my-app");
  prompter.text("Application name", "");
  const std::string message =
      script_error_of([&] { prompter.confirm("Accept the terms?", false); });
  EXPECT_THAT(
      message,
      AllOf(HasSubstr("unexpected prompt"), HasSubstr("confirm \"Accept the terms?\""),
            HasSubstr("end of the script (all 1 steps used)"), HasSubstr("transcript so far"),
            HasSubstr("#1 prompt:text \"Application name\" -> \"my-app\""),
            HasSubstr("#2 prompt:confirm \"Accept the terms?\"")));
}

// A product that catches every exception swallows the ScriptError (and its flow records it as its
// own Failed): verify() reports it again, so the test still fails — from the prompter when it owns
// its session, and from the session when the fakes share one.
TEST(ScriptedPrompter, AScriptErrorTheProductSwallowedIsReportedByVerify) {
  auto swallowing_product = [](FakePrompter& prompter) {
    try {
      prompter.confirm("Accept the terms?", false);
    } catch (...) {  // a product's "report and exit 1"
    }
  };
  ScriptedPrompter own;
  swallowing_product(own);
  EXPECT_THAT(own.verify(), AllOf(HasSubstr("1 ScriptError was raised during the run"),
                                  HasSubstr("unexpected prompt: confirm \"Accept the terms?\"")));

  FakeSession session;
  ScriptedPrompter shared(session);
  shared.yes();
  swallowing_product(shared);
  EXPECT_EQ(shared.verify(), "");  // its script was used up; the shared session reports nothing
  EXPECT_EQ(session.script_errors(), "");
  swallowing_product(shared);  // a second prompt: the script has no step left
  EXPECT_THAT(session.verify(), HasSubstr("1 ScriptError was raised during the run"));
  EXPECT_THAT(session.script_errors(), HasSubstr("unexpected prompt"));
}

TEST(ScriptedPrompter, WrongKindNamesBothSides) {
  ScriptedPrompter prompter;
  prompter.yes().yes();
  prompter.confirm("Continue?", false);
  const std::string message = script_error_of([&] { prompter.select("Choose a plan", kPlans); });
  EXPECT_THAT(message,
              AllOf(HasSubstr("wrong kind of answer at script step 2 of 2"), HasSubstr("yes()"),
                    HasSubstr("select \"Choose a plan\" [\"free\", \"pro\", \"enterprise\"]"),
                    HasSubstr("#1 prompt:confirm \"Continue?\" (default no) -> yes")));
}

TEST(ScriptedPrompter, QuestionMismatchBySubstringAndExactly) {
  ScriptedPrompter prompter;
  prompter.yes("terms").yes(exactly("Accept the terms?"));
  std::string message = script_error_of([&] { prompter.confirm("Delete the app?", false); });
  EXPECT_THAT(message,
              AllOf(HasSubstr("question mismatch at script step 1 of 2"),
                    HasSubstr("containing \"terms\""), HasSubstr("confirm \"Delete the app?\"")));

  ScriptedPrompter exact;
  exact.yes(exactly("Accept the terms?"));
  message = script_error_of([&] { exact.confirm("Accept the terms? [y/N]", false); });
  EXPECT_THAT(message, AllOf(HasSubstr("question mismatch at script step 1 of 1"),
                             HasSubstr("exactly \"Accept the terms?\"")));
}

TEST(ScriptedPrompter, UnknownLabelListsTheOptions) {
  ScriptedPrompter prompter;
  prompter.choose("premium");
  const std::string message = script_error_of([&] { prompter.select("Choose a plan", kPlans); });
  EXPECT_THAT(message,
              AllOf(HasSubstr("unknown label at script step 1 of 1"), HasSubstr("\"premium\""),
                    HasSubstr("\"enterprise\""), HasSubstr("transcript so far")));
}

TEST(ScriptedPrompter, IndexOutOfRangeIsAScriptError) {
  ScriptedPrompter prompter;
  prompter.choose_index(3);
  EXPECT_THAT(script_error_of([&] { prompter.select("Choose a plan", kPlans); }),
              HasSubstr("option index out of range at script step 1 of 1"));
}

TEST(ScriptedPrompter, UnfinishedScriptIsReportedWithWhatIsLeftAndTranscript) {
  ScriptedPrompter prompter;
  prompter.type_text("my-app").choose("pro", "plan").yes("terms");
  prompter.text("Application name", "");
  const std::string problems = prompter.verify();
  EXPECT_THAT(problems,
              AllOf(HasSubstr("script unfinished: 1 of 3 steps used"),
                    HasSubstr("step 2: choose(\"pro\") for a question containing \"plan\""),
                    HasSubstr("step 3: yes() for a question containing \"terms\""),
                    HasSubstr("#1 prompt:text \"Application name\" -> \"my-app\"")));
  EXPECT_EQ(prompter.remaining(), 2u);
}

TEST(ScriptedPrompter, InterruptThrowsDefaultInterrupted) {
  ScriptedPrompter prompter;
  prompter.interrupt();
  EXPECT_THROW(prompter.confirm("Continue?", true), Interrupted);
  EXPECT_EQ(prompter.verify(), "");
  EXPECT_THAT(prompter.session().transcript_text(), HasSubstr("-> interrupted (Ctrl-C)"));
}

struct UserCancelled {};
struct InputClosed {};

TEST(ScriptedPrompter, InterruptAndEndOfInputThrowTheProductsTypes) {
  FakeSession session;
  session.set_interruption(Interruption::as<UserCancelled>());
  session.set_end_of_input(Interruption::as<InputClosed>());
  ScriptedPrompter prompter(session);
  prompter.interrupt("name").end_of_input();
  EXPECT_THROW(prompter.text("Application name", ""), UserCancelled);
  EXPECT_THROW(prompter.secret("API key"), InputClosed);
  EXPECT_THAT(session.transcript_text(), HasSubstr("#2 prompt:secret \"API key\" -> end of input"));
}

TEST(ScriptedPrompter, DefaultEndOfInputIsEndOfInput) {
  ScriptedPrompter prompter;
  prompter.end_of_input();
  EXPECT_THROW(prompter.select("Region", {"eu"}), EndOfInput);
}

TEST(ScriptedPrompter, ScriptIsSharedSafelyBetweenThreads) {
  ScriptedPrompter prompter;
  for (int i = 0; i < 200; ++i) prompter.yes();
  std::vector<std::thread> threads;
  std::atomic<int> yes_count{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) yes_count += prompter.confirm("Continue?", false) ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(yes_count.load(), 200);
  EXPECT_EQ(prompter.verify(), "");
  EXPECT_EQ(prompter.session().call_count(), 200u);
}

TEST(QuestionMatch, Describes) {
  EXPECT_EQ(QuestionMatch().describe(), "any question");
  EXPECT_EQ(QuestionMatch("").describe(), "any question");
  EXPECT_EQ(QuestionMatch("plan").describe(), "containing \"plan\"");
  EXPECT_EQ(exactly("Plan?").describe(), "exactly \"Plan?\"");
  EXPECT_TRUE(QuestionMatch("plan").matches("Choose a plan"));
  EXPECT_FALSE(exactly("plan").matches("Choose a plan"));
}

TEST(PromptAnswer, FactoriesDescribeAsScriptLines) {
  EXPECT_EQ(PromptAnswer::answer_yes().describe(), "yes()");
  EXPECT_EQ(PromptAnswer::answer_no().describe(), "no()");
  EXPECT_EQ(PromptAnswer::answer_default().describe(), "accept_default()");
  EXPECT_EQ(PromptAnswer::choose("pro").describe(), "choose(\"pro\")");
  EXPECT_EQ(PromptAnswer::choose_at(2).describe(), "choose_index(2)");
  EXPECT_EQ(PromptAnswer::type_text("a\"b").describe(), "type_text(\"a\\\"b\")");
  EXPECT_EQ(PromptAnswer::type_secret("hunter2").describe(), "type_secret(\"***\")");
  EXPECT_EQ(PromptAnswer::interrupt().describe(), "interrupt()");
  EXPECT_EQ(PromptAnswer::end_of_input().describe(), "end_of_input()");
  EXPECT_EQ(PromptAnswer::make(PromptAnswer::Kind::no, "", 0, "terms").describe(),
            "no() for a question containing \"terms\"");
}

// A source that always answers yes: the seam random fakes use.
class AlwaysYes : public AnswerSource {
 public:
  std::optional<PromptAnswer> next_answer(const Prompt& prompt) override {
    seen.push_back(prompt.question);
    return PromptAnswer::answer_yes();
  }
  std::string position() const override { return "draw " + std::to_string(seen.size() + 1); }
  std::vector<std::string> seen;
};

TEST(FakePrompter, TakesAnswersFromAnySourceWithTheSameStrictChecks) {
  FakeSession session;
  AlwaysYes source;
  FakePrompter prompter(session, source);
  EXPECT_TRUE(prompter.confirm("Continue?", false));
  EXPECT_EQ(source.seen, std::vector<std::string>{"Continue?"});
  EXPECT_THAT(script_error_of([&] { prompter.text("Name", ""); }),
              AllOf(HasSubstr("wrong kind of answer at draw 2"), HasSubstr("text \"Name\"")));
}

}  // namespace
}  // namespace flowproof::fakes
