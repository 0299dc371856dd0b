// reader.cpp — streaming JSON Lines / JSON array reading with one reused simdjson parser (see
// reader.hpp). Lines are never joined into one big buffer: memory is one chunk plus the longest
// line.
#include "reader.hpp"

#include "json_pointer.hpp"
#include "json_structure.hpp"
#include "memo.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <system_error>
#include <vector>

namespace flowproof::conformance::detail {
namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr std::uint64_t kTickLines = 4096;
// Objects with at most this many keys are checked for duplicates pair by pair.
constexpr std::size_t kPairwiseKeys = 32;

class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* file, std::string name, bool owned)
      : file_(file), name_(std::move(name)), owned_(owned) {}
  ~FileSource() override {
    if (owned_) std::fclose(file_);
  }
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = std::fread(buffer, 1, size, file_);
    if (n == 0 && std::ferror(file_)) {
      throw InputError(name_ + ": cannot read: " + std::strerror(errno));
    }
    return n;
  }

 private:
  std::FILE* file_;
  std::string name_;
  bool owned_;
};

// gzip, member after member (a concatenation of gzip files is one gzip file), read with zlib's
// inflate rather than gzread: gzread ignores whatever follows the last member, so a damaged second
// member or stray bytes after the data would pass unnoticed with the events in them.
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::FILE* file, std::string name, bool owned = true)
      : file_(file), name_(std::move(name)), input_(1 << 17), owned_(owned) {
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {  // 16: a gzip header and trailer
      if (owned_) std::fclose(file_);
      throw InputError(name_ + ": cannot decompress: " + (stream_.msg ? stream_.msg : "zlib"));
    }
  }
  ~GzipSource() override {
    inflateEnd(&stream_);
    if (owned_) std::fclose(file_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(char* buffer, std::size_t size) override {
    const auto wanted = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = wanted;
    while (stream_.avail_out == wanted) {
      if (stream_.avail_in == 0 && !fill()) {
        if (in_member_) fail("unexpected end of file (the gzip data is truncated)");
        // An empty .gz is a write that never happened (gzip of nothing is 20 bytes), not an
        // empty stream: it is refused as gzip -t refuses it.
        if (read_ == 0) fail("the file is empty (not even a gzip header)");
        return 0;  // the end, between members
      }
      if (!in_member_ && !at_magic()) {
        const std::uint64_t at = consumed();
        // Zero bytes after the last member are padding (tape and block devices add it), which
        // gzip -d and gzip -t accept: the end, once every remaining byte is zero.
        if (at > 0 && only_zeros_remain()) return wanted - stream_.avail_out;
        if (at == 0) fail("not gzip data");
        fail("the data after the end of the gzip stream (at byte " + std::to_string(at) +
             ") is not gzip");
      }
      in_member_ = true;
      const int code = inflate(&stream_, Z_NO_FLUSH);
      if (code == Z_STREAM_END) {
        in_member_ = false;  // the trailer's CRC and length checked; another member may follow
        inflateReset(&stream_);
      } else if (code != Z_OK && code != Z_BUF_ERROR) {
        fail(stream_.msg != nullptr ? stream_.msg : "gzip error");
      }
    }
    return wanted - stream_.avail_out;
  }

 private:
  bool fill() {
    const std::size_t n = std::fread(input_.data(), 1, input_.size(), file_);
    if (n == 0 && std::ferror(file_)) {
      throw InputError(name_ + ": cannot read: " + std::strerror(errno));
    }
    stream_.next_in = input_.data();
    stream_.avail_in = static_cast<uInt>(n);
    read_ += n;
    return n > 0;
  }
  std::uint64_t consumed() const { return read_ - stream_.avail_in; }
  // Whether the unread input and the rest of the file are all zero bytes (reads them).
  bool only_zeros_remain() {
    do {
      for (uInt i = 0; i < stream_.avail_in; ++i) {
        if (stream_.next_in[i] != 0) return false;
      }
      stream_.avail_in = 0;
    } while (fill());
    return true;
  }
  // Whether the unread input starts with gzip's magic bytes, as every member does (only the first
  // byte is checked when the buffer ends after it; zlib checks the rest).
  bool at_magic() const {
    return stream_.next_in[0] == 0x1f && (stream_.avail_in < 2 || stream_.next_in[1] == 0x8b);
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(name_ + ": cannot decompress: " + why);
  }

  std::FILE* file_;
  std::string name_;
  std::vector<Bytef> input_;
  z_stream stream_{};
  std::uint64_t read_ = 0;  // bytes of the file read so far
  bool in_member_ = false;
  bool owned_;
};

class IstreamSource final : public ByteSource {
 public:
  IstreamSource(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (!in_.good()) {
      if (in_.bad()) throw InputError(name_ + ": cannot read the stream");
      return 0;
    }
    in_.read(buffer, static_cast<std::streamsize>(size));
    if (in_.bad()) throw InputError(name_ + ": cannot read the stream");
    return static_cast<std::size_t>(in_.gcount());
  }

 private:
  std::istream& in_;
  std::string name_;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// True when a line ends inside a JSON string (which a line of valid JSON never does).
bool ends_inside_string(std::string_view line) {
  JsonStructure structure;
  for (char c : line) structure.feed(c);
  return structure.in_string();
}

bool is_container(simdjson::dom::element_type type) {
  return type == simdjson::dom::element_type::OBJECT || type == simdjson::dom::element_type::ARRAY;
}

// Of the keys of one object, the smallest that is there twice; null when none is.
const std::string_view* smallest_twice(std::vector<KeyProbe>& keys,
                                       std::vector<std::string_view>& sorted) {
  if (keys.size() <= kPairwiseKeys) {
    // Few keys (every analytics event): first a test of the heads without early exits (cheap
    // and easy on the branch predictor), then, only when two heads agree, the exact comparison.
    bool any = false;
    for (std::size_t i = 1; i < keys.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) any |= keys[i].head == keys[j].head;
    }
    if (!any) return nullptr;
    const std::string_view* smallest = nullptr;
    for (std::size_t i = 1; i < keys.size(); ++i) {
      const KeyProbe& a = keys[i];
      for (std::size_t j = 0; j < i; ++j) {
        const KeyProbe& b = keys[j];
        if (a.head == b.head && same_text(a.key, b.key)) {
          if (smallest == nullptr || a.key < *smallest) smallest = &a.key;
          break;
        }
      }
    }
    return smallest;
  }
  sorted.clear();
  for (const KeyProbe& probe : keys) sorted.push_back(probe.key);
  std::sort(sorted.begin(), sorted.end());
  auto twice = std::adjacent_find(sorted.begin(), sorted.end());
  return twice != sorted.end() ? &*twice : nullptr;
}

// How a line is read: through a wrapper's list (a Segment `batch`, an Amplitude upload's
// `events`) or as one event; and, when the object also looks like another shape, the FP001
// message naming every shape that is there and not read. One place decides, so no shape of a line
// is dropped without a word.
struct LineShape {
  const char* list = nullptr;  // "batch" or "events"; null: the line is one event
  std::string unread;          // empty when nothing else is there
};

LineShape line_shape(const TopMembers& top) {
  LineShape shape;
  if (!top.has(TopMembers::kBatch) && !top.has(TopMembers::kEvents)) return shape;  // one event
  if (top.has(TopMembers::kBatch)) {
    shape.list = "batch";
  } else if (!top.has(TopMembers::kEventType) && top.has(TopMembers::kEvents)) {
    shape.list = "events";
  }
  const bool events_list =
      top.has(TopMembers::kEvents) && top.found[TopMembers::kEvents].is_array();
  std::vector<std::string> others;  // (an event with both `event_type` and `event` is named per
                                    // event, in handle_event: a batch's elements can be so too)
  if (shape.list == nullptr || shape.list[0] == 'b') {
    if (events_list) others.emplace_back("has an `events` list");
  }
  if (shape.list != nullptr && (top.has(TopMembers::kEvent) || top.has(TopMembers::kEventType))) {
    others.push_back(std::string("names an event of its own (`") +
                     (top.has(TopMembers::kEvent) ? "event" : "event_type") + "`)");
  }
  if (others.empty()) return shape;
  shape.unread = (shape.list == nullptr ? std::string("an event (`event_type`)")
                                        : std::string("the `") + shape.list + "` wrapper") +
                 " also " + others[0];
  shape.unread +=
      others.size() == 1 ? ", which is not read" : " and " + others[1] + ", which are not read";
  return shape;
}

}  // namespace

// A producer's duplicate key is read differently by different consumers (simdjson finds the
// first, JavaScript keeps the last), so the checker refuses to guess. Depth is bounded by the
// parser's max_depth.
std::string duplicate_key(simdjson::dom::element value, DuplicateKeyScratch& scratch,
                          std::string_view unvisited) {
  if (value.is_object()) {
    simdjson::dom::object object = value.get_object().value_unsafe();
    scratch.keys.clear();
    bool nested = false;
    for (auto field : object) {
      scratch.keys.push_back({field.key, text_head(field.key)});
      nested = nested || is_container(field.value.type());
    }
    if (const std::string_view* twice = smallest_twice(scratch.keys, scratch.sorted)) {
      return "/" + json_pointer::escape_token(*twice);
    }
    if (!nested) return {};
    for (auto field : object) {
      if (!is_container(field.value.type())) continue;
      if (!unvisited.empty() && field.key == unvisited) continue;
      std::string inner = duplicate_key(field.value, scratch);
      if (!inner.empty()) return "/" + json_pointer::escape_token(field.key) + inner;
    }
  } else if (value.is_array()) {
    std::size_t index = 0;
    for (simdjson::dom::element item : simdjson::dom::array(value.get_array().value_unsafe())) {
      if (is_container(item.type())) {
        std::string inner = duplicate_key(item, scratch);
        if (!inner.empty()) return "/" + std::to_string(index) + inner;
      }
      ++index;
    }
  }
  return {};
}

// simdjson's tape (documented in its doc/tape.md, public members of dom::document in simdjson 3):
// one 64-bit word per value, the type in the top byte and a payload below it. A string's payload
// is its offset in string_buf, where its size (4 bytes) and its bytes are; a number takes a second
// word; word 0 is the root, whose payload is the index of the tape's last word. One pass over the
// words costs a fraction of duplicate_key()'s walks through the DOM API, which visit every member
// twice and build iterators for it.
static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3, "has_duplicate_key() reads simdjson 3's tape");

namespace tape {

constexpr std::uint64_t kPayload = 0x00FFFFFFFFFFFFFFull;
// Deeper than this, the walk gives up (says "maybe") and duplicate_key() decides.
constexpr int kMaxDepth = 16;

char type_of(std::uint64_t word) { return static_cast<char>(word >> 56); }
// The index just past a container that opens with `word` (its payload's low 32 bits).
std::size_t after(std::uint64_t word) { return static_cast<std::uint32_t>(word); }

bool container_has_duplicate(const std::uint64_t* words, const std::uint8_t* strings,
                             std::size_t open, int depth);

// A string in string_buf: its size (4 bytes), then its bytes.
std::string_view text_at(const std::uint8_t* text) {
  std::uint32_t size;
  std::memcpy(&size, text, sizeof size);
  return {reinterpret_cast<const char*>(text + sizeof size), size};
}

// The value at `at`: recurses into a container; returns the index past it in `next`.
bool value_has_duplicate(const std::uint64_t* words, const std::uint8_t* strings, std::size_t at,
                         int depth, std::size_t& next) {
  const std::uint64_t word = words[at];
  const char type = type_of(word);
  if (type == '{' || type == '[') {
    next = after(word);
    return container_has_duplicate(words, strings, at, depth + 1);
  }
  next = at + (type == 'l' || type == 'u' || type == 'd' ? 2 : 1);
  return false;
}

bool container_has_duplicate(const std::uint64_t* words, const std::uint8_t* strings,
                             std::size_t open, int depth) {
  if (depth > kMaxDepth) return true;
  const std::size_t close = after(words[open]) - 1;
  std::size_t next = 0;
  if (type_of(words[open]) == '[') {
    for (std::size_t at = open + 1; at < close; at = next) {
      if (value_has_duplicate(words, strings, at, depth, next)) return true;
    }
    return false;
  }
  // Left uninitialised (a string_view array would be zeroed on every call); [0, count) is set.
  std::uint64_t heads[kPairwiseKeys];
  const std::uint8_t* keys[kPairwiseKeys];  // where each key's size and bytes are
  std::size_t count = 0;
  std::uint64_t filter = 0;  // a bit per key, chosen by its head: a key whose bit is clear is new
  for (std::size_t at = open + 1; at < close; at = next) {
    const std::uint8_t* text = strings + (words[at] & kPayload);
    const std::string_view key = text_at(text);
    const std::uint64_t head = text_head(key);
    if (count == kPairwiseKeys) return true;  // many keys: duplicate_key() sorts them
    const std::uint64_t bit = std::uint64_t{1} << ((head * 0x9E3779B97F4A7C15ull) >> 58);
    if (filter & bit) {
      for (std::size_t k = 0; k < count; ++k) {
        if (heads[k] == head && same_text(text_at(keys[k]), key)) return true;
      }
    }
    filter |= bit;
    heads[count] = head;
    keys[count] = text;
    ++count;
    if (value_has_duplicate(words, strings, at + 1, depth, next)) return true;
  }
  return false;
}

}  // namespace tape

bool has_duplicate_key(const simdjson::dom::document& document) {
  const std::uint64_t* words = document.tape.get();
  const char type = tape::type_of(words[1]);
  if (type != '{' && type != '[') return false;
  return tape::container_has_duplicate(words, document.string_buf.get(), 1, 0);
}

// Whether the stream's first byte is gzip's first magic byte, 0x1F: a control character no JSON
// text starts with, so a stream that begins with it is read as gzip whatever its name (and is
// "not gzip data" when the second byte is wrong). The byte is put back.
bool starts_like_gzip(std::FILE* file) {
  const int c = std::fgetc(file);
  if (c == EOF) return false;
  std::ungetc(c, file);
  return c == 0x1f;
}

std::unique_ptr<ByteSource> open_file_source(const std::filesystem::path& path) {
  std::string name = path.string();
  if (name == "-") {
    // gzip data piped in (`cat events.jsonl.gz | flowproof check ... -`) is read decompressed.
    if (starts_like_gzip(stdin)) return std::make_unique<GzipSource>(stdin, "-", false);
    return std::make_unique<FileSource>(stdin, "-", false);
  }
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw InputError(name + ": cannot read: no such file");
  }
  if (std::filesystem::is_directory(status))
    throw InputError(name + ": cannot read: is a directory");
  std::FILE* file = std::fopen(name.c_str(), "rb");
  if (file == nullptr) throw InputError(name + ": cannot read: " + std::strerror(errno));
  if (path.extension() == ".gz" || starts_like_gzip(file)) {
    return std::make_unique<GzipSource>(file, name);
  }
  return std::make_unique<FileSource>(file, name, true);
}

std::unique_ptr<ByteSource> make_istream_source(std::istream& in, std::string name) {
  return std::make_unique<IstreamSource>(in, std::move(name));
}

// A window over the source: lines are views into it, valid until the next call. It keeps
// SIMDJSON_PADDING spare bytes after the data so lines can be parsed in place.
class Reader::LineBuffer {
 public:
  LineBuffer(ByteSource& source, std::size_t max_line)
      : source_(source), max_line_(max_line), buffer_(kChunk + simdjson::SIMDJSON_PADDING) {}

  /// The next line without its '\n' (and '\r'); `too_long` when it was cut at the limit.
  bool next(std::string_view& line, bool& too_long, std::uint64_t& bytes) {
    too_long = false;
    std::size_t scan_from = begin_;
    for (;;) {
      const char* start = buffer_.data() + begin_;
      const void* newline = std::memchr(buffer_.data() + scan_from, '\n', end_ - scan_from);
      if (newline != nullptr) {
        const char* stop = static_cast<const char*>(newline);
        std::size_t size = static_cast<std::size_t>(stop - start);
        begin_ += size + 1;
        if (size > 0 && start[size - 1] == '\r') --size;
        line = std::string_view(start, size);
        ++line_number_;
        return true;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        line = std::string_view(start, end_ - begin_);
        begin_ = end_;
        ++line_number_;
        return true;
      }
      // No newline in the window: make room and read more.
      std::size_t pending = end_ - begin_;
      if (pending > max_line_) {
        // Longer than any acceptable line: drop what we have and skip to the next newline.
        too_long = true;
        begin_ = end_ = 0;
        scan_from = 0;
        if (!fill(bytes)) {
          line = std::string_view();
          ++line_number_;
          return true;
        }
        for (;;) {
          const void* nl = std::memchr(buffer_.data(), '\n', end_);
          if (nl != nullptr) {
            begin_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
            line = std::string_view();
            ++line_number_;
            return true;
          }
          end_ = 0;
          if (!fill(bytes)) {
            line = std::string_view();
            ++line_number_;
            return true;
          }
        }
      }
      std::size_t scanned = end_ - begin_;
      compact();
      if (end_ == capacity()) grow();
      if (!fill(bytes)) eof_ = true;
      scan_from = scanned;
    }
  }

  /// Moves back to `position` (a pointer into the current window) and line number `line`.
  void rewind(const char* position, std::uint64_t line) {
    begin_ = static_cast<std::size_t>(position - buffer_.data());
    line_number_ = line;
  }

  /// Continues line by line from the current byte, which is on line `line`.
  void resume_at_line(std::uint64_t line) { line_number_ = line - 1; }

  /// Up to `size` of the next bytes into `out`; 0 at the end of the input.
  std::size_t take(char* out, std::size_t size, std::uint64_t& bytes) {
    if (begin_ == end_) {
      if (eof_) return 0;
      begin_ = end_ = 0;
      if (!fill(bytes)) {
        eof_ = true;
        return 0;
      }
    }
    const std::size_t n = std::min(size, end_ - begin_);
    std::memcpy(out, buffer_.data() + begin_, n);
    begin_ += n;
    return n;
  }

  /// The next byte, or -1 at the end of the input.
  int get(std::uint64_t& bytes) {
    if (begin_ == end_) {
      if (eof_) return -1;
      begin_ = end_ = 0;
      if (!fill(bytes)) {
        eof_ = true;
        return -1;
      }
    }
    return static_cast<unsigned char>(buffer_[begin_++]);
  }

  /// Gives back the byte `get` returned last.
  void unget() { --begin_; }

  std::uint64_t line_number() const { return line_number_; }

 private:
  std::size_t capacity() const { return buffer_.size() - simdjson::SIMDJSON_PADDING; }
  void compact() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
  }
  void grow() {
    std::size_t wanted = std::min(capacity() * 2, max_line_ + kChunk);
    wanted = std::max(wanted, capacity() + kChunk);
    buffer_.resize(wanted + simdjson::SIMDJSON_PADDING);
  }
  bool fill(std::uint64_t& bytes) {
    if (eof_) return false;
    std::size_t n = source_.read(buffer_.data() + end_, capacity() - end_);
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += n;
    bytes += n;
    return true;
  }

  ByteSource& source_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
};

Reader::Reader(const Limits& limits, ReaderSink& sink) : limits_(limits), sink_(sink) {
  if (parser_.allocate(kChunk, limits_.max_depth) != simdjson::SUCCESS) {
    throw std::bad_alloc();
  }
}

void Reader::tick() {
  if (counters_.lines >= next_tick_) {
    next_tick_ = counters_.lines + kTickLines;
    sink_.on_progress(counters_);
  }
}

void Reader::read(ByteSource& source) {
  LineBuffer buffer(source, limits_.max_line_bytes);
  read_lines(buffer, true, counters_.bytes);
}

void Reader::read_lines(LineBuffer& buffer, bool arrays, std::uint64_t& bytes) {
  std::string_view line;
  bool too_long = false;
  bool first = arrays;
  while (buffer.next(line, too_long, bytes)) {
    std::uint64_t number = buffer.line_number();
    if (too_long) {
      ++counters_.lines;
      ++counters_.malformed;
      sink_.on_malformed(
          number, "line is longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
      first = false;
      tick();
      continue;
    }
    if (first) {
      if (number == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") {
        line.remove_prefix(3);  // a UTF-8 byte-order mark
      }
      std::size_t start = 0;
      while (start < line.size() && is_space(line[start])) ++start;
      if (start < line.size()) {
        first = false;
        if (line[start] == '[') {
          simdjson::dom::element ignored;
          if (parser_.parse(line.data(), line.size(), false).get(ignored) != simdjson::SUCCESS &&
              !ends_inside_string(line)) {
            // Not a complete array on one line, but a beginning of one (a JSON string never
            // spans lines, so a line that ends inside one is a broken line of JSON Lines, not
            // the start of a pretty-printed array): the whole input is one array.
            buffer.rewind(line.data() + start, number);
            read_array(buffer, number);
            first = true;  // what follows the array (another array, lines) is read as new input
            continue;
          }
        }
      }
    }
    parse_unit(line.data(), line.size(), true, number);
    tick();
  }
}

void Reader::read_text(std::string_view text) {
  class TextSource final : public ByteSource {
   public:
    explicit TextSource(std::string_view text) : text_(text) {}
    std::size_t read(char* buffer, std::size_t size) override {
      std::size_t n = std::min(size, text_.size());
      std::memcpy(buffer, text_.data(), n);
      text_.remove_prefix(n);
      return n;
    }

   private:
    std::string_view text_;
  };
  TextSource source(text);
  read(source);
}

void Reader::read_array(LineBuffer& buffer, std::uint64_t first_line) {
  // A byte scanner that splits the top-level array into elements, each parsed on its own and
  // reported at the line where it starts. A syntax error between elements (a missing, doubled or
  // trailing comma) is a finding of its own at its line, and reading goes on.
  std::uint64_t line = first_line;
  std::string element;
  int c = buffer.get(counters_.bytes);  // the '['
  (void)c;
  auto fail = [&](std::uint64_t at, std::string message) {
    ++counters_.lines;
    ++counters_.malformed;
    sink_.on_malformed(at, std::move(message));
  };
  bool after_element = false;  // an element was read and no comma has followed it yet
  bool any_element = false;
  for (;;) {
    // Between elements: whitespace and exactly one comma between two elements.
    c = buffer.get(counters_.bytes);
    for (;; c = buffer.get(counters_.bytes)) {
      if (c == '\n') {
        ++line;
      } else if (c == ',') {
        if (!after_element) {
          fail(line, any_element ? "two commas in a row in the JSON array"
                                 : "a comma before the first element of the JSON array");
        }
        after_element = false;
      } else if (c == -1 || !is_space(static_cast<char>(c))) {
        break;
      }
    }
    if (c == -1) {
      fail(line, "the JSON array is not closed");
      return;
    }
    if (c == ']') {
      if (any_element && !after_element) {
        fail(line, "a comma before the `]` closing the JSON array");
      } else if (!any_element) {
        fail(first_line, "carries no event: the JSON array is empty");  // as `[]` on one line
      }
      break;
    }
    if (after_element) fail(line, "a comma is missing between two elements of the JSON array");
    // One element: track nesting and strings until it closes.
    std::uint64_t element_line = line;
    element.clear();
    int depth = 0;
    JsonStructure structure;
    bool broken = false;  // a string not closed on its line: JSON strings never span lines
    for (;;) {
      element.push_back(static_cast<char>(c));
      if (c == '\n') {
        ++line;
        if (structure.in_string()) {
          broken = true;
          break;
        }
      }
      const JsonStructure::Byte byte = structure.feed(static_cast<char>(c));
      if (byte == JsonStructure::Byte::open) {
        ++depth;
      } else if (byte == JsonStructure::Byte::close) {
        --depth;
      }
      if (element.size() > limits_.max_line_bytes) break;
      if (!structure.in_string() && depth == 0 && (c == '}' || c == ']' || c == '"')) break;
      if (depth < 0) break;
      c = buffer.get(counters_.bytes);
      if (c == -1) break;
      if (!structure.in_string() && depth == 0 &&
          (c == ',' || c == ']' || is_space(static_cast<char>(c)))) {
        buffer.unget();  // a scalar element ends before its separator
        break;
      }
    }
    if (element.size() > limits_.max_line_bytes) {
      fail(element_line, "array element is longer than " + std::to_string(limits_.max_line_bytes) +
                             " bytes; the lines after this one are read as JSON Lines");
      recover_lines(buffer, element, element_line);
      return;
    }
    any_element = true;
    if (broken) {
      // Reading goes on at the next line, as if the element had ended there.
      fail(element_line, "array element has a string that is not closed on its line");
      after_element = false;
      continue;
    }
    if (c == -1 && (depth > 0 || structure.in_string())) {
      // Most likely a broken first line of JSON Lines that began with '[' ("[{..." ): the lines
      // the element swallowed are events of their own.
      fail(element_line,
           "the JSON array ends inside an element; the lines after this one are read as JSON "
           "Lines");
      recover_lines(buffer, element, element_line);
      return;
    }
    parse_unit(element.data(), element.size(), false, element_line);
    after_element = true;
    tick();
  }
  // What follows the array, from the first byte that is not whitespace (the rest of the `]` line,
  // or a later line), is read again as input of its own: a second array (`cat a.json b.json`),
  // JSON Lines, or text that is a finding at its line. Nothing after the array goes unread.
  for (c = buffer.get(counters_.bytes); c != -1; c = buffer.get(counters_.bytes)) {
    if (c == '\n') {
      ++line;
    } else if (!is_space(static_cast<char>(c))) {
      buffer.unget();
      buffer.resume_at_line(line);
      return;
    }
  }
}

void Reader::recover_lines(LineBuffer& buffer, std::string_view element,
                           std::uint64_t element_line) {
  // The bytes after the element's first line: those it holds, then the rest of the input.
  class Rest final : public ByteSource {
   public:
    Rest(std::string_view held, LineBuffer& buffer, std::uint64_t& bytes)
        : held_(held), buffer_(buffer), bytes_(bytes) {}
    std::size_t read(char* out, std::size_t size) override {
      if (held_.empty()) return buffer_.take(out, size, bytes_);
      const std::size_t n = std::min(size, held_.size());
      std::memcpy(out, held_.data(), n);
      held_.remove_prefix(n);
      return n;
    }

   private:
    std::string_view held_;
    LineBuffer& buffer_;
    std::uint64_t& bytes_;  // counts the input's bytes as they are first read
  };
  const std::size_t newline = element.find('\n');
  if (newline == std::string_view::npos) {
    // The element's first line goes on beyond it (an element over the limit on one line): the
    // rest of that line belongs to the finding.
    for (int c = buffer.get(counters_.bytes); c != -1 && c != '\n';)
      c = buffer.get(counters_.bytes);
  }
  Rest rest(newline == std::string_view::npos ? std::string_view() : element.substr(newline + 1),
            buffer, counters_.bytes);
  LineBuffer lines(rest, limits_.max_line_bytes);
  lines.resume_at_line(element_line + 1);
  std::uint64_t copied = 0;  // bytes already counted where they were first read
  read_lines(lines, false, copied);
}

void Reader::problem(std::string message) {
  if (!has_problem_) {
    has_problem_ = true;
    problem_ = std::move(message);
  }
}

void Reader::parse_unit(const char* data, std::size_t size, bool padded, std::uint64_t line) {
  ++counters_.lines;
  std::size_t start = 0;
  while (start < size && is_space(data[start])) ++start;
  while (size > start && is_space(data[size - 1])) --size;
  if (start == size) {
    ++counters_.blank;
    return;
  }
  has_problem_ = false;
  carried_ = 0;
  if (size - start > limits_.max_line_bytes) {
    problem("line is longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
  } else {
    simdjson::dom::element root;
    auto error = parser_.parse(data + start, size - start, !padded).get(root);
    if (error == simdjson::DEPTH_ERROR) {
      problem("JSON nesting is deeper than " + std::to_string(limits_.max_depth));
    } else if (error) {
      problem(std::string("not JSON: ") + simdjson::error_message(error));
    } else {
      // Nearly every line has no duplicate key: one pass over the tape says so, and the
      // per-event walks that would name it run only when it says otherwise.
      unit_has_duplicate_ = has_duplicate_key(parser_.doc);
      if (root.is_object()) {
        handle_container(root, line);
      } else if (root.is_array()) {
        std::size_t index = 0;
        for (simdjson::dom::element item : simdjson::dom::array(root.get_array().value_unsafe())) {
          if (item.is_object()) {
            handle_container(item, line);
          } else {
            problem("element " + std::to_string(index) + " of the array is not an object");
          }
          ++index;
        }
      } else {
        problem("not an object or an array of objects");
      }
    }
    if (!has_problem_ && carried_ == 0) problem("carries no event");
  }
  if (has_problem_) {
    ++counters_.malformed;
    sink_.on_malformed(line, std::move(problem_));
    problem_.clear();
  }
}

void Reader::handle_container(simdjson::dom::element element, std::uint64_t line) {
  // One pass for `batch`, `event_type` and `events`, and for the members the event view needs.
  TopMembers top;
  find_top_members(element.get_object().value_unsafe(), top);
  const LineShape shape = line_shape(top);
  if (shape.list == nullptr) {
    if (!shape.unread.empty()) problem(shape.unread);
    handle_event(element, line, 0, &top);
    return;
  }
  const char* member = shape.list;
  // A second `batch` would be dropped unread: the wrapper is refused whole, as an event is.
  if (std::string pointer = unit_has_duplicate_ ? duplicate_key(element, keys_, member)
                                                : std::string();  // the list's elements: below
      !pointer.empty()) {
    problem(std::string("the `") + member + "` wrapper has a duplicate key at " + pointer);
    return;
  }
  const simdjson::dom::element list =
      top.found[member[0] == 'b' ? TopMembers::kBatch : TopMembers::kEvents];
  if (!list.is_array()) {
    problem(std::string("`") + member + "` is not an array");
    return;
  }
  if (!shape.unread.empty()) problem(shape.unread);
  std::size_t index = 0;
  for (simdjson::dom::element item : simdjson::dom::array(list.get_array().value_unsafe())) {
    if (!item.is_object()) {
      problem(std::string("element ") + std::to_string(index) + " of `" + member +
              "` is not an object");
    } else {
      handle_event(item, line, index, nullptr);
    }
    ++index;
  }
}

void Reader::handle_event(simdjson::dom::element element, std::uint64_t line, std::size_t index,
                          const TopMembers* top) {
  if (std::string pointer = unit_has_duplicate_ ? duplicate_key(element, keys_) : std::string();
      !pointer.empty()) {
    problem((index == 0 ? std::string("an event") : "event " + std::to_string(index)) +
            " has a duplicate key at " + pointer);
    return;
  }
  TopMembers own;  // a batch element's: the top level of a line comes with its members found
  if (top == nullptr) {
    find_top_members(element.get_object().value_unsafe(), own);
    top = &own;
  }
  switch (make_event_view(element, *top, view_)) {
    case ViewResult::skipped:
      ++counters_.skipped;
      ++carried_;
      return;
    case ViewResult::no_name:
      problem(index == 0 ? std::string("an event has no name")
                         : "event " + std::to_string(index) + " has no name");
      return;
    case ViewResult::bad_type:
      problem(index == 0 ? std::string("an event's `type` is not a string")
                         : "the `type` of event " + std::to_string(index) + " is not a string");
      return;
    case ViewResult::bad_properties:
      problem("`" +
              std::string(view_.shape == Shape::amplitude ? "event_properties" : "properties") +
              "` of event \"" + std::string(view_.name) + "\" is not an object");
      return;
    case ViewResult::event:
      break;
  }
  // Both shapes at once: what is read is the Amplitude event, and the line says what is not.
  if (top->has(TopMembers::kEventType) && top->has(TopMembers::kEvent)) {
    problem("event \"" + std::string(view_.name) +
            "\" has both `event_type` (Amplitude) and `event` (Segment): it is read as an "
            "Amplitude event, and its Segment members (`event`, `properties`) are not read");
  } else if (top->has(TopMembers::kEventType) && top->has(TopMembers::kProperties)) {
    // Amplitude's properties are `event_properties`: a producer that wrote Segment's name would
    // have every property ignored without a word.
    problem("event \"" + std::string(view_.name) +
            "\" (Amplitude, `event_type`) has a Segment `properties` member, which is not read: "
            "an Amplitude event's properties are `event_properties`");
  }
  if (view_.has_properties &&
      view_.properties.get_object().value_unsafe().size() > limits_.max_properties) {
    problem("event \"" + std::string(view_.name) + "\" has more than " +
            std::to_string(limits_.max_properties) + " properties");
    return;
  }
  ++counters_.events;
  ++carried_;
  sink_.on_event(view_, line);
}

}  // namespace flowproof::conformance::detail
