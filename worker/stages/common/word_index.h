// A set of short strings for the per-token word-list checks of every stage.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::stages::lexical {

// A hash of a short string that inlines: eight bytes at a time, each folded
// in by a multiply and a shift. Words are a few bytes, so this is a handful of
// instructions where std::hash<std::string_view> was a library call.
inline std::uint64_t word_hash(std::string_view w) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = w.size() * kMul;
  const char* p = w.data();
  std::size_t n = w.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < n; ++k)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[k])) << (8 * k);
    h = (h ^ v) * kMul;
    h ^= h >> 29;
  }
  return h * kMul;
}

// Words, each with its index in insertion order. Built once, then only read
// (find() is const and safe from many threads). Open addressing over a
// power-of-two table at most half full; the words' bytes live in one buffer
// that is never handed out, so the index may be copied and moved freely.
class WordIndex {
 public:
  // The index of `w`, or -1.
  int find(std::string_view w) const {
    if (slots_.empty()) return -1;
    const std::uint64_t h = word_hash(w);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index < 0) return -1;
      if (s.hash == h && s.size == w.size() &&
          std::memcmp(bytes_.data() + s.offset, w.data(), w.size()) == 0) {
        return s.index;
      }
    }
  }
  bool contains(std::string_view w) const { return find(w) >= 0; }

  // The index of `w`: its existing one, or the next.
  int insert(std::string_view w) {
    if (const int at = find(w); at >= 0) return at;
    if (2 * (count_ + 1) > slots_.size()) grow();
    const auto index = static_cast<int>(count_++);
    place({word_hash(w), static_cast<std::uint32_t>(bytes_.size()),
           static_cast<std::uint32_t>(w.size()), index});
    bytes_.append(w);
    return index;
  }

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0, size = 0;
    int index = -1;  // -1: empty
  };
  void place(const Slot& slot) {
    std::size_t i = slot.hash & mask_;
    while (slots_[i].index >= 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
  void grow() {
    std::vector<Slot> old(slots_.empty() ? 16 : 2 * slots_.size());
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old)
      if (s.index >= 0) place(s);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::string bytes_;
  std::size_t count_ = 0;
};

}  // namespace wirefeed::stages::lexical
