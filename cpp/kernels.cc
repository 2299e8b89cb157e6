#include "kernels.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace annoy {

float dot_scalar(const float* a, const float* b, int n) {
  float sum = 0;
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

float l2sq_scalar(const float* a, const float* b, int n, float limit) {
  float sum = 0;
  for (int i = 0; i < n; ++i) {
    const float d = a[i] - b[i];
    sum += d * d;
    if ((i + 1) % kCheckEvery == 0 && sum > limit) return sum;
  }
  return sum;
}

float l1_scalar(const float* a, const float* b, int n, float limit) {
  float sum = 0;
  for (int i = 0; i < n; ++i) {
    sum += std::fabs(a[i] - b[i]);
    if ((i + 1) % kCheckEvery == 0 && sum > limit) return sum;
  }
  return sum;
}

float dot_sq_scalar(const float* a, const float* b, int n, float* b_sq) {
  float ab = 0, bb = 0;
  for (int i = 0; i < n; ++i) {
    ab += a[i] * b[i];
    bb += b[i] * b[i];
  }
  *b_sq = bb;
  return ab;
}

const FloatKernels kScalarKernels = {dot_scalar, l2sq_scalar, l1_scalar, dot_sq_scalar};

namespace {

bool cpu_supports(SimdLevel level) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  switch (level) {
    case SimdLevel::kAvx512:
      return __builtin_cpu_supports("avx512f");
    case SimdLevel::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default:
      break;
  }
#endif
  if (level == SimdLevel::kNeon) return neon_kernels() != nullptr;
  return level == SimdLevel::kScalar;
}

const FloatKernels* kernels_of(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512:
      return avx512_kernels();
    case SimdLevel::kAvx2:
      return avx2_kernels();
    case SimdLevel::kNeon:
      return neon_kernels();
    default:
      return &kScalarKernels;
  }
}

SimdLevel requested_ceiling() {
  const char* env = std::getenv("ANNOY_NAPI_SIMD");
  if (env == nullptr) return SimdLevel::kAvx512;
  if (std::strcmp(env, "scalar") == 0) return SimdLevel::kScalar;
  if (std::strcmp(env, "neon") == 0) return SimdLevel::kNeon;
  if (std::strcmp(env, "avx2") == 0) return SimdLevel::kAvx2;
  return SimdLevel::kAvx512;
}

SimdLevel detect_level() {
  const SimdLevel ceiling = requested_ceiling();
  const SimdLevel candidates[] = {SimdLevel::kAvx512, SimdLevel::kAvx2, SimdLevel::kNeon};
  for (SimdLevel level : candidates) {
    if (static_cast<int>(level) > static_cast<int>(ceiling)) continue;
    if (kernels_of(level) != nullptr && cpu_supports(level)) return level;
  }
  return SimdLevel::kScalar;
}

}  // namespace

SimdLevel active_simd_level() {
  static const SimdLevel level = detect_level();
  return level;
}

const char* simd_level_name(SimdLevel level) {
  constexpr const char* kNames[] = {"scalar", "neon", "avx2", "avx512"};  // in the enum's order
  const size_t index = static_cast<size_t>(level);
  return index < sizeof kNames / sizeof kNames[0] ? kNames[index] : "scalar";
}

const FloatKernels& kernels_for(int n) {
  static const FloatKernels* best = kernels_of(active_simd_level());
  return n < 8 ? kScalarKernels : *best;
}

}  // namespace annoy
