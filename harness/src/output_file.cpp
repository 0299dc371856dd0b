// output_file.cpp — write_output_file(): atomic replacement of regular files, in-place writes to
// everything else (FIFOs, devices, /dev/fd/N), so `--report json=/dev/stdout` works and
// `--report json=/dev/null` never replaces the device.
#include <flowproof/harness/output_file.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace flowproof::harness {

namespace {

[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write " + path + ": " + why);
}

// Opens `file` (the target itself, or a temporary file beside it) and writes to it; errors name
// `path`, the file the caller asked for.
void write_to(const std::string& file, const std::string& path,
              const std::function<void(std::ostream&)>& write) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) cannot_write(path, std::strerror(errno));
  write(out);
  out.flush();
  if (!out) cannot_write(path, "write failed");
}

// Written beside `target`, then renamed over it.
void write_replacing(const std::filesystem::path& target, const std::string& path,
                     const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // The temporary file sits in the target's directory so the rename never crosses file systems.
  std::string temp = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) cannot_write(path, std::strerror(errno));
  ::close(fd);
  try {
    write_to(temp, path, write);
    // mkstemp creates 0600; an output file is an ordinary file.
    fs::permissions(temp,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                        fs::perms::others_read,
                    fs::perm_options::replace);
    fs::rename(temp, target);
  } catch (const fs::filesystem_error& error) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    cannot_write(path, error.code().message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
}

}  // namespace

void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path == "-") {
    write(std::cout);
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write to standard output");
    return;
  }
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string absolute = fs::absolute(target).lexically_normal().string();
  if (absolute.starts_with("/dev/") || absolute.starts_with("/proc/")) {
    write_to(path, path, write);  // /dev/stdout, /dev/fd/N: written where it stands
    return;
  }
  std::error_code ignored;
  const bool link = fs::is_symlink(fs::symlink_status(target, ignored));
  std::error_code error;
  const fs::file_status status = fs::status(target, error);  // follows a symbolic link
  switch (status.type()) {
    case fs::file_type::not_found:  // a new file, or one a dangling link names
      return link ? write_to(path, path, write) : write_replacing(target, path, write);
    case fs::file_type::regular: {
      if (!link) return write_replacing(target, path, write);
      const fs::path file = fs::canonical(target, error);  // the file the link names
      if (error) cannot_write(path, error.message());
      return write_replacing(file, path, write);
    }
    case fs::file_type::directory:
      cannot_write(path, "it is a directory");
    default:  // a FIFO, a device, a socket: written where it stands, never replaced
      if (status.type() == fs::file_type::none) cannot_write(path, error.message());
      return write_to(path, path, write);
  }
}

}  // namespace flowproof::harness
