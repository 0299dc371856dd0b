// regex.cpp — Regex over RE2: UTF-8, quiet on errors, bounded memory, linear-time matching.
#include "regex.hpp"

#include <re2/re2.h>

namespace flowproof::conformance {

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, std::string* error) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);  // 8 MiB: generous for plan expressions, bounded for hostile ones
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    if (error != nullptr) *error = re->error();
    return nullptr;
  }
  // Regex's constructor is private, so make_shared cannot reach it.
  std::shared_ptr<Regex> regex(new Regex());
  regex->pattern_ = std::string(pattern);
  regex->re_ = std::move(re);
  return regex;
}

Regex::~Regex() = default;

bool Regex::full_match(std::string_view text) const {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::partial_match(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace flowproof::conformance
