// run_process.hpp — runs a program (the built `flowproof`) as a child process for end-to-end tests
// and captures its exit status, standard output and standard error. Standard output may be a
// pseudo-terminal, to test what the command does on a tty.
//
//   ProcessResult r = run_process({FLOWPROOF_BINARY, "--version"});
//   EXPECT_EQ(r.status, 0);
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace flowproof::testing {

struct ProcessResult {
  int status = -1;  ///< exit status, or 128 + signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::map<std::string, std::string> set_env = {};  ///< added or replaced
  std::vector<std::string> unset_env = {};
  bool stdout_is_tty = false;   ///< standard output is a pseudo-terminal
  std::string stdin_text = {};  ///< written to standard input, then closed
};

/// Runs argv[0] with the arguments and waits for it, reading both outputs as they come.
inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const ProcessOptions& options = {}) {
  ::signal(SIGPIPE, SIG_IGN);  // a child that exits without reading its input must not kill us
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    bool drop = options.set_env.contains(name);
    for (const auto& unset : options.unset_env) drop = drop || unset == name;
    if (!drop) env.push_back(entry);
  }
  for (const auto& [name, value] : options.set_env) env.push_back(name + "=" + value);
  std::vector<char*> env_ptrs, arg_ptrs;
  for (auto& e : env) env_ptrs.push_back(e.data());
  env_ptrs.push_back(nullptr);
  std::vector<std::string> args = argv;
  for (auto& a : args) arg_ptrs.push_back(a.data());
  arg_ptrs.push_back(nullptr);

  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe(out_pipe) || ::pipe(err_pipe) || ::pipe(in_pipe)) throw std::runtime_error("pipe");
  int tty_master = -1, tty_slave = -1;
  if (options.stdout_is_tty) {
    tty_master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (tty_master < 0 || ::grantpt(tty_master) || ::unlockpt(tty_master)) {
      throw std::runtime_error("no pseudo-terminal");
    }
    tty_slave = ::open(::ptsname(tty_master), O_RDWR | O_NOCTTY);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, options.stdout_is_tty ? tty_slave : out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], in_pipe[0], in_pipe[1],
                 tty_master, tty_slave}) {
    if (fd >= 0) posix_spawn_file_actions_addclose(&actions, fd);
  }
  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, arg_ptrs[0], &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  if (tty_slave >= 0) ::close(tty_slave);
  if (spawned != 0)
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(spawned));

  ProcessResult result;
  std::size_t written = 0;
  int stdin_fd = in_pipe[1];
  if (options.stdin_text.empty()) {
    ::close(stdin_fd);
    stdin_fd = -1;
  }
  const int out_fd = options.stdout_is_tty ? tty_master : out_pipe[0];
  if (options.stdout_is_tty) ::close(out_pipe[0]);
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[3] = {{out_open ? out_fd : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0},
                     {stdin_fd, POLLOUT, 0}};
    if (::poll(fds, 3, -1) < 0) break;
    char buffer[65536];
    for (int k = 0; k < 2; ++k) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[k].fd, buffer, sizeof buffer);
      if (n <= 0) {
        (k == 0 ? out_open : err_open) = false;  // a pty reports EIO once the child is gone
      } else {
        (k == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      }
    }
    if (stdin_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(stdin_fd, options.stdin_text.data() + written,
                                options.stdin_text.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n <= 0 || written == options.stdin_text.size()) {
        ::close(stdin_fd);
        stdin_fd = -1;
      }
    }
  }
  if (stdin_fd >= 0) ::close(stdin_fd);
  ::close(out_fd);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace flowproof::testing
