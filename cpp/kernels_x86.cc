// AVX2+FMA and AVX-512 kernels for x86-64. Each function carries its own target attribute, so
// this file compiles with the baseline flags and nothing here runs unless kernels.cc found the
// feature on the CPU: the shipped binary stays x86-64 baseline (no -march=native).
#include "kernels.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define ANNOY_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define ANNOY_TARGET_AVX512 __attribute__((target("avx512f")))

namespace annoy {
namespace {

ANNOY_TARGET_AVX2 inline float hsum256(__m256 v) {
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  __m128 shuffled = _mm_movehdup_ps(sum);
  sum = _mm_add_ps(sum, shuffled);
  shuffled = _mm_movehl_ps(shuffled, sum);
  sum = _mm_add_ss(sum, shuffled);
  return _mm_cvtss_f32(sum);
}

// Four independent accumulators hide the FMA latency; the remainder below 8 is summed scalar.
ANNOY_TARGET_AVX2 float dot_avx2(const float* a, const float* b, int n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float sum = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// dot_avx2's loop, accumulators and order, run on <a, b> and <b, b> side by side: each sum is
// bit for bit what dot_avx2 returns for it.
ANNOY_TARGET_AVX2 float dot_sq_avx2(const float* a, const float* b, int n, float* b_sq) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  __m256 q0 = _mm256_setzero_ps(), q1 = _mm256_setzero_ps();
  __m256 q2 = _mm256_setzero_ps(), q3 = _mm256_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 b0 = _mm256_loadu_ps(b + i), b1 = _mm256_loadu_ps(b + i + 8);
    const __m256 b2 = _mm256_loadu_ps(b + i + 16), b3 = _mm256_loadu_ps(b + i + 24);
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b0, s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), b1, s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), b2, s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), b3, s3);
    q0 = _mm256_fmadd_ps(b0, b0, q0);
    q1 = _mm256_fmadd_ps(b1, b1, q1);
    q2 = _mm256_fmadd_ps(b2, b2, q2);
    q3 = _mm256_fmadd_ps(b3, b3, q3);
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 b0 = _mm256_loadu_ps(b + i);
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b0, s0);
    q0 = _mm256_fmadd_ps(b0, b0, q0);
  }
  float ab = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  float bb = hsum256(_mm256_add_ps(_mm256_add_ps(q0, q1), _mm256_add_ps(q2, q3)));
  for (; i < n; ++i) {
    ab += a[i] * b[i];
    bb += b[i] * b[i];
  }
  *b_sq = bb;
  return ab;
}

// The bounded loops check after every kCheckEvery (128) components, i.e. every 4 steps of 32.
ANNOY_TARGET_AVX2 float l2sq_avx2(const float* a, const float* b, int n, float limit) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    const __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
    const __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
    s2 = _mm256_fmadd_ps(d2, d2, s2);
    s3 = _mm256_fmadd_ps(d3, d3, s3);
    if ((i + 32) % kCheckEvery == 0) {
      const float partial = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
      if (partial > limit) return partial;
    }
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d, d, s0);
  }
  float sum = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

ANNOY_TARGET_AVX2 float l1_avx2(const float* a, const float* b, int n, float limit) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_add_ps(s0, _mm256_andnot_ps(sign, d0));
    s1 = _mm256_add_ps(s1, _mm256_andnot_ps(sign, d1));
    if ((i + 16) % kCheckEvery == 0) {
      const float partial = hsum256(_mm256_add_ps(s0, s1));
      if (partial > limit) return partial;
    }
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_add_ps(s0, _mm256_andnot_ps(sign, d));
  }
  float sum = hsum256(_mm256_add_ps(s0, s1));
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    sum += d < 0 ? -d : d;
  }
  return sum;
}

// AVX-512: the tail is a masked load, so no scalar remainder.
ANNOY_TARGET_AVX512 inline __mmask16 tail_mask(int remaining) { return static_cast<__mmask16>((1u << remaining) - 1u); }

ANNOY_TARGET_AVX512 float dot_avx512(const float* a, const float* b, int n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

// dot_avx512's loop, accumulators and order, on <a, b> and <b, b> side by side.
ANNOY_TARGET_AVX512 float dot_sq_avx512(const float* a, const float* b, int n, float* b_sq) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  __m512 q0 = _mm512_setzero_ps(), q1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 b0 = _mm512_loadu_ps(b + i), b1 = _mm512_loadu_ps(b + i + 16);
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), b0, s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), b1, s1);
    q0 = _mm512_fmadd_ps(b0, b0, q0);
    q1 = _mm512_fmadd_ps(b1, b1, q1);
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 b0 = _mm512_loadu_ps(b + i);
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), b0, s0);
    q0 = _mm512_fmadd_ps(b0, b0, q0);
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 b0 = _mm512_maskz_loadu_ps(m, b + i);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), b0, s1);
    q1 = _mm512_fmadd_ps(b0, b0, q1);
  }
  *b_sq = _mm512_reduce_add_ps(_mm512_add_ps(q0, q1));
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

ANNOY_TARGET_AVX512 float l2sq_avx512(const float* a, const float* b, int n, float limit) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
    if ((i + 32) % kCheckEvery == 0) {
      const float partial = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
      if (partial > limit) return partial;
    }
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_fmadd_ps(d, d, s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

ANNOY_TARGET_AVX512 float l1_avx512(const float* a, const float* b, int n, float limit) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_add_ps(s0, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i))));
    s1 = _mm512_add_ps(s1, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16))));
    if ((i + 32) % kCheckEvery == 0) {
      const float partial = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
      if (partial > limit) return partial;
    }
  }
  for (; i + 16 <= n; i += 16) {
    s0 = _mm512_add_ps(s0, _mm512_abs_ps(_mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i))));
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_add_ps(s1, _mm512_abs_ps(d));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

const FloatKernels kAvx2Kernels = {dot_avx2, l2sq_avx2, l1_avx2, dot_sq_avx2};
const FloatKernels kAvx512Kernels = {dot_avx512, l2sq_avx512, l1_avx512, dot_sq_avx512};

}  // namespace

const FloatKernels* avx2_kernels() { return &kAvx2Kernels; }
const FloatKernels* avx512_kernels() { return &kAvx512Kernels; }

}  // namespace annoy

#else

namespace annoy {
const FloatKernels* avx2_kernels() { return nullptr; }
const FloatKernels* avx512_kernels() { return nullptr; }
}  // namespace annoy

#endif
