// What a forest may look like, as rules that bound the memory and work of building, loading
// and searching by the size of the forest itself (issue #10: H3, H4, M3). Every forest that
// build() writes, and every Annoy 1.17 file with fewer than kMaxTrees trees, passes them; they
// are documented in docs/reliability.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "node.h"
#include "status.h"

namespace annoy {

// More trees than this is refused by build() and load(): a query visits every root, so a file of
// 64 M roots (a 1.5 GiB sparse file of zeros is one) would make each query take seconds.
constexpr int64_t kMaxTrees = int64_t{1} << 20;

// build(n_trees): every tree adds at least an original root and its copy, and Annoy's ids are
// int32, so the count is refused up front instead of found out by running out of memory.
inline Status check_tree_count(int64_t n_trees, int32_t n_items) {
  if (n_trees > kMaxTrees) {
    return Status::error(ErrorKind::kInvalidArgument, "n_trees: expected at most " + std::to_string(kMaxTrees) +
                                                          " trees (a query visits every root), received " +
                                                          std::to_string(n_trees));
  }
  if (static_cast<int64_t>(n_items) + 2 * n_trees > INT32_MAX) {
    return Status::error(ErrorKind::kInvalidArgument, "n_trees: " + std::to_string(n_trees) + " trees over " +
                                                          std::to_string(n_items) +
                                                          " items cannot fit Annoy's int32 node ids; use fewer trees");
  }
  return Status::ok();
}

// The roots that Annoy's scan finds at the end of a file (docs/format.md): the copies, and
// where a tree is a single leaf (m <= K) or m <= 1, also the originals, which look the same. So
// a forest of at most kMaxTrees trees shows at most 2 kMaxTrees + 1 roots; more means the file
// is not such a forest (a sparse file of zeros shows every node as a root).
inline bool plausible_root_count(size_t n_roots) { return static_cast<int64_t>(n_roots) <= 2 * kMaxTrees + 1; }

// In a valid forest every split node has exactly one parent, so a walk from the roots reaches
// each split once; a file whose splits share a child (a DAG) would make a query's work grow
// with the number of paths, which is exponential in the depth. Items (count 1) and leaves are
// not descended into. Assumes ids were range-checked and every child is smaller than its
// parent (so the walk ends). O(n_nodes) time, one bit per node.
inline bool each_split_reached_once(const uint8_t* nodes, size_t node_size, size_t children_offset, int64_t n_nodes,
                                    int32_t bucket_capacity, const std::vector<int32_t>& roots) {
  std::vector<uint64_t> reached(static_cast<size_t>(n_nodes + 63) / 64, 0);
  std::vector<int32_t> pending(roots.begin(), roots.end());
  while (!pending.empty()) {
    const int32_t id = pending.back();
    pending.pop_back();
    const uint8_t* node = nodes + static_cast<size_t>(id) * node_size;
    if (node_nd(node) <= bucket_capacity) continue;
    uint64_t& word = reached[static_cast<size_t>(id) >> 6];
    const uint64_t bit = uint64_t{1} << (id & 63);
    if ((word & bit) != 0) return false;
    word |= bit;
    const int32_t* children = node_ids(node, children_offset);
    pending.push_back(children[0]);
    pending.push_back(children[1]);
  }
  return true;
}

}  // namespace annoy
