// Annoy's two-means: two centroids refined over 200 random draws (docs/algorithms.md "Two-means").
// The draws, their order and the float arithmetic follow Annoy exactly, because the split normals,
// and so the trees and the files, depend on every bit of them.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels.h"
#include "kiss64.h"
#include "node.h"

namespace annoy {

constexpr int kTwoMeansSteps = 200;
constexpr int kPrefetchSteps = 4;

// M provides: vector(node), copy_node, normalize, init_node, split_distance, item_length, kCosine.
template <class M>
void two_means(const std::vector<const uint8_t*>& items, int dim, Kiss64& rng, uint8_t* p, uint8_t* q,
               const FloatKernels& k) {
  const size_t count = items.size();
  const size_t i = rng.index(count);
  size_t j = rng.index(count - 1);
  j += (j >= i) ? 1 : 0;

  M::copy_node(p, items[i], dim);
  M::copy_node(q, items[j], dim);
  if (M::kCosine) {
    M::normalize(p, dim, k);
    M::normalize(q, dim, k);
  }
  M::init_node(p, dim, k);
  M::init_node(q, dim, k);

  // Each step draws one item whatever happens in it, so the draws can all be made first. Then
  // the items, scattered in memory, can be fetched a few steps ahead: without that two-means
  // waits on a cache miss for every step, and for GloVe-sized data that was most of the build.
  std::array<const uint8_t*, kTwoMeansSteps> picked;
  for (const uint8_t*& x : picked) x = items[rng.index(count)];
  const size_t bytes = M::kVectorOffset + sizeof(typename M::Elem) * static_cast<size_t>(dim);
  for (int step = 0; step < kPrefetchSteps; ++step) prefetch_node(picked[step], bytes);

  int ic = 1, jc = 1;
  for (int step = 0; step < kTwoMeansSteps; ++step) {
    if (step + kPrefetchSteps < kTwoMeansSteps) prefetch_node(picked[step + kPrefetchSteps], bytes);
    const uint8_t* x = picked[step];
    const float di = static_cast<float>(ic) * M::split_distance(p, x, dim, k);
    const float dj = static_cast<float>(jc) * M::split_distance(q, x, dim, k);
    const float* xv = M::vector(x);
    const float norm = M::item_length(x, dim, k);
    if (!(norm > 0.0f)) continue;  // a zero (or NaN) vector still uses up its step
    if (di < dj) {
      float* pv = M::vector(p);
      for (int z = 0; z < dim; ++z) {
        pv[z] = (pv[z] * static_cast<float>(ic) + xv[z] / norm) / static_cast<float>(ic + 1);
      }
      M::init_node(p, dim, k);
      ++ic;
    } else if (dj < di) {
      float* qv = M::vector(q);
      for (int z = 0; z < dim; ++z) {
        qv[z] = (qv[z] * static_cast<float>(jc) + xv[z] / norm) / static_cast<float>(jc + 1);
      }
      M::init_node(q, dim, k);
      ++jc;
    }
  }
}

// Scales v to unit L2 length; a zero vector is left as it is.
inline void normalize_vector(float* v, int dim, const FloatKernels& k) {
  const float norm = std::sqrt(k.dot(v, v, dim));
  if (norm > 0.0f) {
    for (int z = 0; z < dim; ++z) v[z] /= norm;
  }
}

}  // namespace annoy
