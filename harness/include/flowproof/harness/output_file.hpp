// output_file.hpp — how flowproof writes every file it produces: recordings, suite streams,
// reports, generated streams, saved counterexamples.
//
//   flowproof::harness::write_output_file("report.json", [&](std::ostream& out) { out << text; });
//
//   // Several files that stand or fall together: open all, write all, then publish all.
//   flowproof::harness::OutputFile json("report.json"), junit("report.xml");  // throws if
//   unwritable json.stream() << ...; junit.stream() << ...; json.commit(); junit.commit();
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace flowproof::harness {

/// One output file, opened when constructed and made visible by commit(). Where `path` leads:
/// - "-" is standard output;
/// - a regular file, or a path that does not exist yet, is replaced atomically: written to a
///   temporary file in the same directory, then renamed into place by commit(), so a reader never
///   sees half of it and a failure leaves the old file whole (a symbolic link is followed, also
///   when it dangles: the file it names is replaced or created, the link stays);
/// - anything else that exists (a FIFO, a device such as /dev/null), and every path under /dev/ or
///   /proc/ (/dev/stdout, /dev/fd/N, a shell's process substitution), is opened and written in
///   place, never replaced.
/// The constructor and commit() throw std::runtime_error "cannot write PATH: REASON". Destroyed
/// without commit(), the temporary file is removed and the old file stays as it was (bytes
/// already written in place, to standard output or a FIFO, stay written).
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  OutputFile(OutputFile&&) noexcept;
  OutputFile& operator=(OutputFile&&) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  /// Where to write; valid until commit() or destruction.
  std::ostream& stream();
  /// Flushes, checks that every byte was written and, for a replaced file, renames it into place.
  void commit();
  const std::string& path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Writes what `write` puts into its stream to `path`, as OutputFile does, and commits it.
/// An exception from `write` propagates (the temporary file removed).
void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Throws what OutputFile(path) would ("cannot write PATH: REASON") without writing anything:
/// for a file to be replaced, a temporary file is created beside it and removed; standard output,
/// FIFOs and devices are not opened. For checking every output before long work starts.
void check_output_path(const std::string& path);

/// Whether writing to `a` and to `b` would write one file: the same file by another name or through
/// symbolic links (existing or not yet), or "-" and a path that is standard output's file
/// (/dev/stdout, or the file standard output was redirected to). Character devices (/dev/null, a
/// terminal) never count: two outputs there lose nothing.
bool same_output_file(const std::string& a, const std::string& b);

}  // namespace flowproof::harness
