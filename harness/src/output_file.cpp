// output_file.cpp — OutputFile and write_output_file(): atomic replacement of regular files,
// in-place writes to everything else (FIFOs, devices, /dev/fd/N), so `--report json=/dev/stdout`
// works and `--report json=/dev/null` never replaces the device; same_output_file() for callers
// that must not write two outputs, or an output and an input, to one file.
#include <flowproof/harness/output_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

namespace flowproof::harness {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write " + path + ": " + why);
}

// The path a chain of symbolic links ends at (itself when it is no link); a chain longer than the
// kernel follows (40) is returned where it stopped, and opening it then fails with ELOOP.
fs::path follow_links(fs::path path) {
  std::error_code error;
  for (int hop = 0; hop < 40 && fs::is_symlink(fs::symlink_status(path, error)); ++hop) {
    fs::path next = fs::read_symlink(path, error);
    if (error) break;
    path = next.is_relative() ? path.parent_path() / next : next;
  }
  return path;
}

bool in_place_prefix(const std::string& path) {
  const std::string absolute = fs::absolute(fs::path(path)).lexically_normal().string();
  return absolute.starts_with("/dev/") || absolute.starts_with("/proc/");
}

}  // namespace

struct OutputFile::State {
  std::string path;    // as the caller gave it: every message names it
  std::ofstream file;  // the target itself, or the temporary file beside it
  std::ostream* out = nullptr;
  fs::path temp, target;  // temp empty: written in place (or standard output)
  bool committed = false;

  void open(const fs::path& file_name) {
    file.open(file_name, std::ios::binary | std::ios::trunc);
    if (!file) cannot_write(path, std::strerror(errno));
    out = &file;
  }
  // A temporary file in the target's directory, so the rename never crosses file systems.
  void open_replacing(const fs::path& replaced) {
    target = replaced;
    const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string name = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) cannot_write(path, std::strerror(errno));
    ::close(fd);
    temp = name;
    open(temp);
  }
  void discard() {
    if (temp.empty()) return;
    if (file.is_open()) file.close();
    std::error_code ignored;
    fs::remove(temp, ignored);
    temp.clear();
  }
};

namespace {

// Where a path leads: standard output, a file written in place, or one replaced through a
// temporary file beside `target`.
struct Destination {
  enum Kind { standard_output, in_place, replaced } kind;
  fs::path target;
};

Destination destination(const std::string& path) {
  if (path == "-") return {Destination::standard_output, {}};
  const fs::path target(path);
  if (in_place_prefix(path)) return {Destination::in_place, target};  // /dev/stdout, /dev/fd/N
  std::error_code error;
  const fs::file_status status = fs::status(target, error);  // follows a symbolic link
  switch (status.type()) {
    case fs::file_type::not_found:  // a new file, or the one a dangling link names
    case fs::file_type::regular:
      return {Destination::replaced, follow_links(target)};
    case fs::file_type::directory:
      cannot_write(path, "it is a directory");
    default:  // a FIFO, a device, a socket: written where it stands, never replaced
      if (status.type() == fs::file_type::none) cannot_write(path, error.message());
      return {Destination::in_place, target};
  }
}

}  // namespace

OutputFile::OutputFile(const std::string& path) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.path = path;
  const Destination where = destination(path);
  switch (where.kind) {
    case Destination::standard_output:
      s.out = &std::cout;
      return;
    case Destination::in_place:
      s.open(where.target);
      return;
    case Destination::replaced:
      try {
        s.open_replacing(where.target);
      } catch (...) {
        s.discard();
        throw;
      }
      return;
  }
}

void check_output_path(const std::string& path) {
  const Destination where = destination(path);
  if (where.kind == Destination::replaced) OutputFile probe(path);  // removed unused
}

OutputFile::OutputFile(OutputFile&&) noexcept = default;
OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    if (state_ && !state_->committed) state_->discard();
    state_ = std::move(other.state_);
  }
  return *this;
}

OutputFile::~OutputFile() {
  if (state_ && !state_->committed) state_->discard();
}

std::ostream& OutputFile::stream() { return *state_->out; }

const std::string& OutputFile::path() const { return state_->path; }

void OutputFile::commit() {
  State& s = *state_;
  if (s.committed) return;
  s.out->flush();
  if (!*s.out) {
    s.discard();
    if (s.path == "-") throw std::runtime_error("cannot write to standard output");
    cannot_write(s.path, "write failed");
  }
  if (s.file.is_open()) {
    s.file.close();
    if (!s.file) {
      s.discard();
      cannot_write(s.path, "write failed");
    }
  }
  if (!s.temp.empty()) {
    std::error_code error;
    // mkstemp creates 0600; an output file is an ordinary file.
    fs::permissions(s.temp,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                        fs::perms::others_read,
                    fs::perm_options::replace, error);
    if (!error) fs::rename(s.temp, s.target, error);
    if (error) {
      s.discard();
      cannot_write(s.path, error.message());
    }
    s.temp.clear();
  }
  s.committed = true;
}

void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  OutputFile file(path);
  write(file.stream());
  file.commit();
}

namespace {

// What a path would be written to: a file that exists (device and inode), or the path a new file
// would get once `.`, `..` and symbolic links are resolved; nothing for a character device.
struct Identity {
  std::optional<std::pair<dev_t, ino_t>> file;
  std::string future;
};

std::optional<Identity> identity(const std::string& path) {
  struct stat st {};
  const int result = path == "-" ? ::fstat(STDOUT_FILENO, &st) : ::stat(path.c_str(), &st);
  if (result == 0) {
    if (S_ISCHR(st.st_mode)) return std::nullopt;
    return Identity{std::pair{st.st_dev, st.st_ino}, {}};
  }
  if (path == "-") return std::nullopt;
  std::error_code error;
  const fs::path absolute = fs::absolute(follow_links(fs::path(path)), error);
  if (error) return std::nullopt;
  const fs::path resolved = fs::weakly_canonical(absolute, error);
  if (error) return std::nullopt;
  return Identity{std::nullopt, resolved.string()};
}

}  // namespace

bool same_output_file(const std::string& a, const std::string& b) {
  const auto first = identity(a), second = identity(b);
  if (!first || !second) return false;
  if (first->file || second->file) return first->file == second->file;
  return first->future == second->future;
}

}  // namespace flowproof::harness
