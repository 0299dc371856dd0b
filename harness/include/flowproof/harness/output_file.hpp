// output_file.hpp — how flowproof writes every file it produces: recordings, suite streams,
// reports, generated streams, saved counterexamples.
//
//   flowproof::harness::write_output_file("report.json", [&](std::ostream& out) { out << text; });
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace flowproof::harness {

/// Writes what `write` puts into its stream to `path`:
/// - "-" is standard output;
/// - a regular file, or a path that does not exist yet, is replaced atomically: written to a
///   temporary file in the same directory, then renamed into place, so a reader never sees half of
///   it and a failure leaves the old file whole (a symbolic link to a regular file is followed:
///   the file is replaced, the link stays);
/// - anything else that exists (a FIFO, a device such as /dev/null, a dangling symbolic link), and
///   every path under /dev/ or /proc/ (/dev/stdout, /dev/fd/N, a shell's process substitution),
///   is opened and written in place, never replaced.
/// Throws std::runtime_error "cannot write PATH: REASON" when it cannot be written; an exception
/// from `write` propagates (the temporary file removed).
void write_output_file(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace flowproof::harness
