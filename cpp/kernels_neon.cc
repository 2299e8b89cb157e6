// NEON kernels for arm64, where NEON is part of the baseline: no run-time check is needed.
#include "kernels.h"

#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>

namespace annoy {
namespace {

float dot_neon(const float* a, const float* b, int n) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
    s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    s2 = vfmaq_f32(s2, vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
    s3 = vfmaq_f32(s3, vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
  }
  for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
  float sum = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// dot_neon's loop, accumulators and order, on <a, b> and <b, b> side by side.
float dot_sq_neon(const float* a, const float* b, int n, float* b_sq) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0);
  float32x4_t q0 = vdupq_n_f32(0), q1 = vdupq_n_f32(0), q2 = vdupq_n_f32(0), q3 = vdupq_n_f32(0);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const float32x4_t b0 = vld1q_f32(b + i), b1 = vld1q_f32(b + i + 4);
    const float32x4_t b2 = vld1q_f32(b + i + 8), b3 = vld1q_f32(b + i + 12);
    s0 = vfmaq_f32(s0, vld1q_f32(a + i), b0);
    s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), b1);
    s2 = vfmaq_f32(s2, vld1q_f32(a + i + 8), b2);
    s3 = vfmaq_f32(s3, vld1q_f32(a + i + 12), b3);
    q0 = vfmaq_f32(q0, b0, b0);
    q1 = vfmaq_f32(q1, b1, b1);
    q2 = vfmaq_f32(q2, b2, b2);
    q3 = vfmaq_f32(q3, b3, b3);
  }
  for (; i + 4 <= n; i += 4) {
    const float32x4_t b0 = vld1q_f32(b + i);
    s0 = vfmaq_f32(s0, vld1q_f32(a + i), b0);
    q0 = vfmaq_f32(q0, b0, b0);
  }
  float ab = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  float bb = vaddvq_f32(vaddq_f32(vaddq_f32(q0, q1), vaddq_f32(q2, q3)));
  for (; i < n; ++i) {
    ab += a[i] * b[i];
    bb += b[i] * b[i];
  }
  *b_sq = bb;
  return ab;
}

float l2sq_neon(const float* a, const float* b, int n, float limit) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const float32x4_t d0 = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
    const float32x4_t d1 = vsubq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    s0 = vfmaq_f32(s0, d0, d0);
    s1 = vfmaq_f32(s1, d1, d1);
    if ((i + 8) % kCheckEvery == 0) {
      const float partial = vaddvq_f32(vaddq_f32(s0, s1));
      if (partial > limit) return partial;
    }
  }
  for (; i + 4 <= n; i += 4) {
    const float32x4_t d = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
    s0 = vfmaq_f32(s0, d, d);
  }
  float sum = vaddvq_f32(vaddq_f32(s0, s1));
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

float l1_neon(const float* a, const float* b, int n, float limit) {
  float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = vaddq_f32(s0, vabdq_f32(vld1q_f32(a + i), vld1q_f32(b + i)));
    s1 = vaddq_f32(s1, vabdq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4)));
    if ((i + 8) % kCheckEvery == 0) {
      const float partial = vaddvq_f32(vaddq_f32(s0, s1));
      if (partial > limit) return partial;
    }
  }
  for (; i + 4 <= n; i += 4) s0 = vaddq_f32(s0, vabdq_f32(vld1q_f32(a + i), vld1q_f32(b + i)));
  float sum = vaddvq_f32(vaddq_f32(s0, s1));
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    sum += d < 0 ? -d : d;
  }
  return sum;
}

const FloatKernels kNeonKernels = {dot_neon, l2sq_neon, l1_neon, dot_sq_neon};

}  // namespace

const FloatKernels* neon_kernels() { return &kNeonKernels; }

}  // namespace annoy

#else

namespace annoy {
const FloatKernels* neon_kernels() { return nullptr; }
}  // namespace annoy

#endif
