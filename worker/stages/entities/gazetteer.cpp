#include "entities/gazetteer.h"

#include <xxhash.h>

#include <algorithm>

#include "segment/segment.h"

namespace wirefeed::stages::ner {

std::uint64_t lower_hash(std::string_view word) {
  char buf[64];
  if (word.size() > sizeof buf) word = word.substr(0, sizeof buf);  // long tokens: a prefix
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return XXH3_64bits(buf, word.size());
}

namespace {
std::uint64_t edge_key(std::uint32_t node, std::uint64_t token_hash) {
  return (token_hash ^ (static_cast<std::uint64_t>(node) * 0x9E3779B97F4A7C15ull)) | 1;
}
}  // namespace

int Gazetteer::intern(std::string_view cls) {
  const int id = find_class(cls);
  if (id >= 0) return id;
  if (classes_.size() >= kMaxClasses) return -1;
  classes_.emplace_back(cls);
  return static_cast<int>(classes_.size()) - 1;
}

int Gazetteer::find_class(std::string_view cls) const {
  for (std::size_t i = 0; i < classes_.size(); ++i)
    if (classes_[i] == cls) return static_cast<int>(i);
  return -1;
}

void Gazetteer::add(std::string_view cls, std::string_view name) {
  const int id = intern(cls);
  if (id < 0) return;
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(name, tokens, sentences, paragraphs);
  if (tokens.empty()) return;
  if (accept_.empty()) accept_.push_back(0);  // the root
  std::uint32_t node = 0;
  for (const core::Token& t : tokens) {
    const std::uint64_t key = edge_key(node, lower_hash(name.substr(t.begin, t.end - t.begin)));
    if (edge_count_ * 2 >= edges_.size()) grow();
    std::size_t i = (key >> 5) & (edges_.size() - 1);
    while (edges_[i].key != 0 && edges_[i].key != key) i = (i + 1) & (edges_.size() - 1);
    if (edges_[i].key == 0) {
      edges_[i] = {key, static_cast<std::uint32_t>(accept_.size())};
      ++edge_count_;
      accept_.push_back(0);
    }
    node = edges_[i].child;
  }
  accept_[node] |= 1u << id;
  ++names_;
}

void Gazetteer::add_tsv(std::string_view tsv, std::string_view skip_prefix) {
  while (!tsv.empty()) {
    const std::size_t nl = tsv.find('\n');
    const std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    const std::string_view cls = line.substr(0, tab);
    if (!skip_prefix.empty() && cls.starts_with(skip_prefix)) continue;
    add(cls, line.substr(tab + 1));
  }
}

void Gazetteer::grow() {
  std::vector<Edge> old(std::max<std::size_t>(1024, edges_.size() * 2));
  old.swap(edges_);
  for (const Edge& e : old) {
    if (e.key == 0) continue;
    std::size_t i = (e.key >> 5) & (edges_.size() - 1);
    while (edges_[i].key != 0) i = (i + 1) & (edges_.size() - 1);
    edges_[i] = e;
  }
}

std::uint32_t Gazetteer::child(std::uint32_t node, std::uint64_t token_hash) const {
  if (edges_.empty()) return 0;
  const std::uint64_t key = edge_key(node, token_hash);
  std::size_t i = (key >> 5) & (edges_.size() - 1);
  while (true) {
    const Edge& e = edges_[i];
    if (e.key == key) return e.child;
    if (e.key == 0) return 0;
    i = (i + 1) & (edges_.size() - 1);
  }
}

std::uint32_t Gazetteer::longest_at(std::string_view text, const core::Token* tokens,
                                    std::size_t count, std::size_t i,
                                    std::uint32_t* classes) const {
  std::uint32_t node = 0, best = 0;
  *classes = 0;
  if (accept_.empty()) return 0;
  for (std::size_t j = i; j < count; ++j) {
    const core::Token& t = tokens[j];
    node = child(node, lower_hash(text.substr(t.begin, t.end - t.begin)));
    if (node == 0) break;
    if (accept_[node] != 0) {
      best = static_cast<std::uint32_t>(j - i + 1);
      *classes = accept_[node];
    }
  }
  return best;
}

void Gazetteer::match(std::string_view text, const core::Token* tokens, std::size_t count,
                      std::vector<TokenMatch>& out) const {
  std::vector<std::uint64_t> hashes(count);
  for (std::size_t i = 0; i < count; ++i)
    hashes[i] = lower_hash(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
  match(hashes.data(), count, out);
}

void Gazetteer::match(const std::uint64_t* token_hashes, std::size_t count,
                      std::vector<TokenMatch>& out) const {
  out.assign(count, TokenMatch{});
  if (accept_.empty()) return;
  // Every match from every start, not only the longest: "New York" and
  // "New York Times" both inform the tokens they cover.
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t node = 0;
    for (std::size_t j = i; j < count; ++j) {
      node = child(node, token_hashes[j]);
      if (node == 0) break;
      const std::uint32_t classes = accept_[node];
      if (classes == 0) continue;
      out[i].begin |= classes;
      for (std::size_t k = i + 1; k <= j; ++k) out[k].inside |= classes;
    }
  }
}

}  // namespace wirefeed::stages::ner
