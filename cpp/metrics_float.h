// The float metrics: node layouts (docs/format.md "Node layouts"), internal and returned distances
// (docs/algorithms.md "Distances"), split construction and sides (docs/algorithms.md "Splits and
// sides"), and the query priorities (docs/algorithms.md "Query"). Each struct is a set of static
// functions that the templated builder and searcher are instantiated with.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "kiss64.h"
#include "metric.h"
#include "node.h"
#include "two_means.h"

namespace annoy {

// Annoy's std::min on priorities: a NaN margin leaves the priority as it was.
inline float priority_min(float a, float b) { return b < a ? b : a; }

// Behaviour shared by the float metrics; Derived supplies the layout and the distance.
template <class Derived>
struct FloatMetricBase {
  using Elem = float;
  static int storage_dim(int f) { return f; }
  static float* vector(uint8_t* node) { return reinterpret_cast<float*>(node + Derived::kVectorOffset); }
  static const float* vector(const uint8_t* node) {
    return reinterpret_cast<const float*>(node + Derived::kVectorOffset);
  }
  static void encode(const float* in, int f, uint8_t* node) {
    std::memcpy(vector(node), in, sizeof(float) * static_cast<size_t>(f));
  }
  static void decode(const uint8_t* node, int f, float* out) {
    std::memcpy(out, vector(node), sizeof(float) * static_cast<size_t>(f));
  }
  // Two-means' centroid copy and normalisation; a metric with more than the vector (Dot's
  // dot_factor) hides these with its own.
  static void copy_node(uint8_t* dst, const uint8_t* src, int dim) {
    std::memcpy(vector(dst), vector(src), sizeof(float) * static_cast<size_t>(dim));
  }
  static void normalize(uint8_t* node, int dim, const FloatKernels& k) { normalize_vector(vector(node), dim, k); }
  // Whether distance() takes a limit past which it may stop early (sums that only grow).
  static constexpr bool kBoundedDistance = false;
  static float pq_initial() { return std::numeric_limits<float>::infinity(); }
  static float pq_distance(float d, float margin, int child) { return priority_min(d, child == 1 ? margin : -margin); }
  // A NaN margin is not zero and not positive: left, as in Annoy.
  static int side_code(const uint8_t* split, const uint8_t* item, int dim, const FloatKernels& k) {
    const float m = Derived::margin(split, vector(item), dim, k);
    if (m != 0) return m > 0 ? 1 : 0;
    return kSideUndecided;
  }
  static bool side(const uint8_t* split, const uint8_t* item, int dim, Kiss64& rng, const FloatKernels& k) {
    const int code = side_code(split, item, dim, k);
    return code == kSideUndecided ? rng.flip() : code == 1;
  }
  static void clear_split(uint8_t* split, int dim) {
    std::memset(vector(split), 0, sizeof(float) * static_cast<size_t>(dim));
  }
  // A split's normal before it is normalised: two-means' centroid p minus centroid q.
  static void centroid_difference(uint8_t* split, const uint8_t* p, const uint8_t* q, int dim) {
    float* n = vector(split);
    const float* pv = vector(p);
    const float* qv = vector(q);
    for (int z = 0; z < dim; ++z) n[z] = pv[z] - qv[z];
  }
  static void preprocess(uint8_t*, size_t, int32_t, int, const FloatKernels&) {}
  static bool split_valid(const uint8_t*, int) { return true; }
  // Two-means' distance from a centroid to an item, and the length the item is scaled by when it
  // joins a cosine centroid (docs/algorithms.md "Two-means"). Angular reads both from the item's
  // norm.
  static float split_distance(const uint8_t* centroid, const uint8_t* item, int dim, const FloatKernels& k) {
    return Derived::distance(centroid, item, dim, k);
  }
  static float item_length(const uint8_t* item, int dim, const FloatKernels& k) {
    if (!Derived::kCosine) return 1.0f;
    const float* v = vector(item);
    return std::sqrt(k.dot(v, v, dim));
  }
};

// Angular: {int32 nd; union {float norm; int32 children[2]}; float v[f]}. The norm slot holds
// <v, v> for items; 0 in files older than Annoy 1.11.2, where the norm is computed on the fly.
struct Angular : FloatMetricBase<Angular> {
  static constexpr Metric kMetric = Metric::kAngular;
  static constexpr size_t kChildrenOffset = 4;
  static constexpr size_t kNormOffset = 4;
  static constexpr size_t kVectorOffset = 12;
  static constexpr bool kCosine = true;

  static float squared_norm(const float* v, int dim, const FloatKernels& k) { return k.dot(v, v, dim); }
  static void init_node(uint8_t* node, int dim, const FloatKernels& k) {
    set_node_float(node, kNormOffset, squared_norm(vector(node), dim, k));
  }
  // x is a node this process prepared (a query, a centroid, or an item it added), so its norm
  // slot is current. y's norm is recomputed with our own kernel in the same pass as <x, y>
  // rather than read from y's slot: a file from another build (other summation order, or Annoy
  // < 1.11.2 with no norms) would otherwise put an item at a small non-zero distance from
  // itself. For items we added, the two are bit-identical, so trees do not change.
  static float distance(const uint8_t* x, const uint8_t* y, int dim, const FloatKernels& k) {
    const float* xv = vector(x);
    const float stored_x = node_float(x, kNormOffset);
    float qq;
    const float pq = k.dot_sq(xv, vector(y), dim, &qq);
    const float pp = stored_x != 0 ? stored_x : squared_norm(xv, dim, k);
    const float ppqq = pp * qq;
    if (ppqq > 0) return static_cast<float>(2.0 - 2.0 * pq / std::sqrt(ppqq));
    return 2.0f;
  }
  static float normalized_distance(float d) { return std::sqrt(std::max(d, 0.0f)); }
  // build() refreshes every item's norm with this build's kernel (a deserialized index may carry
  // norms from another build), so two-means can read the norms instead of recomputing them: the
  // same bits as distance() and dot() would give, for ~2/5 of the work per step.
  static void preprocess(uint8_t* base, size_t node_size, int32_t n_items, int dim, const FloatKernels& k) {
    for (int32_t i = 0; i < n_items; ++i) {
      uint8_t* node = base + static_cast<size_t>(i) * node_size;
      set_node_float(node, kNormOffset, squared_norm(vector(node), dim, k));
    }
  }
  static float split_distance(const uint8_t* centroid, const uint8_t* item, int dim, const FloatKernels& k) {
    const float* cv = vector(centroid);
    const float stored_c = node_float(centroid, kNormOffset);
    const float pp = stored_c != 0 ? stored_c : squared_norm(cv, dim, k);
    const float ppqq = pp * node_float(item, kNormOffset);
    if (ppqq > 0) return static_cast<float>(2.0 - 2.0 * k.dot(cv, vector(item), dim) / std::sqrt(ppqq));
    return 2.0f;
  }
  static float item_length(const uint8_t* item, int, const FloatKernels&) {
    return std::sqrt(node_float(item, kNormOffset));
  }
  static float margin(const uint8_t* split, const float* y, int dim, const FloatKernels& k) {
    return k.dot(vector(split), y, dim);
  }
  static void create_split(const std::vector<const uint8_t*>& items, int dim, Kiss64& rng, uint8_t* out, uint8_t* p,
                           uint8_t* q, const FloatKernels& k) {
    two_means<Angular>(items, dim, rng, p, q, k);
    centroid_difference(out, p, q, dim);
    normalize(out, dim, k);
  }
};

// Euclidean and Manhattan: {int32 nd; float a; int32 children[2]; float v[f]}. A split is the
// perpendicular bisector of the two centroids: margin = a + <v, y>.
template <class Derived>
struct Minkowski : FloatMetricBase<Derived> {
  using Base = FloatMetricBase<Derived>;
  static constexpr size_t kOffsetA = 4;
  static constexpr size_t kChildrenOffset = 8;
  static constexpr size_t kVectorOffset = 16;
  static constexpr bool kCosine = false;

  static void init_node(uint8_t*, int, const FloatKernels&) {}
  static float margin(const uint8_t* split, const float* y, int dim, const FloatKernels& k) {
    return node_float(split, kOffsetA) + k.dot(Base::vector(split), y, dim);
  }
  static void create_split(const std::vector<const uint8_t*>& items, int dim, Kiss64& rng, uint8_t* out, uint8_t* p,
                           uint8_t* q, const FloatKernels& k) {
    two_means<Derived>(items, dim, rng, p, q, k);
    Base::centroid_difference(out, p, q, dim);
    Base::normalize(out, dim, k);
    const float* n = Base::vector(out);
    const float* pv = Base::vector(p);
    const float* qv = Base::vector(q);
    float a = 0;
    for (int z = 0; z < dim; ++z) a += -n[z] * (pv[z] + qv[z]) / 2;
    set_node_float(out, kOffsetA, a);
  }
};

struct Euclidean : Minkowski<Euclidean> {
  static constexpr Metric kMetric = Metric::kEuclidean;
  static constexpr bool kBoundedDistance = true;
  static float distance(const uint8_t* x, const uint8_t* y, int dim, const FloatKernels& k, float limit = kNoLimit) {
    return k.l2sq(vector(x), vector(y), dim, limit);
  }
  static float normalized_distance(float d) { return std::sqrt(std::max(d, 0.0f)); }
};

struct Manhattan : Minkowski<Manhattan> {
  static constexpr Metric kMetric = Metric::kManhattan;
  static constexpr bool kBoundedDistance = true;
  static float distance(const uint8_t* x, const uint8_t* y, int dim, const FloatKernels& k, float limit = kNoLimit) {
    return k.l1(vector(x), vector(y), dim, limit);
  }
  static float normalized_distance(float d) { return std::max(d, 0.0f); }
};

// Dot product, Annoy 1.17.3 layout: {int32 nd; int32 children[2]; float dot_factor; float v[f]}.
// build() gives every item an extra component (dot_factor) so that all augmented vectors have
// the same norm, which turns inner-product search into angular search (docs/algorithms.md
// "Dot product").
struct Dot : FloatMetricBase<Dot> {
  static constexpr Metric kMetric = Metric::kDot;
  static constexpr size_t kChildrenOffset = 4;
  static constexpr size_t kDotFactorOffset = 12;
  static constexpr size_t kVectorOffset = 16;
  static constexpr bool kCosine = true;

  static float dot_factor(const uint8_t* node) { return node_float(node, kDotFactorOffset); }
  static void copy_node(uint8_t* dst, const uint8_t* src, int dim) {
    FloatMetricBase<Dot>::copy_node(dst, src, dim);
    set_node_float(dst, kDotFactorOffset, dot_factor(src));
  }
  static void normalize(uint8_t* node, int dim, const FloatKernels& k) {
    float* v = vector(node);
    const float df = dot_factor(node);
    // Annoy squares dot_factor with pow(float, 2), which C++ evaluates in double.
    const float norm = static_cast<float>(std::sqrt(k.dot(v, v, dim) + std::pow(static_cast<double>(df), 2)));
    if (norm > 0) {
      for (int z = 0; z < dim; ++z) v[z] /= norm;
      set_node_float(node, kDotFactorOffset, df / norm);
    }
  }
  static void init_node(uint8_t*, int, const FloatKernels&) {}
  static float distance(const uint8_t* x, const uint8_t* y, int dim, const FloatKernels& k) {
    return -k.dot(vector(x), vector(y), dim);
  }
  static float normalized_distance(float d) { return -d; }
  // Annoy 1.17.3 adds the split's own dot_factor squared, for items and queries alike.
  static float margin(const uint8_t* split, const float* y, int dim, const FloatKernels& k) {
    const float df = dot_factor(split);
    return k.dot(vector(split), y, dim) + df * df;
  }
  static void create_split(const std::vector<const uint8_t*>& items, int dim, Kiss64& rng, uint8_t* out, uint8_t* p,
                           uint8_t* q, const FloatKernels& k) {
    two_means<Dot>(items, dim, rng, p, q, k);
    centroid_difference(out, p, q, dim);
    set_node_float(out, kDotFactorOffset, dot_factor(p) - dot_factor(q));
    normalize(out, dim, k);
  }
  static void preprocess(uint8_t* base, size_t node_size, int32_t n_items, int dim, const FloatKernels& k) {
    float max_norm = 0;
    for (int32_t i = 0; i < n_items; ++i) {
      uint8_t* node = base + static_cast<size_t>(i) * node_size;
      const float d = k.dot(vector(node), vector(node), dim);
      const float norm = d < 0 ? 0 : std::sqrt(d);
      set_node_float(node, kDotFactorOffset, norm);
      max_norm = std::max(max_norm, norm);
    }
    for (int32_t i = 0; i < n_items; ++i) {
      uint8_t* node = base + static_cast<size_t>(i) * node_size;
      const float norm = dot_factor(node);
      const float diff = std::pow(max_norm, 2.0f) - std::pow(norm, 2.0f);
      set_node_float(node, kDotFactorOffset, diff < 0 ? 0 : std::sqrt(diff));
    }
  }
};

}  // namespace annoy
