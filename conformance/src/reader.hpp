// reader.hpp (internal) — streams JSON Lines (or one JSON array) from a file, a gzip file, standard
// input, an istream or memory, parses each line with one reused simdjson parser and hands every
// event to a sink with its 1-based line number. Malformed lines become one report each.
//
//   Reader reader(limits, sink);
//   reader.read(*open_file_source("events.jsonl.gz"));   // or read_text("name", text)
//   reader.counters().events;
#pragma once

#include "normalize.hpp"

#include <flowproof/conformance/checker.hpp>

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::conformance::detail {

/// A key and its first and last bytes (scratch of the duplicate-key check).
struct KeyProbe {
  std::string_view key;
  std::uint64_t head;
};

/// Reused buffers of duplicate_key().
struct DuplicateKeyScratch {
  std::vector<KeyProbe> keys;
  std::vector<std::string_view> sorted;  ///< for objects with many keys
};

/// The JSON pointer of the first object (`value` itself or anything inside it, in document order)
/// that holds a key twice, that key appended (the smallest such key of that object); empty when
/// there is none. `unvisited` names a member of `value` not to look inside (a batch or upload
/// wrapper's list, whose elements are checked one by one so that one bad element leaves the
/// others); empty: every member is.
std::string duplicate_key(simdjson::dom::element value, DuplicateKeyScratch& scratch,
                          std::string_view unvisited = {});

/// Whether some object anywhere in a parsed document may hold a key twice: false only when none
/// does (nearly every line), so that the document skips duplicate_key()'s walks, which then find
/// which key, in the order a reader is told. True also for what it leaves to them (objects of
/// more than 32 keys, nesting deeper than 16).
bool has_duplicate_key(const simdjson::dom::document& document);

/// A source of raw bytes (a file, a gzip file, standard input, an istream).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes; 0 at the end. Throws InputError when reading fails.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

/// Opens a file for reading ("-" is standard input, ".gz" is decompressed). Throws InputError
/// naming the file when it cannot be read (missing, a directory, no permission).
std::unique_ptr<ByteSource> open_file_source(const std::filesystem::path& path);
/// Wraps an istream (not owned).
std::unique_ptr<ByteSource> make_istream_source(std::istream& in, std::string name);

/// Counts of what was read, across every input the reader saw.
struct ReaderCounters {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t skipped = 0;
  std::uint64_t malformed = 0;
  std::uint64_t blank = 0;
};

/// Receives what the reader finds.
class ReaderSink {
 public:
  virtual ~ReaderSink() = default;
  /// One event (a track call or an Amplitude event), valid until the call returns.
  virtual void on_event(const EventView& event, std::uint64_t line) = 0;
  /// One malformed line (FP001); `message` says what is wrong with it.
  virtual void on_malformed(std::uint64_t line, std::string message) = 0;
  /// Called every few thousand lines, so that the sink may report progress.
  virtual void on_progress(const ReaderCounters& counters) = 0;
};

class Reader {
 public:
  Reader(const Limits& limits, ReaderSink& sink);
  /// Reads one input to its end.
  void read(ByteSource& source);
  /// Reads text held in memory.
  void read_text(std::string_view text);
  const ReaderCounters& counters() const { return counters_; }

 private:
  class LineBuffer;
  /// Reads line by line to the end of `buffer`; `arrays`: a first line that begins a JSON array
  /// reads the array (read_array), else every line is JSON Lines. `bytes` counts what is read.
  void read_lines(LineBuffer& buffer, bool arrays, std::uint64_t& bytes);
  void read_array(LineBuffer& buffer, std::uint64_t first_line);
  /// An array element that never closes (the input ends inside it, or it outgrows the line
  /// limit): its first line is the finding; the lines after it, those it swallowed and the rest
  /// of the input, are read again as JSON Lines from `element_line + 1`, so none goes unread.
  void recover_lines(LineBuffer& buffer, std::string_view element, std::uint64_t element_line);
  /// Parses one line (or array element); `padded` when SIMDJSON_PADDING bytes follow it.
  void parse_unit(const char* data, std::size_t size, bool padded, std::uint64_t line);
  void handle_container(simdjson::dom::element element, std::uint64_t line);
  /// `top`: the event's top-level members when handle_container found them already.
  void handle_event(simdjson::dom::element element, std::uint64_t line, std::size_t index,
                    const TopMembers* top);
  void problem(std::string message);
  void tick();

  Limits limits_;
  ReaderSink& sink_;
  simdjson::dom::parser parser_;
  ReaderCounters counters_;
  EventView view_;
  DuplicateKeyScratch keys_;        // scratch for the duplicate-key check
  bool unit_has_duplicate_ = true;  // has_duplicate_key() of the unit parsed last
  // Per unit: the first problem found and whether anything was carried.
  std::string problem_;
  bool has_problem_ = false;
  std::uint64_t carried_ = 0;
  std::uint64_t next_tick_ = 4096;
};

}  // namespace flowproof::conformance::detail
