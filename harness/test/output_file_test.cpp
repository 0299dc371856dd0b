// output_file_test.cpp — write_output_file(): a regular file is replaced atomically (a failure
// leaves the old one whole, no temporary file is left), a symbolic link is followed and kept, and a
// FIFO or /dev/fd/N is written in place, never replaced by a regular file.
#include <flowproof/harness/output_file.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace flowproof::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads a descriptor to its end (the other side of a pipe).
std::string drain(int fd) {
  std::string text;
  char buffer[256];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  return text;
}

auto text(std::string value) {
  return [value = std::move(value)](std::ostream& out) { out << value; };
}

class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("flowproof-output-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      result.push_back(entry.path().filename().string());
    }
    return result;
  }

  fs::path dir_;
};

TEST_F(OutputFile, ANewFileIsCreatedWithNoTemporaryLeft) {
  write_output_file((dir_ / "out.txt").string(), text("hello\n"));
  EXPECT_EQ(read_all(dir_ / "out.txt"), "hello\n");
  EXPECT_THAT(names(), ElementsAre("out.txt"));
  const auto perms = fs::status(dir_ / "out.txt").permissions();
  EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);  // not mkstemp's 0600
}

TEST_F(OutputFile, AFailureLeavesTheOldFileWhole) {
  std::ofstream(dir_ / "out.txt") << "old\n";
  EXPECT_THROW(write_output_file((dir_ / "out.txt").string(),
                                 [](std::ostream& out) {
                                   out << "half";
                                   throw std::runtime_error("the writer failed");
                                 }),
               std::runtime_error);
  EXPECT_EQ(read_all(dir_ / "out.txt"), "old\n");
  EXPECT_THAT(names(), ElementsAre("out.txt"));
}

TEST_F(OutputFile, ASymbolicLinkIsFollowedAndKept) {
  std::ofstream(dir_ / "real.txt") << "old\n";
  fs::create_symlink("real.txt", dir_ / "link.txt");
  write_output_file((dir_ / "link.txt").string(), text("new\n"));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(read_all(dir_ / "real.txt"), "new\n");
  EXPECT_THAT(names(), UnorderedElementsAre("link.txt", "real.txt"));
}

TEST_F(OutputFile, ADanglingSymbolicLinkCreatesTheFileItNames) {
  fs::create_symlink("target.txt", dir_ / "link.txt");
  write_output_file((dir_ / "link.txt").string(), text("new\n"));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(read_all(dir_ / "target.txt"), "new\n");
}

TEST_F(OutputFile, AFifoIsWrittenInPlaceNotReplaced) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read_all(fifo); });
  write_output_file(fifo.string(), text("through the fifo\n"));
  reader.join();
  EXPECT_EQ(received, "through the fifo\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_THAT(names(), ElementsAre("pipe"));
}

TEST_F(OutputFile, DevFdIsWrittenInPlace) {  // what a shell's >(command) passes
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string received;
  std::thread reader([&] { received = drain(fds[0]); });
  write_output_file("/dev/fd/" + std::to_string(fds[1]), text("through /dev/fd\n"));
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(received, "through /dev/fd\n");
}

TEST_F(OutputFile, ADirectoryOrAMissingDirectoryIsAnErrorNamingThePath) {
  try {
    write_output_file(dir_.string(), text("x"));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot write " + dir_.string() + ": it is a directory"));
  }
  const std::string missing = (dir_ / "missing" / "out.txt").string();
  try {
    write_output_file(missing, text("x"));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot write " + missing));
  }
}

TEST_F(OutputFile, DashIsStandardOutput) {
  ::testing::internal::CaptureStdout();
  write_output_file("-", text("to stdout\n"));
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "to stdout\n");
}

}  // namespace
}  // namespace flowproof::harness
