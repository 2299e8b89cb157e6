// Distance kernels over float32 vectors, with the SIMD level chosen once at run time.
// Bounded kernels check their partial sum every kCheckEvery components.
//
// Below 8 components every kernel sums in plain index order, exactly as Annoy's scalar code does
// (docs/algorithms.md "Summation order and compile flags"): with the same RNG draws that gives
// byte-identical trees. From 8 components on, the fastest kernel the CPU supports is used (AVX-512,
// AVX2+FMA, NEON).
#pragma once

#include <cstdint>

namespace annoy {

constexpr int kCheckEvery = 128;
constexpr float kNoLimit = __builtin_huge_valf();

struct FloatKernels {
  float (*dot)(const float* a, const float* b, int n);
  // Sums of squared / absolute differences. The sum only grows, so once a partial sum exceeds
  // `limit` the rest cannot bring it back: the kernel may stop there and return that partial sum
  // (> limit). A sum that stays <= limit is computed in full, bit for bit as with no limit.
  float (*l2sq)(const float* a, const float* b, int n, float limit);
  float (*l1)(const float* a, const float* b, int n, float limit);
  // <a, b>, and <b, b> into *b_sq, in one pass: bit for bit dot(a, b) and dot(b, b) (the same
  // accumulators in the same order), so a norm computed here equals one computed by dot.
  float (*dot_sq)(const float* a, const float* b, int n, float* b_sq);
};

enum class SimdLevel { kScalar = 0, kNeon = 1, kAvx2 = 2, kAvx512 = 3 };

// The kernels for vectors of n components: scalar below 8, the best available level otherwise.
const FloatKernels& kernels_for(int n);
// The level in use for n >= 8. ANNOY_NAPI_SIMD=scalar|avx2|avx512|neon lowers it (never raises it
// past what the CPU supports), which the tests use to compare levels.
SimdLevel active_simd_level();
const char* simd_level_name(SimdLevel level);

// Scalar kernels, in Annoy's summation order.
float dot_scalar(const float* a, const float* b, int n);
float l2sq_scalar(const float* a, const float* b, int n, float limit);
float l1_scalar(const float* a, const float* b, int n, float limit);
float dot_sq_scalar(const float* a, const float* b, int n, float* b_sq);

// Per-level kernels; each is defined only where the compiler can target that level.
extern const FloatKernels kScalarKernels;
const FloatKernels* avx2_kernels();    // nullptr where not compiled
const FloatKernels* avx512_kernels();  // nullptr where not compiled
const FloatKernels* neon_kernels();    // nullptr where not compiled

inline uint64_t popcount64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<uint64_t>(__builtin_popcountll(x));
#else
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return (x * 0x0101010101010101ULL) >> 56;
#endif
}

}  // namespace annoy
