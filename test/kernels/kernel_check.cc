// Checks, at every SIMD level this CPU runs, the kernel contract the build relies on
// (cpp/kernels.h): dot_sq gives bit for bit dot(a, b) and dot(b, b). Prints "<levels> ok
// <checks>" and exits 0, or names the first mismatch.
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "kernels.h"

namespace {

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool cpu_runs(const char* level) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (std::strcmp(level, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (std::strcmp(level, "avx512") == 0) return __builtin_cpu_supports("avx512f");
#endif
  return std::strcmp(level, "neon") == 0;  // part of the arm64 baseline
}

}  // namespace

int main() {
  struct Level {
    const char* name;
    const annoy::FloatKernels* kernels;
  };
  const Level levels[] = {{"scalar", &annoy::kScalarKernels},
                          {"avx2", annoy::avx2_kernels()},
                          {"avx512", annoy::avx512_kernels()},
                          {"neon", annoy::neon_kernels()}};
  std::mt19937 rng(12345);
  std::normal_distribution<float> gauss(0.0f, 3.0f);
  long checks = 0;
  for (const Level& level : levels) {
    if (level.kernels == nullptr || (std::strcmp(level.name, "scalar") != 0 && !cpu_runs(level.name))) continue;
    const annoy::FloatKernels& k = *level.kernels;
    for (int n = 1; n <= 300; ++n) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<float> a(n), b(n);
        for (int i = 0; i < n; ++i) {
          a[i] = gauss(rng);
          b[i] = gauss(rng);
        }
        float bb = 0;
        const float ab = k.dot_sq(a.data(), b.data(), n, &bb);
        if (!same_bits(ab, k.dot(a.data(), b.data(), n)) || !same_bits(bb, k.dot(b.data(), b.data(), n))) {
          std::printf("%s: dot_sq differs from dot at n = %d\n", level.name, n);
          return 1;
        }
        checks += 2;
      }
    }
    std::printf("%s ", level.name);
  }
  std::printf("ok %ld\n", checks);
  return 0;
}
