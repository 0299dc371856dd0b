// sha256.hpp (internal) — SHA-256 (FIPS 180-4) of a byte string, for the plan's fingerprint in
// reports.
//
//   std::string digest = sha256_hex("abc");  // "ba7816bf8f01cfea414140de5dae2223b00361a3..."
#pragma once

#include <string>
#include <string_view>

namespace flowproof::conformance {

/// The SHA-256 digest of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace flowproof::conformance
