// Hamming: {int32 nd; int32 children[2]; 4 bytes padding; uint64 v[w]} with w = ceil(f / 64)
// (docs/format.md "Node layouts"). Users give one float per bit; a component > 0.5 is a set bit,
// packed least-significant-bit first into 64-bit words as Annoy's Python binding packs them
// (docs/format.md "Hamming bit packing"). A split node tests one bit, numbered from the most
// significant end of its word (docs/algorithms.md "Hamming").
#pragma once

#include <cstring>
#include <vector>

#include "kernels.h"
#include "kiss64.h"
#include "metric.h"
#include "node.h"

namespace annoy {

struct Hamming {
  using Elem = uint64_t;
  static constexpr Metric kMetric = Metric::kHamming;
  static constexpr size_t kChildrenOffset = 4;
  static constexpr size_t kVectorOffset = 16;
  static constexpr int kSplitTries = 20;

  static int storage_dim(int f_bits) { return static_cast<int>((static_cast<int64_t>(f_bits) + 63) / 64); }
  static uint64_t* words(uint8_t* node) { return reinterpret_cast<uint64_t*>(node + kVectorOffset); }
  static const uint64_t* words(const uint8_t* node) { return reinterpret_cast<const uint64_t*>(node + kVectorOffset); }

  static const uint64_t* vector(const uint8_t* node) { return words(node); }

  static void encode(const float* in, int f_bits, uint8_t* node) {
    uint64_t* w = words(node);
    std::memset(w, 0, sizeof(uint64_t) * static_cast<size_t>(storage_dim(f_bits)));
    for (int b = 0; b < f_bits; ++b) {
      if (in[b] > 0.5f) w[b / 64] |= uint64_t{1} << (b % 64);
    }
  }
  static void decode(const uint8_t* node, int f_bits, float* out) {
    const uint64_t* w = words(node);
    for (int b = 0; b < f_bits; ++b) out[b] = ((w[b / 64] >> (b % 64)) & 1) ? 1.0f : 0.0f;
  }

  static constexpr bool kBoundedDistance = false;
  static void init_node(uint8_t*, int, const FloatKernels&) {}
  static float distance(const uint8_t* x, const uint8_t* y, int dim, const FloatKernels&) {
    const uint64_t* a = words(x);
    const uint64_t* b = words(y);
    uint64_t bits = 0;
    for (int i = 0; i < dim; ++i) bits += popcount64(a[i] ^ b[i]);
    return static_cast<float>(bits);
  }
  static float normalized_distance(float d) { return d; }

  // Priorities count the turns taken against the query's bit: 0 at a root, then -1 per miss.
  // Annoy counts down from UINT64_MAX; the order, ties included, is the same.
  static float pq_initial() { return 0.0f; }
  static float pq_distance(float d, float margin, int child) {
    return d - ((margin != static_cast<float>(child)) ? 1.0f : 0.0f);
  }

  static uint64_t split_bit(const uint8_t* split) { return words(split)[0]; }
  static bool bit_is_set(const uint64_t* v, uint64_t bit) { return ((v[bit / 64] >> (63 - bit % 64)) & 1) != 0; }
  // Queries on a file must not read past the vector: the bit index comes from the file.
  static bool split_valid(const uint8_t* split, int dim) { return split_bit(split) < static_cast<uint64_t>(dim) * 64; }
  static float margin(const uint8_t* split, const uint64_t* y, int, const FloatKernels&) {
    return bit_is_set(y, split_bit(split)) ? 1.0f : 0.0f;
  }
  static int side_code(const uint8_t* split, const uint8_t* item, int, const FloatKernels&) {
    return bit_is_set(words(item), split_bit(split)) ? 1 : 0;
  }
  static bool side(const uint8_t* split, const uint8_t* item, int, Kiss64&, const FloatKernels&) {
    return bit_is_set(words(item), split_bit(split));
  }

  static size_t count_set(const std::vector<const uint8_t*>& items, uint64_t bit) {
    size_t n = 0;
    for (const uint8_t* item : items) n += bit_is_set(words(item), bit) ? 1 : 0;
    return n;
  }
  static bool separates(const std::vector<const uint8_t*>& items, uint64_t bit) {
    const size_t n = count_set(items, bit);
    return n > 0 && n < items.size();
  }
  // Up to 20 random bits, then a scan from bit 0, for a bit set in some items but not all.
  static void create_split(const std::vector<const uint8_t*>& items, int dim, Kiss64& rng, uint8_t* out, uint8_t*,
                           uint8_t*, const FloatKernels&) {
    const uint64_t n_bits = static_cast<uint64_t>(dim) * 64;
    uint64_t* v = words(out);
    for (int attempt = 0; attempt < kSplitTries; ++attempt) {
      v[0] = rng.index(n_bits);
      if (separates(items, v[0])) return;
    }
    for (uint64_t bit = 0; bit < n_bits; ++bit) {
      v[0] = bit;
      if (separates(items, bit)) return;
    }
  }
  static void clear_split(uint8_t* split, int dim) {
    std::memset(words(split), 0, sizeof(uint64_t) * static_cast<size_t>(dim));
  }
  static void preprocess(uint8_t*, size_t, int32_t, int, const FloatKernels&) {}
};

}  // namespace annoy
