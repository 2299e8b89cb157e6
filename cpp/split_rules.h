// Annoy's rules for when a node is a leaf and when a split is good enough (docs/algorithms.md
// "make_tree"), shared by the depth-first builder (tree_builder.h) and the layered one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "index.h"

namespace annoy {

// A split is tried up to three times while one side holds >= 95% of the items; beyond 99% the
// items are dealt to the sides by coin flips.
constexpr int kSplitAttempts = 3;
constexpr double kRetryImbalance = 0.95;
constexpr double kFallbackImbalance = 0.99;

// The larger side's fraction, computed with Annoy's float roundings.
inline double split_imbalance(size_t left, size_t right) {
  const double ls = static_cast<float>(left);
  const double rs = static_cast<float>(right);
  const float fraction = static_cast<float>(ls / (ls + rs + 1e-9));
  return std::max(fraction, 1 - fraction);
}

// A root holds all the items in one leaf only when they all fit, or when there is one. Or none:
// every slot below n_items can be a hole (a crafted snapshot), and splitting an empty set would
// divide by zero in two-means or flip coins forever (Annoy itself crashes there; fuzz/ found it).
inline bool root_is_leaf(size_t size, int32_t n_items, int32_t bucket_capacity) {
  return size <= static_cast<size_t>(bucket_capacity) && (n_items <= bucket_capacity || size <= 1);
}

inline std::string no_hyperplane_message(size_t left, size_t right) {
  return "\tNo hyperplane found (left has " + std::to_string(left) + " children, right has " + std::to_string(right) +
         " children)";
}

// Annoy's retries and fallback for a split of `size` items whose first attempt put `left` of
// them on the left: while one side holds >= 95%, another split is made (at most kSplitAttempts
// in all); while it holds > 99%, the items are dealt by coin flips. resplit() and deal() each
// redo the sides and return the new left count; both builders call this, so they draw from
// their random streams in the same order. Returns the final left count.
template <class Resplit, class Deal>
size_t settle_split(size_t size, size_t left, const LogSink* log, Resplit&& resplit, Deal&& deal) {
  for (int attempt = 1; attempt < kSplitAttempts && split_imbalance(left, size - left) >= kRetryImbalance; ++attempt) {
    left = resplit();
  }
  while (split_imbalance(left, size - left) > kFallbackImbalance) {
    if (log != nullptr) (*log)(1, no_hyperplane_message(left, size - left));
    left = deal();
  }
  return left;
}

}  // namespace annoy
