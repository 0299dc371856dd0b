// Tests for FakeSession: interruptions anywhere (prompt, backend, wait, sleep), by name and by
// number, in the product's own exception type; the transcript; verify(); InterruptSource.
#include <flowproof/fakes/backend.hpp>
#include <flowproof/fakes/prompter.hpp>
#include <flowproof/fakes/session.hpp>
#include <flowproof/fakes/waiter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace flowproof::fakes {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct UserCancelled {
  std::string where = "terminal";
};

TEST(CallPointMatches, GlobWithStars) {
  EXPECT_TRUE(call_point_matches("prompt:*", "prompt:confirm"));
  EXPECT_TRUE(call_point_matches("*", "backend:create_application"));
  EXPECT_TRUE(call_point_matches("backend:create_*", "backend:create_application"));
  EXPECT_TRUE(call_point_matches("*:browser", "wait:browser"));
  EXPECT_TRUE(call_point_matches("wait:browser", "wait:browser"));
  EXPECT_FALSE(call_point_matches("wait:browser", "wait:browser_callback"));
  EXPECT_FALSE(call_point_matches("prompt:*", "backend:prompt"));
  EXPECT_TRUE(call_point_matches("a*b*c", "aXXbYYbZc"));
  EXPECT_FALSE(call_point_matches("a*b*c", "aXXbYYbZ"));
}

// A test "product": a login flow touching every kind of fake call.
void login(Prompter& prompter, Backend& backend, Waiter& waiter, FakeSession& session) {
  if (!prompter.confirm("Open the browser?", true)) return;
  waiter.wait("browser", 2000ms);
  backend.call("exchange_code", {{"code", "abc"}}).throw_if_error();
  session.sleep(500ms, "poll");
  prompter.select("Choose an application", {"app-1", "app-2"});
}

class InterruptAnywhere : public ::testing::Test {
 protected:
  InterruptAnywhere() {
    session.set_interruption(Interruption::as<UserCancelled>());
    prompter.yes().choose("app-2");
    backend.set_default("exchange_code", Response::success({{"token", "t"}}));
  }
  FakeSession session;
  ScriptedPrompter prompter{session};
  ScriptedBackend backend{session};
  FakeWaiter waiter{session};
};

TEST_F(InterruptAnywhere, RunsToTheEndWithoutInterruptions) {
  login(prompter, backend, waiter, session);
  EXPECT_EQ(session.call_count(), 5u);
  EXPECT_EQ(session.verify(), "");
  EXPECT_EQ(prompter.verify(), "");
}

TEST_F(InterruptAnywhere, AtAWait) {
  session.interrupt_at("wait:browser");
  EXPECT_THROW(login(prompter, backend, waiter, session), UserCancelled);
  EXPECT_EQ(session.verify(), "");
  EXPECT_EQ(backend.calls().size(), 0u);
  ASSERT_EQ(waiter.waits().size(), 1u);
  EXPECT_TRUE(waiter.waits()[0].interrupted);
  EXPECT_EQ(waiter.total_waited(), 0ms);
  EXPECT_THAT(session.transcript_text(), HasSubstr("#2 wait:browser 2000ms -> interrupted"));
}

TEST_F(InterruptAnywhere, AtABackendCall) {
  session.interrupt_at("backend:exchange_code");
  EXPECT_THROW(login(prompter, backend, waiter, session), UserCancelled);
  ASSERT_EQ(backend.calls().size(), 1u);
  EXPECT_EQ(backend.calls()[0].response.outcome, Outcome::interrupted);
  EXPECT_EQ(session.verify(), "");
}

TEST_F(InterruptAnywhere, AtTheSecondPrompt) {
  session.interrupt_at("prompt:*", 2);
  EXPECT_THROW(login(prompter, backend, waiter, session), UserCancelled);
  EXPECT_EQ(session.call_count(), 5u);
  // The scripted answer for that prompt was never consumed: the interruption came first.
  EXPECT_EQ(prompter.remaining(), 1u);
}

TEST_F(InterruptAnywhere, AtASleep) {
  session.interrupt_at("sleep:poll");
  EXPECT_THROW(login(prompter, backend, waiter, session), UserCancelled);
  EXPECT_EQ(session.call_count(), 4u);
}

TEST_F(InterruptAnywhere, AtTheNthCallOfAnyKind) {
  session.interrupt_at_call(3);
  EXPECT_THROW(login(prompter, backend, waiter, session), UserCancelled);
  const auto transcript = session.transcript();
  ASSERT_EQ(transcript.size(), 3u);
  EXPECT_EQ(transcript[2].point.id(), "backend:exchange_code");
  EXPECT_EQ(transcript[2].result, "interrupted (Ctrl-C)");
}

TEST_F(InterruptAnywhere, TheProductsExceptionObjectArrivesIntact) {
  session.set_interruption(Interruption::as(UserCancelled{"spinner"}));
  session.interrupt_at("wait:*");
  try {
    login(prompter, backend, waiter, session);
    FAIL() << "expected UserCancelled";
  } catch (const UserCancelled& cancelled) {
    EXPECT_EQ(cancelled.where, "spinner");
  }
}

TEST_F(InterruptAnywhere, UnreachedInterruptionsAreReportedByVerify) {
  session.interrupt_at("wait:deployment").interrupt_at_call(99);
  login(prompter, backend, waiter, session);
  EXPECT_THAT(session.verify(),
              AllOf(HasSubstr("interrupt_at(\"wait:deployment\", 1) was never reached (0 matching"),
                    HasSubstr("interrupt_at_call(99) was never reached (5 fake calls"),
                    HasSubstr("#1 prompt:confirm")));
}

TEST(FakeSession, DefaultInterruptionIsInterrupted) {
  FakeSession session;
  session.interrupt_at("sleep:*");
  EXPECT_THROW(session.sleep(1s), Interrupted);
}

TEST(FakeSession, AnInterruptionThatReturnsIsAScriptError) {
  FakeSession session;
  session.set_interruption(Interruption{[] {}});
  session.interrupt_at_call(1);
  EXPECT_THROW(session.sleep(1s), ScriptError);
}

TEST(FakeSession, RejectsMeaninglessSchedules) {
  FakeSession session;
  EXPECT_THROW(session.interrupt_at("", 1), ScriptError);
  EXPECT_THROW(session.interrupt_at("wait:*", 0), ScriptError);
  EXPECT_THROW(session.interrupt_at_call(0), ScriptError);
}

class InterruptAtThird : public InterruptSource {
 public:
  bool interrupt_here(const CallPoint& point, std::size_t number) override {
    seen += point.id() + ";";
    return number == 3;
  }
  std::string seen;
};

TEST(FakeSession, InterruptSourceDecidesAtEachCall) {
  FakeSession session;
  InterruptAtThird source;
  session.set_interrupt_source(&source);
  FakeWaiter waiter(session);
  waiter.wait("a", 1ms);
  session.sleep(1ms, "b");
  EXPECT_THROW(waiter.wait("c", 1ms), Interrupted);
  EXPECT_EQ(source.seen, "wait:a;sleep:b;wait:c;");
  session.set_interrupt_source(nullptr);
  waiter.wait("d", 1ms);
  EXPECT_EQ(session.call_count(), 4u);
}

TEST(FakeSession, TranscriptRecordsClockTimeOfEachCall) {
  FakeSession session({.auto_advance = 10ms});
  FakeWaiter waiter(session);
  waiter.wait("spinner", 100ms);
  session.sleep(5ms, "poll");
  const auto transcript = session.transcript();
  ASSERT_EQ(transcript.size(), 2u);
  EXPECT_EQ(transcript[0].at, 10ms);   // one tick
  EXPECT_EQ(transcript[1].at, 120ms);  // tick + 100ms wait + tick
  EXPECT_EQ(session.clock().elapsed(), 125ms);
  EXPECT_EQ(transcript[1].detail, "5ms");
  EXPECT_EQ(transcript[1].result, "slept");
}

TEST(FakeSession, FailAppendsTheTranscript) {
  FakeSession session;
  session.sleep(1ms, "x");
  try {
    session.fail("boom");
    FAIL() << "fail() returned";
  } catch (const ScriptError& error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("boom\ntranscript so far:\n"),
                                    HasSubstr("#1 sleep:x 1ms -> slept")));
  }
}

}  // namespace
}  // namespace flowproof::fakes
