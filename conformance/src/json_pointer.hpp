// json_pointer.hpp (internal) — JSON pointer tokens (RFC 6901), shared by the plan loader, the
// reader, the schema validator and the personal-data scan: "~" is written "~0" and "/" "~1".
//
//   std::string at = "/events";
//   json_pointer::append_token(at, "a/b");    // "/events/a~1b"
//   json_pointer::escape_token("x~y");        // "x~0y"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flowproof::conformance::json_pointer {

/// Appends `token` escaped, without a leading "/".
inline void append_escaped(std::string& out, std::string_view token) {
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

/// Appends "/" and `token` escaped: one more level of a pointer.
inline void append_token(std::string& out, std::string_view token) {
  out += '/';
  append_escaped(out, token);
}

/// `token` escaped, without a leading "/".
inline std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  append_escaped(out, token);
  return out;
}

/// True when every "~" in `text` is followed by "0" or "1", the only escapes RFC 6901 has.
inline bool escapes_well_formed(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '~' && (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1'))) {
      return false;
    }
  }
  return true;
}

/// The text a token names: "~0" is "~" and "~1" is "/" (other "~" are kept as they are).
inline std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

}  // namespace flowproof::conformance::json_pointer
