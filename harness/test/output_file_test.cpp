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

class WriteOutputFile : public ::testing::Test {
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

TEST_F(WriteOutputFile, ANewFileIsCreatedWithNoTemporaryLeft) {
  write_output_file((dir_ / "out.txt").string(), text("hello\n"));
  EXPECT_EQ(read_all(dir_ / "out.txt"), "hello\n");
  EXPECT_THAT(names(), ElementsAre("out.txt"));
  const auto perms = fs::status(dir_ / "out.txt").permissions();
  EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);  // not mkstemp's 0600
}

TEST_F(WriteOutputFile, AFailureLeavesTheOldFileWhole) {
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

TEST_F(WriteOutputFile, ASymbolicLinkIsFollowedAndKept) {
  std::ofstream(dir_ / "real.txt") << "old\n";
  fs::create_symlink("real.txt", dir_ / "link.txt");
  write_output_file((dir_ / "link.txt").string(), text("new\n"));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(read_all(dir_ / "real.txt"), "new\n");
  EXPECT_THAT(names(), UnorderedElementsAre("link.txt", "real.txt"));
}

TEST_F(WriteOutputFile, ADanglingSymbolicLinkCreatesTheFileItNames) {
  fs::create_symlink("target.txt", dir_ / "link.txt");
  write_output_file((dir_ / "link.txt").string(), text("new\n"));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(dir_ / "link.txt")));
  EXPECT_EQ(read_all(dir_ / "target.txt"), "new\n");
}

TEST_F(WriteOutputFile, AFifoIsWrittenInPlaceNotReplaced) {
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

TEST_F(WriteOutputFile, DevFdIsWrittenInPlace) {  // what a shell's >(command) passes
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

TEST_F(WriteOutputFile, ADirectoryOrAMissingDirectoryIsAnErrorNamingThePath) {
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

TEST_F(WriteOutputFile, DashIsStandardOutput) {
  ::testing::internal::CaptureStdout();
  write_output_file("-", text("to stdout\n"));
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "to stdout\n");
}

// OutputFile: nothing shows before commit(); destroyed without it, the old file stays whole and no
// temporary file is left.
TEST_F(WriteOutputFile, AnOutputFileShowsOnlyWhenCommitted) {
  std::ofstream(dir_ / "out.txt") << "old\n";
  {
    OutputFile file((dir_ / "out.txt").string());
    file.stream() << "new\n";
    EXPECT_EQ(read_all(dir_ / "out.txt"), "old\n");
  }
  EXPECT_EQ(read_all(dir_ / "out.txt"), "old\n");
  EXPECT_THAT(names(), ElementsAre("out.txt"));
  OutputFile file((dir_ / "out.txt").string());
  file.stream() << "new\n";
  file.commit();
  EXPECT_EQ(read_all(dir_ / "out.txt"), "new\n");
  EXPECT_THAT(names(), ElementsAre("out.txt"));
}

TEST_F(WriteOutputFile, CheckOutputPathWritesNothing) {
  check_output_path((dir_ / "new.txt").string());
  EXPECT_THAT(names(), ::testing::IsEmpty());
  EXPECT_THROW(check_output_path((dir_ / "missing" / "x.txt").string()), std::runtime_error);
  EXPECT_THROW(check_output_path(dir_.string()), std::runtime_error);
  check_output_path("-");
}

TEST_F(WriteOutputFile, SameOutputFileSeesThroughNamesAndLinks) {
  const std::string a = (dir_ / "a.txt").string();
  EXPECT_TRUE(same_output_file(a, (dir_ / "." / "a.txt").string()));  // neither exists yet
  fs::create_symlink("a.txt", dir_ / "dangling");
  EXPECT_TRUE(same_output_file(a, (dir_ / "dangling").string()));
  std::ofstream(dir_ / "a.txt") << "x";
  EXPECT_TRUE(same_output_file(a, (dir_ / "dangling").string()));  // now an existing file
  EXPECT_FALSE(same_output_file(a, (dir_ / "b.txt").string()));
  EXPECT_FALSE(same_output_file("/dev/null", "/dev/null"));  // a character device loses nothing
  // "-" is standard output's file: here a pipe, which /dev/stdout names as well.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(fds[1], STDOUT_FILENO);
  const bool dash_is_dev_stdout = same_output_file("-", "/dev/stdout");
  const bool dash_is_a = same_output_file("-", a);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_TRUE(dash_is_dev_stdout);
  EXPECT_FALSE(dash_is_a);
}

}  // namespace
}  // namespace flowproof::harness
