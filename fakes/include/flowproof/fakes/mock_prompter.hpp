// flowproof/fakes/mock_prompter.hpp — MockPrompter (GoogleMock) and answer actions for it.
// Header-only; needs GoogleMock from the consumer's test target (flowproof::fakes never links it).
//
//   MockPrompter prompter;
//   EXPECT_CALL(prompter, text(HasSubstr("name"), _)).WillOnce(Answer("my-app"));
//   EXPECT_CALL(prompter, select(_, _)).WillOnce(Choose("pro"));
//   EXPECT_CALL(prompter, confirm(HasSubstr("terms"), _)).WillOnce(Decline());
//   EXPECT_CALL(prompter, secret(_)).WillOnce(Interrupt<UserCancelled>());
//
// Use MockPrompter for interaction expectations (what was asked, how often); use ScriptedPrompter
// for whole flows with a transcript and interruptions anywhere.
#pragma once

#include <flowproof/fakes/errors.hpp>
#include <flowproof/fakes/prompter.hpp>

#include <gmock/gmock.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace flowproof::fakes {

/// A Prompter whose four methods are GoogleMock mock methods.
class MockPrompter : public Prompter {
 public:
  MOCK_METHOD(bool, confirm, (const std::string& question, bool default_answer), (override));
  MOCK_METHOD(std::size_t, select,
              (const std::string& question, const std::vector<std::string>& options), (override));
  MOCK_METHOD(std::string, text, (const std::string& question, const std::string& default_answer),
              (override));
  MOCK_METHOD(std::string, secret, (const std::string& question), (override));
};

/// Action: answer a confirm with yes.
inline auto Accept() { return ::testing::Return(true); }
/// Action: answer a confirm with no.
inline auto Decline() { return ::testing::Return(false); }
/// Action: press Enter at a confirm or text prompt (returns its default argument).
inline auto TakeDefault() { return ::testing::ReturnArg<1>(); }
/// Action: type this text (at text or secret).
inline auto Answer(std::string text) { return ::testing::Return(std::move(text)); }
/// Action: pick the option with this label at a select; an unknown label throws ScriptError.
inline auto Choose(std::string label) {
  return [label = std::move(label)](const std::string& question,
                                    const std::vector<std::string>& options) -> std::size_t {
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (options[i] == label) return i;
    }
    std::string listed;
    for (const auto& option : options) listed += (listed.empty() ? "" : ", ") + option;
    throw ScriptError("MockPrompter Choose(\"" + label + "\"): no such option at select \"" +
                      question + "\" (options: " + listed + ")");
  };
}
/// Action: press Ctrl-C; throws E (the product's cancellation; default fakes::Interrupted).
template <class E = Interrupted>
auto Interrupt() {
  return ::testing::Throw(E{});
}
/// Action: close input; throws E (default fakes::EndOfInput).
template <class E = EndOfInput>
auto EndInput() {
  return ::testing::Throw(E{});
}

}  // namespace flowproof::fakes
