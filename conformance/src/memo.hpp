// memo.hpp (internal) — fast equality and hashing of short texts, and a bounded memo of match
// results. Analytics values repeat (an invocation id on every event of its invocation, enum values
// on every event), and a regular-expression engine costs far more per call than a look-up. The memo
// only ever answers what the matcher answered for the same text, so it changes speed, never a
// result.
//
//   MatchMemo memo(4096);                          // slots (a power of two is used)
//   std::uint64_t hash = text_hash(text);
//   if (const int* known = memo.find(text, hash)) return *known;
//   int result = expensive(text);
//   memo.remember(text, hash, result);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace flowproof::conformance::detail {

/// Whether two texts of the same `size` are equal: word loads instead of a memcmp call (the keys
/// and values of analytics events are short).
inline bool same_bytes(const char* a, const char* b, std::size_t size) noexcept {
  if (size >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    if (i == size) return true;
    std::uint64_t x, y;  // the last 8 bytes, overlapping what was compared
    std::memcpy(&x, a + size - 8, 8);
    std::memcpy(&y, b + size - 8, 8);
    return x == y;
  }
  if (size >= 4) {
    std::uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + size - 4, 4);
    std::memcpy(&y1, b + size - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (std::size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// Whether two texts are equal (sizes first).
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

/// A bit per text size (sizes of 63 and more share the last): OR the bits of a set of names into a
/// mask, and a text whose bit is not in it cannot be one of them, without comparing bytes.
inline std::uint64_t length_bit(std::size_t size) noexcept {
  return std::uint64_t{1} << (size < 63 ? size : 63);
}

/// The bytes that tell most short texts (keys) apart, loaded at once, mixed with the size: for
/// texts of 4 bytes or more the first and last 4, for shorter ones all of them. Equal texts have
/// equal heads, so texts whose heads differ are different; a cheap hash for a few keys.
inline std::uint64_t text_head(std::string_view text) noexcept {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::uint64_t out = 0;
  if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    out = lo | (std::uint64_t{hi} << 32);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      out |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  return out ^ (std::uint64_t{n} * 0x9E3779B97F4A7C15ull);
}

/// A 64-bit hash of a text (multiply-mix over 8-byte words); good enough for tables, not crypto.
inline std::uint64_t text_hash(std::string_view text) noexcept {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = text.size() * kMul;
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, n);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  h *= kMul;
  return h ^ (h >> 32);
}

/// A direct-mapped memo of texts up to kMaxText bytes; a longer text is never remembered. Memory
/// is fixed (slots × 68 bytes), allocated on first use. The slots are read at random, and a miss in
/// the cache costs more than anything else a look-up does, so a slot is one aligned cache line,
/// and a compact array of 32-bit tags (4 bytes a slot, which stays in the cache) answers first: a
/// text seen for the first time (the usual miss) never touches its cold slot to learn so.
class MatchMemo {
 public:
  static constexpr std::size_t kMaxText = 48;

  explicit MatchMemo(std::size_t slots = 4096) {
    std::size_t size = 1;
    while (size < slots) size *= 2;
    mask_ = size - 1;
  }

  /// How many texts it can hold (a power of two).
  std::size_t slots() const noexcept { return mask_ + 1; }

  /// The remembered result for `text` (with `hash` = text_hash(text)), or null.
  const int* find(std::string_view text, std::uint64_t hash) const noexcept {
    if (!slots_ || text.size() > kMaxText) return nullptr;
    if (tags_[hash & mask_] != tag_of(hash)) return nullptr;
    const Slot& slot = slots_[hash & mask_];
    if (slot.hash != hash || slot.size != text.size() || slot.size == kEmpty) return nullptr;
    if (!same_bytes(slot.text, text.data(), text.size())) return nullptr;
    return &slot.result;
  }

  void remember(std::string_view text, std::uint64_t hash, int result) {
    if (text.size() > kMaxText) return;
    if (!slots_) {
      slots_ = std::make_unique<Slot[]>(mask_ + 1);
      for (std::size_t i = 0; i <= mask_; ++i) slots_[i].size = kEmpty;
      tags_ = std::make_unique<std::uint32_t[]>(mask_ + 1);  // zero: no text
    }
    tags_[hash & mask_] = tag_of(hash);
    Slot& slot = slots_[hash & mask_];
    slot.hash = hash;
    slot.size = static_cast<std::uint32_t>(text.size());
    slot.result = result;
    if (!text.empty()) std::memcpy(slot.text, text.data(), text.size());
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  /// The hash's upper half, never 0 (an empty slot's tag).
  static std::uint32_t tag_of(std::uint64_t hash) noexcept {
    return static_cast<std::uint32_t>(hash >> 32) | 1u;
  }
  struct alignas(64) Slot {
    std::uint64_t hash = 0;
    std::uint32_t size = kEmpty;
    int result = 0;
    char text[kMaxText];
  };
  static_assert(sizeof(Slot) == 64);
  std::size_t mask_ = 0;
  std::unique_ptr<Slot[]> slots_;
  std::unique_ptr<std::uint32_t[]> tags_;  ///< tag_of(slot hash) per slot; 0 while empty
};

}  // namespace flowproof::conformance::detail
