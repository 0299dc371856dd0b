// Tests for ScriptedBackend: outcome queues, typed exceptions, defaults, strictness, call log.
#include <flowproof/fakes/backend.hpp>

#include <flowproof/harness/error_class.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace flowproof::fakes {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ScriptedBackend, QueuesAreFifoPerOperation) {
  ScriptedBackend backend;
  backend.on("create_application").region_unavailable("eu-west-1").succeed({{"id", "app-1"}});
  backend.on("update_plan").billing_required();

  Response first = backend.call("create_application", {{"region", "eu-west-1"}});
  EXPECT_EQ(first.outcome, Outcome::region_unavailable);
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(first.body["region"], "eu-west-1");
  EXPECT_EQ(first.operation, "create_application");
  EXPECT_EQ(backend.call("update_plan", {}).outcome, Outcome::billing_required);
  Response second = backend.call("create_application", {{"region", "us-east-1"}});
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(second.body["id"], "app-1");
  EXPECT_EQ(backend.verify(), "");
}

TEST(ScriptedBackend, CallLogHasOperationRequestOutcomeAndTime) {
  FakeSession session({.auto_advance = 1ms});
  ScriptedBackend backend(session);
  backend.on("create_application").region_unavailable().took(300ms).succeed().took(800ms);
  backend.call("create_application", {{"region", "eu"}});
  backend.call("create_application", {{"region", "us"}});
  const auto calls = backend.calls("create_application");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request["region"], "eu");
  EXPECT_EQ(calls[0].response.outcome, Outcome::region_unavailable);
  EXPECT_EQ(calls[0].at, 1ms);
  EXPECT_EQ(calls[1].request["region"], "us");
  EXPECT_EQ(calls[1].response.outcome, Outcome::success);
  EXPECT_EQ(calls[1].at, 302ms);  // 1 tick + 300 latency + 1 tick
  EXPECT_EQ(calls[1].number, 2u);
  EXPECT_EQ(session.clock().elapsed(), 1102ms);
  EXPECT_EQ(backend.call_count("create_application"), 2u);
  EXPECT_EQ(backend.call_count("delete_application"), 0u);
}

TEST(ScriptedBackend, ThrowIfErrorRaisesOneTypePerOutcome) {
  ScriptedBackend backend;
  backend.on("op")
      .billing_required()
      .already_on_plan("pro")
      .no_candidates()
      .http_error(500)
      .network_error()
      .timeout()
      .region_unavailable("eu")
      .succeed();
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), BillingRequired);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), AlreadyOnPlan);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), NoCandidates);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), HttpError);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), NetworkError);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), Timeout);
  EXPECT_THROW(backend.call("op", {}).throw_if_error(), RegionUnavailable);
  EXPECT_NO_THROW(backend.call("op", {}).throw_if_error());
}

TEST(ScriptedBackend, CallOrThrowReturnsSuccessOrThrowsTheTypedError) {
  ScriptedBackend backend;
  backend.on("update_plan").already_on_plan("pro").succeed({{"plan", "pro"}});
  EXPECT_THROW(backend.call_or_throw("update_plan", {{"plan", "pro"}}), AlreadyOnPlan);
  EXPECT_EQ(backend.call_or_throw("update_plan", {{"plan", "pro"}}).body["plan"], "pro");
  EXPECT_EQ(backend.call_count("update_plan"), 2u);
}

TEST(ScriptedBackend, TypedExceptionsCarryTheResponseAndReadableNames) {
  ScriptedBackend backend;
  backend.on("update_plan").billing_required("card declined");
  try {
    backend.call("update_plan", {{"plan", "pro"}}).throw_if_error();
    FAIL() << "expected BillingRequired";
  } catch (const BackendError& error) {
    EXPECT_EQ(error.response().status, 402);
    EXPECT_STREQ(error.what(), "update_plan: billing_required (HTTP 402): card declined");
    EXPECT_THAT(harness::error_class(error), HasSubstr("BillingRequired"));
  }
}

TEST(ScriptedBackend, DefaultsApplyWhenTheQueueIsEmpty) {
  ScriptedBackend backend;
  backend.set_default("get_plans", Response::success({{"plans", {"free", "pro"}}}));
  backend.set_default(Response::http_error(404));
  backend.on("get_plans").network_error();
  EXPECT_EQ(backend.call("get_plans", {}).outcome, Outcome::network_error);  // queue first
  EXPECT_TRUE(backend.call("get_plans", {}).ok());
  EXPECT_TRUE(backend.call("get_plans", {}).ok());
  EXPECT_EQ(backend.call("anything", {}).status, 404);
}

TEST(ScriptedBackend, AnUnexpectedCallIsAScriptErrorWithTheTranscript) {
  FakeSession session;
  ScriptedBackend backend(session);
  backend.on("get_plans").succeed();
  backend.call("get_plans", {});
  try {
    backend.call("create_application", {{"name", "my-app"}});
    FAIL() << "expected ScriptError";
  } catch (const ScriptError& error) {
    EXPECT_THAT(
        error.what(),
        AllOf(HasSubstr("unexpected backend call: create_application {\"name\":\"my-app\"}"),
              HasSubstr("on(\"create_application\")"),
              HasSubstr("#1 backend:get_plans {} -> success 200")));
  }
}

TEST(ScriptedBackend, VerifyReportsOutcomesNeverUsed) {
  ScriptedBackend backend;
  backend.on("create_application").region_unavailable("eu").succeed();
  backend.call("create_application", {});
  EXPECT_EQ(backend.remaining("create_application"), 1u);
  EXPECT_THAT(backend.verify(),
              AllOf(HasSubstr("\"create_application\": 1 never used: success 200"),
                    HasSubstr("#1 backend:create_application {} -> region_unavailable 503")));
}

TEST(ScriptedBackend, InterruptOutcomeThrowsTheSessionsCancellation) {
  struct UserCancelled {};
  FakeSession session;
  session.set_interruption(Interruption::as<UserCancelled>());
  ScriptedBackend backend(session);
  backend.on("apply_plan").interrupt().took(250ms);
  EXPECT_THROW(backend.call("apply_plan", {}), UserCancelled);
  EXPECT_EQ(session.clock().elapsed(), 250ms);  // the user waited before pressing Ctrl-C
  ASSERT_EQ(backend.calls().size(), 1u);
  EXPECT_EQ(backend.calls()[0].response.outcome, Outcome::interrupted);
  EXPECT_THAT(session.transcript_text(), HasSubstr("backend:apply_plan {} -> interrupted"));
}

TEST(ScriptedBackend, TookWithoutAnOutcomeIsAScriptError) {
  ScriptedBackend backend;
  EXPECT_THROW(backend.on("x").took(1ms), ScriptError);
}

TEST(Response, DescribeAndStatuses) {
  EXPECT_EQ(Response::success().describe(), "success 200");
  EXPECT_EQ(Response::billing_required().describe(), "billing_required 402 \"payment required\"");
  EXPECT_EQ(Response::already_on_plan("pro").status, 409);
  EXPECT_EQ(Response::no_candidates().status, 404);
  EXPECT_EQ(Response::network_error().status, 0);
  EXPECT_EQ(Response::timeout().status, 0);
  EXPECT_EQ(Response::http_error(418).message, "HTTP 418");
  EXPECT_EQ(to_string(Outcome::region_unavailable), "region_unavailable");
  EXPECT_THROW(Response::interrupted().throw_if_error(), ScriptError);
}

// An outcome source the random fakes can model: always times out, counting calls.
class AlwaysTimeout : public OutcomeSource {
 public:
  std::optional<Response> next_outcome(std::string_view, const nlohmann::json&) override {
    ++calls;
    return Response::timeout();
  }
  int calls = 0;
};

TEST(FakeBackend, TakesOutcomesFromAnySource) {
  FakeSession session;
  AlwaysTimeout source;
  FakeBackend backend(session, source);
  EXPECT_EQ(backend.call("a", {}).outcome, Outcome::timeout);
  EXPECT_EQ(backend.call("b", {}).outcome, Outcome::timeout);
  EXPECT_EQ(source.calls, 2);
  EXPECT_EQ(session.call_count(), 2u);
}

}  // namespace
}  // namespace flowproof::fakes
