// cloud_cli/terminal.hpp — talking to a person: prompts, waits and Ctrl-C.
//
// SIGINT only sets a flag; every place that blocks (reading an answer, a wait, a backend call)
// checks it and throws UserCancelled there, so the flow in progress ends as Aborted{cancelled}
// instead of the process dying with the funnel open.
//
//   install_interrupt_handler();
//   LinePrompter prompter(read_stdin_line, std::cerr);  // a line "^C" is Ctrl-C, EOF is
//   InputClosed InterruptibleWaiter waiter;                         // sleeps, throws UserCancelled
//   on SIGINT
#pragma once

#include <flowproof/fakes/prompter.hpp>
#include <flowproof/fakes/waiter.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cloud_cli {

/// Installs a SIGINT handler that records the interrupt (without SA_RESTART, so blocking reads
/// return early).
void install_interrupt_handler();
/// Whether SIGINT arrived and was not yet consumed.
bool interrupt_pending();
/// Throws UserCancelled when SIGINT arrived (and consumes it).
void throw_if_interrupted();
/// Records an interrupt as the handler would (for tests).
void simulate_interrupt();

/// Reads one line from standard input (without the newline); nullopt at end of input. Throws
/// UserCancelled when SIGINT interrupts the read.
std::optional<std::string> read_stdin_line();

/// A Prompter that reads answers line by line: y/yes/n/no (empty: the default), an option's label
/// or 1-based number, free text (empty: the default). A line `^C` is Ctrl-C (UserCancelled), end
/// of input is InputClosed. An answer that does not fit is asked again.
class LinePrompter final : public flowproof::fakes::Prompter {
 public:
  using LineSource = std::function<std::optional<std::string>()>;
  LinePrompter(LineSource read_line, std::ostream& out)
      : read_line_(std::move(read_line)), out_(&out) {}

  bool confirm(const std::string& question, bool default_answer) override;
  std::size_t select(const std::string& question, const std::vector<std::string>& options) override;
  std::string text(const std::string& question, const std::string& default_answer) override;
  std::string secret(const std::string& question) override;

 private:
  std::string next_line();

  LineSource read_line_;
  std::ostream* out_;
};

/// A Waiter that sleeps for real in short slices and throws UserCancelled on SIGINT.
class InterruptibleWaiter final : public flowproof::fakes::Waiter {
 public:
  explicit InterruptibleWaiter(std::ostream* out = nullptr) : out_(out) {}
  void wait(std::string_view what, std::chrono::milliseconds duration) override;

 private:
  std::ostream* out_;
};

}  // namespace cloud_cli
