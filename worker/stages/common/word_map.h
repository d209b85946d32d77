// A word list of a language (data/lang/<code>/*.tsv) for lookups of nearly
// every token: an ordered map behind a cheap pre-filter, so the words that are
// not in the list (most tokens) leave after a few loads and a multiply instead
// of a tree walk of string compares. Two-word phrases ("por ciento") are keyed
// "first second"; lookup(first, second, scratch) asks the filter before it
// builds that key.
//
// Immutable once built (emplace only while loading); lookups may run from any
// thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace wirefeed::stages::lexical {

// A Bloom filter over the length and the first two and last two bytes of a
// key. may_hold() is false only for keys never added: it never turns away a key
// that was added (a false "true" just costs the map lookup behind it).
class WordFilter {
 public:
  // A key with its hash, made once to ask several filters about one word.
  struct Key {
    std::string_view text;
    std::uint64_t hash = 0;
  };
  static Key key(std::string_view text) { return {text, hash(text.size(), Bytes{text})}; }
  static const Key& empty_key() {
    static const Key kEmpty = key({});
    return kEmpty;
  }

  void add(std::string_view key) { set(hash(key.size(), Bytes{key})); }
  bool may_hold(std::string_view key) const { return test(hash(key.size(), Bytes{key})); }
  bool may_hold(const Key& key) const { return test(key.hash); }
  // The key "first second" without building it.
  bool may_hold(std::string_view first, std::string_view second) const {
    const std::size_t n = first.size() + 1 + second.size();
    if (first.empty() || second.empty()) return test(hash(n, PairBytes{first, second}));
    // Both words there: the first two bytes come from `first` (or its space)
    // and the last two from `second`, as hash(n, PairBytes) reads them.
    const auto byte = [](char c) { return static_cast<unsigned char>(c); };
    return test(mix(n, byte(first[0]), first.size() > 1 ? byte(first[1]) : ' ', byte(second.back()),
                    second.size() > 1 ? byte(second[second.size() - 2]) : ' '));
  }

 private:
  static constexpr std::size_t kBits = 2048;
  struct Bytes {
    std::string_view s;
    unsigned char operator()(std::size_t k) const { return static_cast<unsigned char>(s[k]); }
  };
  struct PairBytes {  // byte k of first + ' ' + second
    std::string_view first, second;
    unsigned char operator()(std::size_t k) const {
      if (k < first.size()) return static_cast<unsigned char>(first[k]);
      if (k == first.size()) return ' ';
      return static_cast<unsigned char>(second[k - first.size() - 1]);
    }
  };
  // Bytes 0, 1, n - 1 and n - 2 of a key of n bytes (0 where there is none).
  template <class At>
  static std::uint64_t hash(std::size_t n, At at) {
    return mix(n, n > 0 ? at(0) : 0, n > 1 ? at(1) : 0, n > 0 ? at(n - 1) : 0,
               n > 1 ? at(n - 2) : 0);
  }
  static std::uint64_t mix(std::size_t n, std::uint64_t b0, std::uint64_t b1, std::uint64_t last,
                           std::uint64_t before_last) {
    const std::uint64_t bytes = b0 | b1 << 8 | last << 16 | before_last << 24;
    const std::uint64_t h = (bytes | std::uint64_t{n} << 32) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
  }
  void set(std::uint64_t h) {
    for (std::uint64_t b : {h >> 53, (h >> 42) & (kBits - 1)}) {
      bits_[b / 64] |= std::uint64_t{1} << (b % 64);
    }
  }
  bool test(std::uint64_t h) const {
    const std::uint64_t a = h >> 53, b = (h >> 42) & (kBits - 1);
    return (bits_[a / 64] >> (a % 64) & 1) && (bits_[b / 64] >> (b % 64) & 1);
  }
  std::array<std::uint64_t, kBits / 64> bits_{};
};

// The map of a word list with its WordFilter. Keys are unique: the first
// emplace of a key wins, as with std::map.
template <class V>
class WordMap {
 public:
  using Map = std::map<std::string, V, std::less<>>;

  bool emplace(std::string key, V value) {
    filter_.add(key);
    return map_.emplace(std::move(key), std::move(value)).second;
  }
  // The value of `key`, or null.
  const V* lookup(std::string_view key) const {
    if (!filter_.may_hold(key)) return nullptr;
    return find(key);
  }
  // The same with the key's hash made already (WordFilter::key).
  const V* lookup(const WordFilter::Key& key) const {
    if (!filter_.may_hold(key)) return nullptr;
    return find(key.text);
  }
  // The value of the phrase "first second", or null; `scratch` holds the key
  // when the filter lets it through.
  const V* lookup(std::string_view first, std::string_view second, std::string& scratch) const {
    if (!filter_.may_hold(first, second)) return nullptr;
    scratch.assign(first);
    scratch += ' ';
    scratch.append(second);
    return find(scratch);
  }
  bool contains(std::string_view key) const { return lookup(key) != nullptr; }
  std::size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  typename Map::const_iterator begin() const { return map_.begin(); }
  typename Map::const_iterator end() const { return map_.end(); }
  const WordFilter& filter() const { return filter_; }

 private:
  const V* find(std::string_view key) const {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }
  WordFilter filter_;
  Map map_;
};

}  // namespace wirefeed::stages::lexical
