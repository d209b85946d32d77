#include "wirefeed/stages/topics/model.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "resources/resources.h"

namespace wirefeed::stages::topics {

namespace {

constexpr char kMagic[8] = {'W', 'F', 'T', 'O', 'P', 'I', 'C', 'S'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kMaxWordBytes = 64;  // longer words hash their first 64 bytes

bool ascii_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Bytes at p[i] that separate words though they are not ASCII: U+2000..U+207F
// (E2 80 xx, E2 81 xx: dashes, curly quotes, ellipsis) and U+00A0, U+00AB,
// U+00BB (no-break space, guillemets). Returns their length, 0 if none.
std::size_t non_ascii_separator(const unsigned char* p, std::size_t i, std::size_t n) {
  if (p[i] == 0xE2 && i + 2 < n && (p[i + 1] == 0x80 || p[i + 1] == 0x81)) return 3;
  if (p[i] == 0xC2 && i + 1 < n && (p[i + 1] == 0xA0 || p[i + 1] == 0xAB || p[i + 1] == 0xBB))
    return 2;
  return 0;
}

// 1 + ln(count) for the small counts nearly every feature has.
struct LogTable {
  float v[32];
  LogTable() {
    for (int i = 1; i < 32; ++i) v[i] = 1.0f + std::log(static_cast<float>(i));
    v[0] = 0;
  }
};
const LogTable kLog;

float log_count(std::size_t count) {
  return count < 32 ? kLog.v[count] : 1.0f + std::log(static_cast<float>(count));
}

std::uint64_t mix_bigram(std::uint64_t prev, std::uint64_t cur) {
  std::uint64_t z = prev * 0x9E3779B97F4A7C15ull ^ (cur + 0x632BE59BD9B4E019ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_f32(std::string& out, float f) {
  std::uint32_t v;
  std::memcpy(&v, &f, 4);
  put_u32(out, v);
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Bounds-checked reads over the model bytes.
class Reader {
 public:
  Reader(std::string_view bytes, std::string_view source) : bytes_(bytes), source_(source) {}
  void need(std::size_t n) const {
    if (bytes_.size() - pos_ < n) fail("truncated (ends inside the header or weights)");
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    const std::uint64_t lo = u32();
    return lo | static_cast<std::uint64_t>(u32()) << 32;
  }
  float f32() {
    const std::uint32_t v = u32();
    float f;
    std::memcpy(&f, &v, 4);
    return f;
  }
  std::string str() {
    const std::uint32_t n = u32();
    need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::string_view take(std::size_t n) {
    need(n);
    std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t pos() const { return pos_; }
  [[noreturn]] void fail(const std::string& why) const {
    throw ModelError("topics model " + std::string(source_) + ": " + why);
  }

 private:
  std::string_view bytes_;
  std::string_view source_;
  std::size_t pos_ = 0;
};

}  // namespace

float featurize(const std::vector<std::string_view>& parts, std::uint32_t buckets, bool bigrams,
                FeatureScratch& scratch, const std::vector<float>& idf) {
  const std::uint32_t mask = buckets - 1;
  auto& hashes = scratch.hashes;
  hashes.clear();
  char word[kMaxWordBytes];
  for (std::string_view part : parts) {
    const auto* p = reinterpret_cast<const unsigned char*>(part.data());
    const std::size_t n = part.size();
    std::size_t i = 0;
    bool have_prev = false;
    std::uint64_t prev = 0;
    while (i < n) {
      // Skip to the next word byte.
      const unsigned char c = p[i];
      if (c < 0x80 ? !ascii_word_byte(c) : non_ascii_separator(p, i, n) != 0) {
        i += c < 0x80 ? 1 : non_ascii_separator(p, i, n);
        continue;
      }
      std::size_t len = 0;
      while (i < n) {
        const unsigned char d = p[i];
        if (d < 0x80) {
          if (!ascii_word_byte(d)) break;
          if (len < kMaxWordBytes)
            word[len++] = (d >= 'A' && d <= 'Z') ? static_cast<char>(d + 32) : static_cast<char>(d);
          ++i;
        } else {
          if (non_ascii_separator(p, i, n) != 0) break;
          if (len < kMaxWordBytes) word[len++] = static_cast<char>(d);
          ++i;
        }
      }
      const std::uint64_t h = XXH3_64bits(word, len);
      hashes.push_back(static_cast<std::uint32_t>(h) & mask);
      if (bigrams && have_prev)
        hashes.push_back(static_cast<std::uint32_t>(mix_bigram(prev, h)) & mask);
      prev = h;
      have_prev = true;
    }
  }
  std::sort(hashes.begin(), hashes.end());
  auto& features = scratch.features;
  features.clear();
  double sum_sq = 0;
  for (std::size_t i = 0; i < hashes.size();) {
    std::size_t j = i + 1;
    while (j < hashes.size() && hashes[j] == hashes[i]) ++j;
    float v = log_count(j - i);
    if (!idf.empty()) v *= idf[hashes[i]];
    features.push_back({hashes[i], v});
    sum_sq += static_cast<double>(v) * v;
    i = j;
  }
  return sum_sq > 0 ? static_cast<float>(1.0 / std::sqrt(sum_sq)) : 0.0f;
}

std::string write_model(const ModelParams& m) {
  const std::size_t n = m.labels.size();
  if (m.bias.size() != n || m.weights.size() != static_cast<std::size_t>(m.buckets) * n ||
      (!m.idf.empty() && m.idf.size() != m.buckets)) {
    throw std::logic_error("write_model: weights do not match buckets x labels");
  }
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, kFormatVersion);
  put_str(out, m.name);
  put_str(out, m.version);
  put_u32(out, static_cast<std::uint32_t>(m.languages.size()));
  for (const auto& l : m.languages) put_str(out, l);
  put_u32(out, static_cast<std::uint32_t>(n));
  for (const auto& l : m.labels) {
    put_str(out, l.key);
    put_str(out, l.code);
    put_str(out, l.label);
  }
  put_u32(out, m.multi_label ? 1 : 0);
  put_u32(out, m.buckets);
  put_u32(out, m.bigrams ? 1 : 0);
  put_u32(out, m.weight_bits);
  put_u32(out, m.idf.empty() ? 0 : 1);
  put_f32(out, m.threshold);
  put_u32(out, m.epochs);
  put_f32(out, m.learning_rate);
  put_f32(out, m.l2);
  put_u64(out, m.seed);
  // One scale per label: the largest |weight| maps to the largest integer.
  const float qmax = m.weight_bits == 8 ? 127.0f : 32767.0f;
  std::vector<float> scale(n, 0.0f);
  for (std::size_t b = 0; b < m.buckets; ++b) {
    for (std::size_t l = 0; l < n; ++l)
      scale[l] = std::max(scale[l], std::fabs(m.weights[b * n + l]));
  }
  for (auto& s : scale) s = s > 0 ? s / qmax : 1.0f;
  for (float b : m.bias) put_f32(out, b);
  for (float s : scale) put_f32(out, s);
  for (float f : m.idf) put_f32(out, f);
  out.reserve(out.size() + m.weights.size() * (m.weight_bits / 8) + 8);
  for (std::size_t i = 0; i < m.weights.size(); ++i) {
    const long q = std::lround(m.weights[i] / scale[i % n]);
    const long c = std::clamp<long>(q, -static_cast<long>(qmax), static_cast<long>(qmax));
    if (m.weight_bits == 8) {
      out.push_back(static_cast<char>(static_cast<std::int8_t>(c)));
    } else {
      const auto v = static_cast<std::uint16_t>(static_cast<std::int16_t>(c));
      out.push_back(static_cast<char>(v & 0xFF));
      out.push_back(static_cast<char>(v >> 8));
    }
  }
  put_u64(out, XXH64(out.data(), out.size(), 0));
  return out;
}

Model::Model(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source);
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    r.fail("not a wirefeed topics model (no WFTOPICS magic)");
  }
  if (bytes.size() < sizeof kMagic + 4 + 8)
    r.fail("truncated (" + std::to_string(bytes.size()) + " bytes)");
  r.take(sizeof kMagic);
  const std::uint32_t format = r.u32();
  if (format != kFormatVersion) {
    r.fail("format version " + std::to_string(format) + ", this build reads version " +
           std::to_string(kFormatVersion));
  }
  name_ = r.str();
  version_ = r.str();
  const std::uint32_t n_languages = r.u32();
  if (n_languages > 1000) r.fail("corrupt (" + std::to_string(n_languages) + " languages)");
  for (std::uint32_t i = 0; i < n_languages; ++i) languages_.push_back(r.str());
  const std::uint32_t n = r.u32();
  if (n == 0 || n > 100000) r.fail("corrupt (" + std::to_string(n) + " labels)");
  for (std::uint32_t i = 0; i < n; ++i) {
    Label l;
    l.key = r.str();
    l.code = r.str();
    l.label = r.str();
    labels_.push_back(std::move(l));
  }
  multi_label_ = r.u32() != 0;
  buckets_ = r.u32();
  bigrams_ = r.u32() != 0;
  weight_bits_ = r.u32();
  const bool has_idf = r.u32() != 0;
  threshold_ = r.f32();
  r.u32();  // epochs, learning rate, l2, seed: how it was trained
  r.f32();
  r.f32();
  r.u64();
  if (buckets_ == 0 || (buckets_ & (buckets_ - 1)) != 0 || buckets_ > (1u << 26)) {
    r.fail("corrupt (bucket count " + std::to_string(buckets_) + " is not a power of two)");
  }
  if (weight_bits_ != 8 && weight_bits_ != 16) {
    r.fail("corrupt (weight bits " + std::to_string(weight_bits_) + ")");
  }
  const std::size_t cells = static_cast<std::size_t>(buckets_) * n;
  const std::size_t idf_bytes = has_idf ? 4 * static_cast<std::size_t>(buckets_) : 0;
  r.need(8 * n + idf_bytes + cells * (weight_bits_ / 8) + 8);
  // The checksum covers everything before it; check it before trusting the weights.
  const std::size_t body_end = r.pos() + 8 * n + idf_bytes + cells * (weight_bits_ / 8);
  if (bytes.size() != body_end + 8) {
    r.fail("corrupt (" + std::to_string(bytes.size() - body_end - 8) + " bytes after the weights)");
  }
  std::uint64_t stored = 0;
  for (int i = 0; i < 8; ++i)
    stored |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[body_end + i]))
              << (8 * i);
  if (XXH64(bytes.data(), body_end, 0) != stored) r.fail("checksum mismatch (the file is corrupt)");
  bias_.resize(n);
  scale_.resize(n);
  for (auto& b : bias_) b = r.f32();
  for (auto& s : scale_) s = r.f32();
  if (has_idf) {
    idf_.resize(buckets_);
    for (auto& f : idf_) f = r.f32();
  }
  std::string_view w = r.take(cells * (weight_bits_ / 8));
  if (weight_bits_ == 8) {
    w8_.resize(cells);
    std::memcpy(w8_.data(), w.data(), cells);
  } else {
    w16_.resize(cells);
    for (std::size_t i = 0; i < cells; ++i) {
      const auto lo = static_cast<unsigned char>(w[2 * i]);
      const auto hi = static_cast<unsigned char>(w[2 * i + 1]);
      w16_[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(lo | (hi << 8)));
    }
  }
}

bool Model::supports(std::string_view language) const {
  return languages_.empty() ||
         std::find(languages_.begin(), languages_.end(), language) != languages_.end();
}

void Model::score(const std::vector<std::string_view>& parts, FeatureScratch& scratch,
                  std::vector<float>& scores) const {
  const std::size_t n = labels_.size();
  const float inv_norm = featurize(parts, buckets_, bigrams_, scratch, idf_);
  scores.assign(n, 0.0f);
  float* acc = scores.data();
  if (weight_bits_ == 8) {
    for (const Feature& f : scratch.features) {
      const std::int8_t* row = w8_.data() + static_cast<std::size_t>(f.bucket) * n;
      for (std::size_t l = 0; l < n; ++l) acc[l] += f.value * static_cast<float>(row[l]);
    }
  } else {
    for (const Feature& f : scratch.features) {
      const std::int16_t* row = w16_.data() + static_cast<std::size_t>(f.bucket) * n;
      for (std::size_t l = 0; l < n; ++l) acc[l] += f.value * static_cast<float>(row[l]);
    }
  }
  for (std::size_t l = 0; l < n; ++l) acc[l] = acc[l] * scale_[l] * inv_norm + bias_[l];
  if (multi_label_) {
    for (std::size_t l = 0; l < n; ++l) acc[l] = 1.0f / (1.0f + std::exp(-acc[l]));
  } else {
    const float top = *std::max_element(acc, acc + n);
    float sum = 0;
    for (std::size_t l = 0; l < n; ++l) sum += acc[l] = std::exp(acc[l] - top);
    for (std::size_t l = 0; l < n; ++l) acc[l] /= sum;
  }
}

Model load_model(std::string_view name_or_path) {
  const bool is_path =
      name_or_path.find('/') != std::string_view::npos || name_or_path.ends_with(".bin");
  if (is_path) {
    std::ifstream in{std::string(name_or_path), std::ios::binary};
    if (!in)
      throw ModelError("topics model " + std::string(name_or_path) + ": cannot read the file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return Model(bytes.str(), name_or_path);
  }
  const std::string path = "topics/" + std::string(name_or_path) + ".bin";
  std::string_view bytes = resources::find(path);
  if (bytes.empty()) {
    std::string known;
    for (const auto& s : shipped_models()) known += (known.empty() ? "" : ", ") + s;
    throw ModelError("topics model '" + std::string(name_or_path) +
                     "': no such shipped model (shipped: " + known +
                     "); a file path needs a '/' or a .bin ending");
  }
  return Model(bytes, name_or_path);
}

std::vector<std::string> shipped_models() {
  std::vector<std::string> names;
  for (const auto& [path, bytes] : resources::files_under("topics/")) {
    std::string_view p = path.substr(7);
    if (p.ends_with(".bin")) names.emplace_back(p.substr(0, p.size() - 4));
  }
  return names;
}

}  // namespace wirefeed::stages::topics
