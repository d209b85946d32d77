// Learns the word clusters of data/ner/clusters.tsv from unlabeled news text
// (Reuters-21578, BBC News, English Wikinews and the CoNLL-2003 training text
// with its labels ignored): the NER model's answer to words it never saw
// labelled. "Ljubljana" gets the cluster of the capitals it shares contexts with.
//
// Each frequent lower-cased word is described by the words around it (the
// 1,000 most frequent words at offsets -2, -1, +1 and +2, square-root counts,
// unit length), randomly projected to 256 dimensions, and clustered by
// spherical k-means in a three-level hierarchy (16, then 16, then 8 per
// parent), so a word's path serves like a Brown-cluster bit-string prefix.
// Deterministic: fixed seeds and one thread.
//
// Usage: word_clusters --out clusters.tsv [--language xx] FILE...  (.sgm, .jsonl or CoNLL)
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "segment/segment.h"

namespace {

constexpr int kContextWords = 1000;
constexpr int kOffsets = 4;  // -2, -1, +1, +2
constexpr int kDims = 256;
constexpr int kMinCount = 4;
constexpr int kMaxVocabulary = 60000;
constexpr int kBranching[3] = {16, 16, 8};
constexpr int kIterations = 12;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "word_clusters: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string unescape_sgml(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 8) {
      out += s[i];
      continue;
    }
    const std::string_view e = s.substr(i + 1, semi - i - 1);
    if (e == "lt")
      out += '<';
    else if (e == "gt")
      out += '>';
    else if (e == "amp")
      out += '&';
    else if (e == "quot")
      out += '"';
    else
      out += ' ';  // &#3; and friends: control characters
    i = semi;
  }
  return out;
}

// Plain texts of one input file; of a .jsonl file only the records whose
// "language" is `language`, when one is given (MEANTIME mixes four).
std::vector<std::string> texts_of(const std::string& path, const std::string& language) {
  std::vector<std::string> out;
  const std::string data = read_file(path);
  if (path.ends_with(".sgm")) {
    for (std::size_t at = 0;;) {
      const std::size_t b = data.find("<BODY>", at);
      if (b == std::string::npos) break;
      const std::size_t e = data.find("</BODY>", b);
      if (e == std::string::npos) break;
      out.push_back(unescape_sgml(std::string_view(data).substr(b + 6, e - b - 6)));
      at = e;
    }
  } else if (path.ends_with(".jsonl")) {
    simdjson::ondemand::parser parser;
    std::istringstream lines(data);
    for (std::string line; std::getline(lines, line);) {
      simdjson::padded_string padded(line);
      simdjson::ondemand::document doc;
      if (parser.iterate(padded).get(doc)) continue;
      if (!language.empty()) {
        std::string_view lang;
        if (doc["language"].get_string().get(lang) || lang != language) continue;
      }
      std::string text;
      for (const char* field : {"title", "body"}) {
        std::string_view v;
        if (!doc[field].get_string().get(v)) {
          text += v;
          text += "\n";
        }
      }
      out.push_back(std::move(text));
    }
  } else {  // CoNLL: first column (space or tab), one sentence per line
    std::string text;
    std::istringstream lines(data);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("-DOCSTART-")) continue;
      if (line.find_first_not_of(" \t\r") == std::string::npos) {
        text += '\n';
        continue;
      }
      text += line.substr(0, line.find_first_of(" \t"));
      text += ' ';
    }
    out.push_back(std::move(text));
  }
  return out;
}

std::string lower(std::string_view w) {
  std::string s(w);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

void normalize(float* v) {
  double n = 0;
  for (int d = 0; d < kDims; ++d) n += double(v[d]) * v[d];
  const float inv = n > 0 ? static_cast<float>(1 / std::sqrt(n)) : 0;
  for (int d = 0; d < kDims; ++d) v[d] *= inv;
}

// Spherical k-means of `members` (row indices of `x`) into k groups; returns a
// group per member. Seeds: k-means++ with a fixed generator.
std::vector<int> kmeans(const std::vector<float>& x, const std::vector<int>& members, int k,
                        std::uint64_t seed) {
  const std::size_t n = members.size();
  std::vector<int> group(n, 0);
  if (n <= static_cast<std::size_t>(k)) {
    for (std::size_t i = 0; i < n; ++i) group[i] = static_cast<int>(i);
    return group;
  }
  std::vector<float> centers(static_cast<std::size_t>(k) * kDims);
  auto dot = [&](const float* a, const float* b) {
    float s = 0;
    for (int d = 0; d < kDims; ++d) s += a[d] * b[d];
    return s;
  };
  auto row = [&](std::size_t i) { return x.data() + static_cast<std::size_t>(members[i]) * kDims; };
  std::vector<double> dist(n, 2.0);
  std::uint64_t r = seed;
  std::size_t pick = (r = splitmix(r)) % n;
  for (int c = 0; c < k; ++c) {
    std::copy(row(pick), row(pick) + kDims, centers.begin() + static_cast<std::size_t>(c) * kDims);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      dist[i] = std::min(dist[i],
                         1.0 - dot(row(i), centers.data() + static_cast<std::size_t>(c) * kDims));
      total += std::max(dist[i], 0.0);
    }
    double target = (static_cast<double>((r = splitmix(r)) >> 11) / 9007199254740992.0) * total;
    pick = n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      target -= std::max(dist[i], 0.0);
      if (target <= 0) {
        pick = i;
        break;
      }
    }
  }
  for (int it = 0; it < kIterations; ++it) {
    for (std::size_t i = 0; i < n; ++i) {
      float best = -2;
      for (int c = 0; c < k; ++c) {
        const float s = dot(row(i), centers.data() + static_cast<std::size_t>(c) * kDims);
        if (s > best) best = s, group[i] = c;
      }
    }
    std::fill(centers.begin(), centers.end(), 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
      float* c = centers.data() + static_cast<std::size_t>(group[i]) * kDims;
      for (int d = 0; d < kDims; ++d) c[d] += row(i)[d];
    }
    for (int c = 0; c < k; ++c) normalize(centers.data() + static_cast<std::size_t>(c) * kDims);
  }
  return group;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_path, language;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--out" && i + 1 < argc)
      out_path = argv[++i];
    else if (a == "--language" && i + 1 < argc)
      language = argv[++i];
    else
      inputs.push_back(a);
  }
  if (out_path.empty() || inputs.empty()) {
    std::cerr << "usage: word_clusters --out clusters.tsv [--language xx] FILE... (.sgm, .jsonl or "
                 "CoNLL)\n";
    return 2;
  }

  // Token ids of the whole corpus, sentence by sentence (-1 between sentences).
  std::unordered_map<std::string, int> ids;
  std::vector<std::string> words;
  std::vector<std::int64_t> counts;
  std::vector<int> stream;
  std::vector<wirefeed::core::Token> tokens;
  std::vector<wirefeed::core::Sentence> sentences;
  for (const std::string& path : inputs) {
    for (const std::string& text : texts_of(path, language)) {
      std::uint32_t paragraphs = 0;
      wirefeed::stages::segment_text(text, tokens, sentences, paragraphs);
      for (const auto& s : sentences) {
        for (std::uint32_t k = 0; k < s.token_count; ++k) {
          const auto& t = tokens[s.first_token + k];
          const std::string w = lower(std::string_view(text).substr(t.begin, t.end - t.begin));
          auto [it, inserted] = ids.try_emplace(w, static_cast<int>(words.size()));
          if (inserted) {
            words.push_back(w);
            counts.push_back(0);
          }
          ++counts[it->second];
          stream.push_back(it->second);
        }
        stream.push_back(-1);
      }
    }
  }
  // Rank by frequency (ties alphabetical): the vocabulary and the contexts.
  std::vector<int> by_count(words.size());
  for (std::size_t i = 0; i < by_count.size(); ++i) by_count[i] = static_cast<int>(i);
  std::sort(by_count.begin(), by_count.end(), [&](int a, int b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : words[a] < words[b];
  });
  std::vector<int> vocab_row(words.size(), -1), context_col(words.size(), -1);
  int vocabulary = 0;
  for (std::size_t r = 0; r < by_count.size(); ++r) {
    const int w = by_count[r];
    if (r < static_cast<std::size_t>(kContextWords)) context_col[w] = static_cast<int>(r);
    if (counts[w] >= kMinCount && vocabulary < kMaxVocabulary) vocab_row[w] = vocabulary++;
  }
  std::fprintf(stderr, "word_clusters: %zu tokens, %zu types, %d clustered\n", stream.size(),
               words.size(), vocabulary);

  // Sparse context counts per vocabulary word.
  std::vector<std::unordered_map<int, float>> contexts(vocabulary);
  const int offsets[kOffsets] = {-2, -1, 1, 2};
  for (std::size_t i = 0; i < stream.size(); ++i) {
    if (stream[i] < 0 || vocab_row[stream[i]] < 0) continue;
    auto& m = contexts[vocab_row[stream[i]]];
    for (int o = 0; o < kOffsets; ++o) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + offsets[o];
      int col = kContextWords;  // the sentence boundary
      if (j >= 0 && j < static_cast<std::ptrdiff_t>(stream.size()) && stream[j] >= 0)
        col = context_col[stream[j]] >= 0 ? context_col[stream[j]] : kContextWords + 1;
      m[o * (kContextWords + 2) + col] += 1;
    }
  }
  // sqrt counts, unit length, then a fixed random +-1 projection.
  std::vector<float> x(static_cast<std::size_t>(vocabulary) * kDims, 0.0f);
  for (int v = 0; v < vocabulary; ++v) {
    std::vector<std::pair<int, float>> entries(contexts[v].begin(), contexts[v].end());
    std::sort(entries.begin(), entries.end());
    double norm = 0;
    for (auto& [c, n] : entries) norm += n;  // sum of sqrt^2
    float* row = x.data() + static_cast<std::size_t>(v) * kDims;
    for (auto& [c, n] : entries) {
      const float value = std::sqrt(n / static_cast<float>(norm));
      for (int d = 0; d < kDims; d += 64) {
        const std::uint64_t bits = splitmix(static_cast<std::uint64_t>(c) * 4 + d / 64);
        for (int b = 0; b < 64; ++b) row[d + b] += (bits >> b & 1) ? value : -value;
      }
    }
    normalize(row);
    contexts[v].clear();
  }

  // Three levels of k-means, each within its parent's members.
  std::vector<std::array<int, 3>> path(vocabulary);
  std::vector<std::vector<int>> groups = {std::vector<int>(vocabulary)};
  for (int v = 0; v < vocabulary; ++v) groups[0][v] = v;
  for (int level = 0; level < 3; ++level) {
    std::vector<std::vector<int>> next;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const std::vector<int>& members = groups[g];
      const std::vector<int> sub =
          kmeans(x, members, kBranching[level], 1000003ull * (level + 1) + g);
      std::vector<std::vector<int>> children(kBranching[level]);
      for (std::size_t i = 0; i < members.size(); ++i) {
        const int id = static_cast<int>(g) * kBranching[level] + sub[i];
        path[members[i]][level] = id;
        children[sub[i]].push_back(members[i]);
      }
      for (auto& c : children) next.push_back(std::move(c));
    }
    groups = std::move(next);
    std::fprintf(stderr, "word_clusters: level %d, %zu clusters\n", level + 1, groups.size());
  }

  std::ofstream out(out_path, std::ios::binary);
  for (std::size_t r = 0; r < by_count.size(); ++r) {
    const int w = by_count[r];
    const int v = vocab_row[w];
    if (v < 0 || words[w].find('\t') != std::string::npos) continue;
    out << words[w] << '\t' << path[v][0] << '\t' << path[v][1] << '\t' << path[v][2] << '\n';
  }
  return 0;
}
