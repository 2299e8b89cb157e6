// The structure check of a serialize() snapshot (docs/format.md), after read_snapshot() has
// checked its header, sizes and checksums: item counts, leaf ids, split children inside the
// snapshot and smaller than their parent, roots that are roots, and one parent per split. Only a
// snapshot that passes is copied into an index.
#pragma once

#include <cstdint>
#include <string>

#include "forest_limits.h"
#include "node.h"
#include "snapshot.h"
#include "status.h"

namespace annoy {

template <class M>
Status validate_snapshot_forest(const uint8_t* nodes, const SnapshotInfo& info) {
  const size_t s = info.node_size;
  const int32_t k = bucket_capacity(s, M::kChildrenOffset);
  const int32_t n_items = info.n_items;
  const int64_t n_nodes = static_cast<int64_t>(info.n_nodes);
  const int dim = M::storage_dim(info.f);
  auto nd_at = [&](int64_t i) { return node_nd(nodes + static_cast<size_t>(i) * s); };
  auto bad = [](const std::string& why) {
    return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: " + why);
  };
  for (int64_t i = 0; i < n_items; ++i) {
    const int32_t nd = nd_at(i);
    if (nd != 0 && nd != 1) return bad("item " + std::to_string(i) + " has an impossible count");
  }
  if (!info.built) {
    if (n_nodes != n_items || !info.roots.empty()) return bad("an unbuilt snapshot holds trees");
    return Status::ok();
  }
  for (int64_t i = n_items; i < n_nodes; ++i) {
    const uint8_t* node = nodes + static_cast<size_t>(i) * s;
    const int32_t nd = node_nd(node);
    const int32_t* ids = node_ids(node, M::kChildrenOffset);
    if (nd < 0) return bad("node " + std::to_string(i) + " has a negative count");
    if (nd <= k) {
      for (int32_t j = 0; j < nd; ++j) {
        if (ids[j] < 0 || ids[j] >= n_items) return bad("leaf " + std::to_string(i) + " lists an id out of range");
      }
      continue;
    }
    if (!M::split_valid(node, dim)) return bad("split " + std::to_string(i) + " tests a bit out of range");
    for (int c = 0; c < 2; ++c) {
      if (ids[c] < 0 || ids[c] >= n_nodes) return bad("split " + std::to_string(i) + " points outside the snapshot");
      if (nd_at(ids[c]) >= nd) return bad("split " + std::to_string(i) + " has a child that is not smaller");
    }
  }
  for (int32_t root : info.roots) {
    if (root < 0 || root >= n_nodes || nd_at(root) != n_items) return bad("a root id is not a root");
  }
  if (static_cast<int64_t>(info.roots.size()) > kMaxTrees)
    return bad("more than " + std::to_string(kMaxTrees) + " trees");
  if (!each_split_reached_once(nodes, s, M::kChildrenOffset, n_nodes, k, info.roots)) {
    return bad("two splits share a subtree (a valid forest is a set of trees)");
  }
  return Status::ok();
}

}  // namespace annoy
