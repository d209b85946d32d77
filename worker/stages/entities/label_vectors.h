// Per-label arithmetic a vector at a time, for the tagger's hot loops
// (model.cpp's weight sums and Viterbi, tagger.cpp's cached sums).
//
// GCC/Clang vector extensions: SSE2 on any x86-64, NEON on ARM, no target
// flags. Each lane gives the same IEEE or integer result as scalar code, so
// labels stay bit-identical across builds.
#pragma once

#include <cstdint>
#include <cstring>

#include "entities/model.h"

namespace wirefeed::stages::ner::vec {

using Floats4 = float __attribute__((vector_size(16)));
using Floats8 = float __attribute__((vector_size(32)));
using Shorts8 = std::int16_t __attribute__((vector_size(16)));
using Ints8 = std::int32_t __attribute__((vector_size(32)));

// The label sums below take labels 0..7 as one vector and label 8 alone.
static_assert(kLabels == 9);

// sum[y] += add[y] for every label.
inline void add_labels(std::int32_t* sum, const std::int32_t* add) {
  Ints8 a, b;
  std::memcpy(&a, sum, sizeof a);
  std::memcpy(&b, add, sizeof b);
  a += b;
  std::memcpy(sum, &a, sizeof a);
  sum[8] += add[8];
}

// low += weights[0..7] widened to 32 bits; last += weights[8].
inline void add_weights(Ints8& low, std::int32_t& last, const std::int16_t* weights) {
  Shorts8 w;
  std::memcpy(&w, weights, sizeof w);
  low += __builtin_convertvector(w, Ints8);
  last += weights[8];
}

// scores[y] = sum[y] * scale for every label: the same conversion and product
// lane by lane as one label at a time.
inline void to_scores(const std::int32_t* sum, float scale, float* scores) {
  Ints8 a;
  std::memcpy(&a, sum, sizeof a);
  const Floats8 f = __builtin_convertvector(a, Floats8) * scale;
  std::memcpy(scores, &f, sizeof f);
  scores[8] = static_cast<float>(sum[8]) * scale;
}

}  // namespace wirefeed::stages::ner::vec
