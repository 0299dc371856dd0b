// json_structure.hpp (internal) — JSON text read a byte at a time, telling brackets that open or
// close a level from bytes inside strings (escapes included). Shared by the plan loader's depth
// check and the reader's splitting of a JSON array into elements.
//
//   JsonStructure structure;
//   for (char c : text) {
//     if (structure.feed(c) == JsonStructure::Byte::open) ++depth;
//   }
#pragma once

namespace flowproof::conformance {

class JsonStructure {
 public:
  enum class Byte { open, close, other };

  /// What `c` is at this point of the text: `[`/`{` outside a string open a level, `]`/`}` close
  /// one; everything else (string contents and quotes included) is `other`.
  Byte feed(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return Byte::other;
    }
    if (c == '"') {
      in_string_ = true;
      return Byte::other;
    }
    if (c == '[' || c == '{') return Byte::open;
    if (c == ']' || c == '}') return Byte::close;
    return Byte::other;
  }

  /// True between a string's opening and closing quotes.
  bool in_string() const { return in_string_; }

 private:
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace flowproof::conformance
