// Graph search (docs/graph.md "Searching"): best-first beam search over the neighbour graph with
// a candidate heap and a result heap of size ef, started from the items in the leaves the query
// reaches by a plain descent of the first trees. Filtered-out items are walked through but never
// returned. Nothing is allocated per query once a thread's scratch has grown.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "id_filter.h"
#include "neighbour_graph.h"
#include "searcher.h"

namespace annoy {

namespace graph_detail {

using Scored = std::pair<float, int32_t>;

// The farthest on top, as search() ranks: (distance, id) ascending, NaN last.
inline bool farther_first(const Scored& a, const Scored& b) { return detail::nearer(a, b); }
inline bool nearest_first(const Scored& a, const Scored& b) { return detail::nearer(b, a); }

struct GraphScratch {
  std::vector<uint32_t> stamp;  // stamp[id] == epoch: visited by the current query
  uint32_t epoch = 0;
  std::vector<Scored> candidates;
  std::vector<Scored> results;
  std::vector<int32_t> entries;

  void start(int32_t n_items) {
    if (stamp.size() < static_cast<size_t>(n_items)) stamp.resize(static_cast<size_t>(n_items), 0);
    if (++epoch == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      epoch = 1;
    }
    candidates.clear();
    results.clear();
    entries.clear();
  }
  // True the first time an id is seen by this query.
  bool visit(int32_t id) {
    uint32_t& s = stamp[static_cast<size_t>(id)];
    if (s == epoch) return false;
    s = epoch;
    return true;
  }
};

inline GraphScratch& graph_scratch() {
  thread_local GraphScratch s;
  return s;
}

// The items of the leaf that a greedy descent of tree `root` reaches for the query, appended to
// entries (at most `limit` of them).
template <class M>
Status descend_to_leaf(const ForestView& view, const uint8_t* query, int32_t root, size_t limit,
                       std::vector<int32_t>* entries) {
  int32_t at = root;
  int32_t parent_count = std::numeric_limits<int32_t>::max();
  for (;;) {
    if (at < 0 || at >= view.n_nodes) return detail::corrupt("a split node points outside the file");
    const uint8_t* node = view.nodes + static_cast<size_t>(at) * view.node_size;
    const int32_t count = node_nd(node);
    if (count == 1 && at < view.n_items) {
      entries->push_back(at);
      return Status::ok();
    }
    if (count <= view.bucket_capacity) {
      if (count < 0) return detail::corrupt("a node has a negative item count");
      const int32_t* ids = node_ids(node, M::kChildrenOffset);
      for (int32_t i = 0; i < count && static_cast<size_t>(i) < limit; ++i) {
        if (ids[i] < 0 || ids[i] >= view.n_items) return detail::corrupt("a leaf lists an id out of range");
        entries->push_back(ids[i]);
      }
      return Status::ok();
    }
    if (count >= parent_count) return detail::corrupt("a split node is not smaller than its parent");
    if (!M::split_valid(node, view.dim)) return detail::corrupt("a split node tests a bit out of range");
    parent_count = count;
    const float margin = M::margin(node, M::vector(query), view.dim, *view.kernels);
    at = node_ids(node, M::kChildrenOffset)[margin > 0 ? 1 : 0];
  }
}

}  // namespace graph_detail

// How many trees seed a graph query: one leaf per 64 of ef, at least one.
inline size_t graph_entry_trees(size_t n_trees, int64_t ef) {
  return std::min<size_t>(n_trees, 1 + static_cast<size_t>(ef / 64));
}

// Finds up to n neighbours with a beam of ef (>= n). Fewer than n only when the graph cannot
// reach n allowed items from the entries; the caller then falls back to the trees.
template <class M>
Status graph_search(const ForestView& view, const NeighbourGraph& graph, const uint8_t* query, int64_t n, int64_t ef,
                    const IdFilter* filter, Neighbours* out) {
  using graph_detail::Scored;
  graph_detail::GraphScratch& s = graph_detail::graph_scratch();
  s.start(view.n_items);
  out->ids.clear();
  out->distances.clear();
  const size_t beam = static_cast<size_t>(std::max(ef, n));

  const size_t trees = graph_entry_trees(view.roots->size(), static_cast<int64_t>(beam));
  for (size_t t = 0; t < trees; ++t) {
    ANNOY_RETURN_IF_ERROR(graph_detail::descend_to_leaf<M>(view, query, root_copy(view, t), beam, &s.entries));
  }

  auto& candidates = s.candidates;
  auto& results = s.results;
  auto node_of = [&](int32_t id) { return view.nodes + static_cast<size_t>(id) * view.node_size; };
  auto bound = [&]() { return results.size() < beam ? kNoLimit : results.front().first; };
  auto measure = [&](int32_t id) {
    if constexpr (M::kBoundedDistance) {
      return M::distance(query, node_of(id), view.dim, *view.kernels, bound());
    } else {
      return M::distance(query, node_of(id), view.dim, *view.kernels);
    }
  };
  auto consider = [&](int32_t id) {
    const Scored scored(measure(id), id);
    if (results.size() >= beam && !detail::nearer(scored, results.front())) return;
    candidates.push_back(scored);
    std::push_heap(candidates.begin(), candidates.end(), graph_detail::nearest_first);
    if (filter != nullptr && !filter->allows(id)) return;
    results.push_back(scored);
    std::push_heap(results.begin(), results.end(), graph_detail::farther_first);
    if (results.size() > beam) {
      std::pop_heap(results.begin(), results.end(), graph_detail::farther_first);
      results.pop_back();
    }
  };

  for (int32_t id : s.entries) {
    if (is_item(view, id) && s.visit(id)) consider(id);
  }
  const size_t prefetch_bytes = std::min<size_t>(view.node_size, 1024);
  const int32_t degree = graph.degree();
  while (!candidates.empty()) {
    std::pop_heap(candidates.begin(), candidates.end(), graph_detail::nearest_first);
    const Scored nearest = candidates.back();
    candidates.pop_back();
    if (results.size() >= beam && detail::nearer(results.front(), nearest)) break;
    const int32_t* row = graph.row(nearest.second);
    int32_t width = 0;
    while (width < degree && row[width] != kNoNeighbour) {
      if (s.stamp[static_cast<size_t>(row[width])] != s.epoch) prefetch_node(node_of(row[width]), prefetch_bytes);
      ++width;
    }
    for (int32_t j = 0; j < width; ++j) {
      if (s.visit(row[j])) consider(row[j]);
    }
  }

  std::sort_heap(results.begin(), results.end(), graph_detail::farther_first);
  const size_t keep = std::min(results.size(), static_cast<size_t>(n));
  write_results<M>(results, keep, out);
  return Status::ok();
}

}  // namespace annoy
