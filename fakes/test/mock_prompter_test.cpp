// Tests for MockPrompter and its actions (Accept, Decline, TakeDefault, Answer, Choose, Interrupt,
// EndInput), and for the gtest helpers (EXPECT_SCRIPT_DONE, ScriptGuard).
#include <flowproof/fakes/gtest.hpp>
#include <flowproof/fakes/mock_prompter.hpp>

#include <flowproof/fakes/backend.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flowproof::fakes {
namespace {

using ::testing::_;
using ::testing::HasSubstr;

struct UserCancelled {};

TEST(MockPrompter, ActionsAnswerEachKind) {
  MockPrompter prompter;
  EXPECT_CALL(prompter, confirm(HasSubstr("terms"), _)).WillOnce(Accept()).WillOnce(Decline());
  EXPECT_CALL(prompter, confirm(HasSubstr("profile"), _)).WillOnce(TakeDefault());
  EXPECT_CALL(prompter, text(_, _)).WillOnce(Answer("my-app")).WillOnce(TakeDefault());
  EXPECT_CALL(prompter, select(_, _)).WillOnce(Choose("pro"));
  EXPECT_CALL(prompter, secret(_)).WillOnce(Answer("key"));
  Prompter& asked = prompter;
  EXPECT_TRUE(asked.confirm("Accept the terms?", false));
  EXPECT_FALSE(asked.confirm("Accept the terms?", true));
  EXPECT_TRUE(asked.confirm("Configure a profile?", true));
  EXPECT_EQ(asked.text("Name", ""), "my-app");
  EXPECT_EQ(asked.text("Profile", "default"), "default");
  EXPECT_EQ(asked.select("Plan", {"free", "pro"}), 1u);
  EXPECT_EQ(asked.secret("API key"), "key");
}

TEST(MockPrompter, InterruptAndEndInputThrow) {
  MockPrompter prompter;
  EXPECT_CALL(prompter, confirm(_, _))
      .WillOnce(Interrupt())
      .WillOnce(Interrupt<UserCancelled>())
      .WillOnce(EndInput());
  EXPECT_THROW(prompter.confirm("a", true), Interrupted);
  EXPECT_THROW(prompter.confirm("b", true), UserCancelled);
  EXPECT_THROW(prompter.confirm("c", true), EndOfInput);
}

TEST(MockPrompter, ChooseAnUnknownLabelIsAScriptError) {
  MockPrompter prompter;
  EXPECT_CALL(prompter, select(_, _)).WillOnce(Choose("premium"));
  try {
    prompter.select("Plan", {"free", "pro"});
    FAIL() << "expected ScriptError";
  } catch (const ScriptError& error) {
    EXPECT_THAT(error.what(), HasSubstr("no such option at select \"Plan\" (options: free, pro)"));
  }
}

TEST(GtestHelpers, ScriptDonePassesWhenUsedUp) {
  ScriptedPrompter prompter;
  prompter.yes();
  prompter.confirm("ok?", false);
  EXPECT_SCRIPT_DONE(prompter);
  ASSERT_SCRIPT_DONE(prompter.session());
}

TEST(GtestHelpers, ScriptDoneFailsWithTheLeftovers) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScriptedPrompter prompter;
        prompter.yes("terms");
        EXPECT_SCRIPT_DONE(prompter);
      },
      "yes() for a question containing \"terms\"");
}

TEST(GtestHelpers, ScriptGuardFailsForEachUnfinishedFake) {
  EXPECT_NONFATAL_FAILURE(
      {
        FakeSession session;
        ScriptedPrompter prompter(session);
        ScriptedBackend backend(session);
        backend.on("create_application").succeed();
        ScriptGuard guard(prompter, backend, session);
      },
      "\"create_application\": 1 never used");
}

TEST(GtestHelpers, ScriptGuardIsSilentWhenAllIsDone) {
  FakeSession session;
  ScriptedPrompter prompter(session);
  prompter.no();
  {
    ScriptGuard guard(prompter, session);
    EXPECT_FALSE(prompter.confirm("Continue?", true));
  }
  EXPECT_EQ(prompter.verify(), "");
}

}  // namespace
}  // namespace flowproof::fakes
