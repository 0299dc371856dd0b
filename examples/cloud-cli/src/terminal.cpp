// Prompts, waits and Ctrl-C for the real program (see cloud_cli/terminal.hpp).
#include "cloud_cli/terminal.hpp"

#include "cloud_cli/errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <thread>

namespace cloud_cli {

namespace {

volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_sigint(int) { interrupted = 1; }

std::string trim(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR
  sigaction(SIGINT, &action, nullptr);
}

bool interrupt_pending() { return interrupted != 0; }

void throw_if_interrupted() {
  if (interrupted != 0) {
    interrupted = 0;
    throw UserCancelled();
  }
}

void simulate_interrupt() { interrupted = 1; }

std::optional<std::string> read_stdin_line() {
  std::string line;
  // One byte at a time: the rest of a piped script stays unread for the next prompt.
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) {
      throw_if_interrupted();
      continue;
    }
    if (n <= 0) {
      if (line.empty()) return std::nullopt;
      return line;
    }
    if (c == '\n') return line;
    line += c;
  }
}

std::string LinePrompter::next_line() {
  throw_if_interrupted();
  const std::optional<std::string> line = read_line_();
  if (!line) throw InputClosed();
  const std::string answer = trim(*line);
  if (answer == "^C") throw UserCancelled();
  return answer;
}

bool LinePrompter::confirm(const std::string& question, bool default_answer) {
  for (;;) {
    *out_ << "? " << question << (default_answer ? " [Y/n] " : " [y/N] ") << std::flush;
    const std::string answer = lower(next_line());
    *out_ << "\n";
    if (answer.empty()) return default_answer;
    if (answer == "y" || answer == "yes") return true;
    if (answer == "n" || answer == "no") return false;
    *out_ << "  Please answer y or n.\n";
  }
}

std::size_t LinePrompter::select(const std::string& question,
                                 const std::vector<std::string>& options) {
  for (;;) {
    *out_ << "? " << question << "\n";
    for (std::size_t i = 0; i < options.size(); ++i)
      *out_ << "  " << (i + 1) << ") " << options[i] << "\n";
    *out_ << "> " << std::flush;
    const std::string answer = next_line();
    *out_ << "\n";
    for (std::size_t i = 0; i < options.size(); ++i)
      if (answer == options[i] || answer == std::to_string(i + 1)) return i;
    *out_ << "  Please answer with an option's name or number.\n";
  }
}

std::string LinePrompter::text(const std::string& question, const std::string& default_answer) {
  *out_ << "? " << question;
  if (!default_answer.empty()) *out_ << " (" << default_answer << ")";
  *out_ << ": " << std::flush;
  const std::string answer = next_line();
  *out_ << "\n";
  return answer.empty() ? default_answer : answer;
}

std::string LinePrompter::secret(const std::string& question) {
  *out_ << "? " << question << ": " << std::flush;
  const std::string answer = next_line();
  *out_ << "\n";
  return answer;
}

void InterruptibleWaiter::wait(std::string_view what, std::chrono::milliseconds duration) {
  if (out_ != nullptr) *out_ << "  ... waiting (" << what << ")\n" << std::flush;
  const auto slice = std::chrono::milliseconds(20);
  for (auto left = duration; left > std::chrono::milliseconds(0); left -= slice) {
    throw_if_interrupted();
    std::this_thread::sleep_for(std::min(left, slice));
  }
  throw_if_interrupted();
}

}  // namespace cloud_cli
