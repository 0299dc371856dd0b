// flowproof/fakes/errors.hpp — the exceptions fakes raise, and how a product swaps in its own.
//
// A fake delivers a user's Ctrl-C as an exception. By default that is fakes::Interrupted; a product
// whose code catches its own cancellation type registers it once per session:
//
//   FakeSession session;
//   session.set_interruption(Interruption::as<mycli::UserCancelled>());
//   session.set_end_of_input(Interruption::as<mycli::InputClosed>());
//
// A script that does not fit what the product did throws ScriptError (never caught by products
// that catch only their own types), whose message shows the call, the script position and the
// transcript so far.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace flowproof::fakes {

/// The default cancellation a fake delivers (what Ctrl-C turns into).
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted (Ctrl-C)"; }
};

/// The default exception for end of input (Ctrl-D, closed stdin) at a prompt.
class EndOfInput : public std::exception {
 public:
  const char* what() const noexcept override { return "end of input"; }
};

/// A fake was called in a way its script does not allow; the message says where and shows the
/// transcript. Deliberately a std::logic_error: it is a test bug or a product bug, not a user
/// event.
class ScriptError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// How a fake raises a user event (cancellation, end of input): a thrower the product chooses.
struct Interruption {
  /// Throws the exception; must not return (a returning thrower is reported as a ScriptError).
  std::function<void()> raise;

  /// An Interruption that throws a default-constructed E.
  template <class E>
  static Interruption as() {
    return Interruption{[] { throw E{}; }};
  }
  /// An Interruption that throws a copy of the given exception object.
  template <class E>
  static Interruption as(E exception) {
    return Interruption{[exception = std::move(exception)] { throw exception; }};
  }
};

}  // namespace flowproof::fakes
