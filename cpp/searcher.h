// Annoy's query (docs/algorithms.md "Query"): one priority queue over every root, expanded
// best-first until search_k candidate ids are collected; then the candidates are deduplicated,
// measured exactly and the n nearest returned, ties to the smaller id.
//
// The nodes may come from a file we did not write, so every id read from a node is range-checked
// and every split must hold fewer items than its parent: a child can never lead back to an
// ancestor, so corrupt files end in ANNOY_CORRUPT instead of a crash or an endless loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "id_filter.h"
#include "index.h"
#include "kernels.h"
#include "node.h"
#include "status.h"

namespace annoy {

struct ForestView {
  const uint8_t* nodes;
  size_t node_size;
  int dim;
  int32_t n_items;
  int64_t n_nodes;
  int32_t bucket_capacity;
  const std::vector<int32_t>* roots;
  const FloatKernels* kernels;
};

// Tree t's root, counted as the graph counts trees: by the copies that end the file, tree 0
// first (docs/format.md "File layout"). A built forest lists its original roots and a loaded one
// the copies in reverse (root_scan.h); the graph, which seeds from and samples the trees by
// position, must see the same trees in both. A hostile snapshot listing more roots than nodes
// gives a negative id here, which the walks over it refuse as corrupt.
inline int32_t root_copy(const ForestView& view, size_t t) {
  return static_cast<int32_t>(view.n_nodes - static_cast<int64_t>(view.roots->size()) + static_cast<int64_t>(t));
}

namespace detail {

struct QueueEntry {
  float priority;
  int32_t node;
  int32_t parent_count;  // n_descendants of the split that pushed it
};

// std::priority_queue<pair<T, S>> order: larger priority first, then the larger node id.
inline bool queue_before(const QueueEntry& a, const QueueEntry& b) {
  return a.priority < b.priority || (a.priority == b.priority && a.node < b.node);
}

// Ascending distance, ties to the smaller id; NaN (only from corrupt data) sorts last, so the
// order stays a strict weak ordering.
inline bool nearer(const std::pair<float, int32_t>& a, const std::pair<float, int32_t>& b) {
  const bool a_nan = std::isnan(a.first), b_nan = std::isnan(b.first);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.first != b.first) return a.first < b.first;
  return a.second < b.second;
}

inline Status corrupt(const char* what) {
  return Status::error(ErrorKind::kCorrupt, std::string("the index is corrupt: ") + what);
}

struct SearchScratch {
  std::vector<QueueEntry> queue;
  std::vector<int32_t> candidates;
  std::vector<std::pair<float, int32_t>> scored;
  std::vector<uint64_t> seen;  // one bit per item, all clear between searches
};

inline SearchScratch& scratch() {
  thread_local SearchScratch s;
  return s;
}

}  // namespace detail

inline bool is_item(const ForestView& view, int32_t id) {
  return node_nd(view.nodes + static_cast<size_t>(id) * view.node_size) == 1;
}

// Sorts the candidates and drops repeats; with drop_non_items also anything that is not an item
// (holes, the zero ids of padded root buckets), which costs a read of every candidate's node.
// Returns how many remain.
inline size_t settle_candidates(const ForestView& view, std::vector<int32_t>* candidates, bool drop_non_items) {
  std::sort(candidates->begin(), candidates->end());
  candidates->erase(std::unique(candidates->begin(), candidates->end()), candidates->end());
  if (!drop_non_items) return candidates->size();
  candidates->erase(
      std::remove_if(candidates->begin(), candidates->end(),
                     [&](int32_t id) { return node_nd(view.nodes + static_cast<size_t>(id) * view.node_size) != 1; }),
      candidates->end());
  return candidates->size();
}

// Drops repeated candidates, keeping the first of each in place, with one bit per item instead
// of a sort (the sort and unique were ~15% of an angular GloVe query in perf; bench/ab.js query
// measures the change). The order does not matter to the caller: results are ranked by
// (distance, id). Above 2^26 items (8 MiB of bits per thread) the candidates are sorted instead.
inline void drop_repeats(int32_t n_items, std::vector<int32_t>* candidates, std::vector<uint64_t>* seen) {
  constexpr int32_t kMaxBitsetItems = int32_t{1} << 26;
  if (n_items > kMaxBitsetItems) {
    std::sort(candidates->begin(), candidates->end());
    candidates->erase(std::unique(candidates->begin(), candidates->end()), candidates->end());
    return;
  }
  const size_t words = (static_cast<size_t>(n_items) + 63) / 64;
  if (seen->size() < words) seen->resize(words, 0);
  uint64_t* bits = seen->data();
  size_t kept = 0;
  for (int32_t id : *candidates) {
    const uint64_t mask = uint64_t{1} << (id & 63);
    uint64_t& word = bits[static_cast<uint32_t>(id) >> 6];
    if ((word & mask) != 0) continue;
    word |= mask;
    (*candidates)[kept++] = id;
  }
  candidates->resize(kept);
  for (int32_t id : *candidates) bits[static_cast<uint32_t>(id) >> 6] = 0;
}

constexpr size_t kPrefetchChildrenBytes = 1024;

// The first `keep` of `scored` (ranked nearest first) as the query's answer, in the metric's
// returned distances.
template <class M>
void write_results(const std::vector<std::pair<float, int32_t>>& scored, size_t keep, Neighbours* out) {
  out->ids.reserve(keep);
  out->distances.reserve(keep);
  for (size_t i = 0; i < keep; ++i) {
    out->ids.push_back(scored[i].second);
    out->distances.push_back(M::normalized_distance(scored[i].first));
  }
}

// With a filter, only allowed ids count as candidates, and when search_k of them hold fewer than
// n distinct items the search goes on (widens) until it has n or has seen the whole forest.
// A short allow list is searched exhaustively instead: exact, and cheaper than the trees.
template <class M>
Status search(const ForestView& view, const uint8_t* query, int64_t n, int64_t search_k, const IdFilter* filter,
              Neighbours* out) {
  using detail::QueueEntry;
  detail::SearchScratch& s = detail::scratch();
  auto& queue = s.queue;
  auto& candidates = s.candidates;
  queue.clear();
  candidates.clear();
  out->ids.clear();
  out->distances.clear();

  const std::vector<int32_t>& roots = *view.roots;
  if (search_k == -1) {
    const int64_t limit = std::numeric_limits<int64_t>::max() / std::max<int64_t>(1, roots.size());
    search_k = std::min<int64_t>(n, limit) * static_cast<int64_t>(roots.size());
  }

  if (filter != nullptr && filter->has_allow_list() &&
      static_cast<int64_t>(filter->allowed_ids().size()) <= std::max<int64_t>(search_k, n)) {
    candidates = filter->allowed_ids();
    settle_candidates(view, &candidates, false);
  } else {
    for (int32_t root : roots) {
      queue.push_back({M::pq_initial(), root, std::numeric_limits<int32_t>::max()});
      std::push_heap(queue.begin(), queue.end(), detail::queue_before);
    }
    auto take = [&](int32_t id) {
      if (filter == nullptr || filter->allows(id)) candidates.push_back(id);
    };
    // In a valid forest every split has one parent, so a query expands each split at most once
    // and pushes at most two entries per split: work and queue memory stay linear in the file.
    // A crafted file whose splits share children (a DAG: 224 KiB took 35 s and 3.2 GB before
    // this bound, issue #10 H3) runs out of this budget instead.
    uint64_t split_budget = static_cast<uint64_t>(view.n_nodes);
    const auto* query_vector = M::vector(query);
    auto expand_next = [&]() -> Status {
      std::pop_heap(queue.begin(), queue.end(), detail::queue_before);
      const QueueEntry top = queue.back();
      queue.pop_back();

      const uint8_t* node = view.nodes + static_cast<size_t>(top.node) * view.node_size;
      const int32_t count = node_nd(node);
      if (count == 1 && top.node < view.n_items) {
        take(top.node);
      } else if (count <= view.bucket_capacity) {
        if (count < 0) return detail::corrupt("a node has a negative item count");
        const int32_t* ids = node_ids(node, M::kChildrenOffset);
        for (int32_t i = 0; i < count; ++i) {
          if (ids[i] < 0 || ids[i] >= view.n_items) return detail::corrupt("a leaf lists an id out of range");
          take(ids[i]);
        }
      } else {
        if (count >= top.parent_count) return detail::corrupt("a split node is not smaller than its parent");
        if (split_budget-- == 0) return detail::corrupt("its splits share subtrees (a split is reached twice)");
        if (!M::split_valid(node, view.dim)) return detail::corrupt("a split node tests a bit out of range");
        const int32_t* children = node_ids(node, M::kChildrenOffset);
        const int32_t left = children[0], right = children[1];
        if (left < 0 || left >= view.n_nodes || right < 0 || right >= view.n_nodes) {
          return detail::corrupt("a split node points outside the file");
        }
        const float margin = M::margin(node, query_vector, view.dim, *view.kernels);
        // Most children are expanded later, and each is a cache miss then: start both loads
        // now. Only for small nodes: GloVe's 412 bytes gained ~1.15x at 100 trees, while
        // Fashion-MNIST's 3 KiB lost up to a third (the loads crowd out the candidates';
        // bench/ab.js query).
        if (view.node_size <= kPrefetchChildrenBytes) {
          prefetch_node(view.nodes + static_cast<size_t>(right) * view.node_size, view.node_size);
          prefetch_node(view.nodes + static_cast<size_t>(left) * view.node_size, view.node_size);
        }
        queue.push_back({M::pq_distance(top.priority, margin, 1), right, count});
        std::push_heap(queue.begin(), queue.end(), detail::queue_before);
        queue.push_back({M::pq_distance(top.priority, margin, 0), left, count});
        std::push_heap(queue.begin(), queue.end(), detail::queue_before);
      }
      return Status::ok();
    };

    while (static_cast<int64_t>(candidates.size()) < search_k && !queue.empty()) {
      ANNOY_RETURN_IF_ERROR(expand_next());
    }
    // Widening needs to know how many real items it has; otherwise holes are skipped below,
    // where each candidate's node is read anyway.
    size_t distinct;
    if (filter == nullptr) {
      drop_repeats(view.n_items, &candidates, &s.seen);
      distinct = candidates.size();
    } else {
      distinct = settle_candidates(view, &candidates, true);
    }
    while (filter != nullptr && static_cast<int64_t>(distinct) < n && !queue.empty()) {
      const size_t target = candidates.size() + static_cast<size_t>(n - static_cast<int64_t>(distinct));
      while (candidates.size() < target && !queue.empty()) ANNOY_RETURN_IF_ERROR(expand_next());
      distinct = settle_candidates(view, &candidates, true);
    }
  }

  auto& scored = s.scored;
  scored.clear();
  const size_t n_candidates = candidates.size();
  size_t keep = static_cast<size_t>(n);
  auto node_of = [&](size_t i) { return view.nodes + static_cast<size_t>(candidates[i]) * view.node_size; };
  // Candidates are scattered over the file: their loads start a few nodes ahead.
  const size_t ahead = prefetch_distance(view.node_size);
  if constexpr (M::kBoundedDistance) {
    // Keep the best `keep` in a heap, farthest on top: a candidate's sum may stop as soon as it
    // passes that farthest distance, since it can then never enter. The survivors' distances are
    // computed in full, exactly as without the limit.
    float limit = kNoLimit;
    for (size_t i = 0; i < n_candidates; ++i) {
      if (i + ahead < n_candidates) prefetch_node(node_of(i + ahead), std::min<size_t>(view.node_size, 1024));
      if (!is_item(view, candidates[i])) continue;  // holes are never results
      const std::pair<float, int32_t> candidate(M::distance(query, node_of(i), view.dim, *view.kernels, limit),
                                                candidates[i]);
      if (scored.size() < keep) {
        scored.push_back(candidate);
        std::push_heap(scored.begin(), scored.end(), detail::nearer);
      } else if (detail::nearer(candidate, scored.front())) {
        std::pop_heap(scored.begin(), scored.end(), detail::nearer);
        scored.back() = candidate;
        std::push_heap(scored.begin(), scored.end(), detail::nearer);
      } else {
        continue;
      }
      if (scored.size() == keep) limit = scored.front().first;
    }
    std::sort_heap(scored.begin(), scored.end(), detail::nearer);
    keep = scored.size();
  } else {
    for (size_t i = 0; i < n_candidates; ++i) {
      if (i + ahead < n_candidates) prefetch_node(node_of(i + ahead), view.node_size);
      if (!is_item(view, candidates[i])) continue;  // holes are never results
      scored.emplace_back(M::distance(query, node_of(i), view.dim, *view.kernels), candidates[i]);
    }
    keep = std::min(keep, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(), detail::nearer);
  }

  write_results<M>(scored, keep, out);
  return Status::ok();
}

}  // namespace annoy
