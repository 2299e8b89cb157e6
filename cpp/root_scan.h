// How load() finds the roots of an Annoy file (docs/format.md, "The root scan"): Annoy keeps no
// header, so the roots are the run of nodes at the end of the file whose count equals the last
// node's, and that count is the number of items. A file that cannot be such a forest is
// refused with the reason, before any of it is read in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "forest_limits.h"
#include "node.h"

namespace annoy {

// Fills *roots and *n_items and returns an empty string, or returns why the file is not a forest
// of this node layout (n_nodes >= 1).
template <class M>
std::string scan_roots(const uint8_t* nodes, int64_t n_nodes, size_t node_size, int32_t bucket_capacity,
                       std::vector<int32_t>* roots, int32_t* n_items) {
  auto nd_at = [&](int64_t i) { return node_nd(nodes + static_cast<size_t>(i) * node_size); };
  const int32_t m = nd_at(n_nodes - 1);
  // The scan stops once it has more roots than any plausible forest: a 40 GiB sparse file of
  // zeros would otherwise be read through, page by page, before being refused (issue #10 M2, M3).
  const size_t most = static_cast<size_t>(2 * kMaxTrees + 2);
  for (int64_t i = n_nodes - 1; i >= 0 && nd_at(i) == m && roots->size() < most; --i) {
    roots->push_back(static_cast<int32_t>(i));
  }
  if (!plausible_root_count(roots->size())) {
    return "its root scan finds more than " + std::to_string(roots->size() - 1) + " roots (nodes with " +
           std::to_string(m) + " descendants) among " + std::to_string(n_nodes) +
           " nodes, more than any forest of at most " + std::to_string(kMaxTrees) +
           " trees has (is it all zeros, or another metric or f?)";
  }
  // The last tree's original root sits just before the copies and duplicates the last copy.
  if (roots->size() > 1) {
    const uint8_t* last = nodes + static_cast<size_t>(roots->front()) * node_size;
    const uint8_t* lowest = nodes + static_cast<size_t>(roots->back()) * node_size;
    if (node_ids(last, M::kChildrenOffset)[0] == node_ids(lowest, M::kChildrenOffset)[0]) roots->pop_back();
  }
  if (m < 0 || m > n_nodes) {
    return "its last node claims " + std::to_string(m) + " items in " + std::to_string(n_nodes) +
           " nodes: was it written with another metric or f?";
  }
  if (m > bucket_capacity) {
    for (int32_t root : *roots) {
      const int32_t* children = node_ids(nodes + static_cast<size_t>(root) * node_size, M::kChildrenOffset);
      if (children[0] < 0 || children[0] >= n_nodes || children[1] < 0 || children[1] >= n_nodes) {
        return "a root points outside the file: was it written with another metric or f?";
      }
    }
  }
  *n_items = m;
  return std::string();
}

}  // namespace annoy
