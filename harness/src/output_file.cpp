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

// Written where it stands: a FIFO, a device, /dev/fd/N. Nothing to rename, nothing to replace.
void write_in_place(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) cannot_write(path, std::strerror(errno));
  write(out);
  out.flush();
  if (!out) cannot_write(path, "write failed");
}

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
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      write(out);
      out.flush();
      if (!out) cannot_write(path, "write failed");
    }
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
    write_in_place(path, write);
    return;
  }
  std::error_code error;
  const fs::file_status status = fs::status(target, error);  // follows symbolic links
  if (status.type() == fs::file_type::not_found) {
    if (fs::is_symlink(fs::symlink_status(target, error))) {
      write_in_place(path, write);  // a dangling link: the file it names is created
    } else {
      write_replacing(target, path, write);
    }
  } else if (status.type() == fs::file_type::regular) {
    if (!fs::is_symlink(fs::symlink_status(target, error))) {
      write_replacing(target, path, write);
      return;
    }
    const fs::path file = fs::canonical(target, error);  // the file the link names
    if (error) cannot_write(path, error.message());
    write_replacing(file, path, write);
  } else if (status.type() == fs::file_type::directory) {
    cannot_write(path, "it is a directory");
  } else if (error) {
    cannot_write(path, error.message());
  } else {
    write_in_place(path, write);
  }
}

}  // namespace flowproof::harness
