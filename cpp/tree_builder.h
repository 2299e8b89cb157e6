// Builds Annoy's trees depth first, one after another, on one thread: build(n, 1)
// (docs/algorithms.md "Tree count", "make_tree"). Nodes are numbered from n_items up in the order
// Annoy creates them, so the file is byte-identical to Annoy's for the same seed.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "index.h"
#include "kernels.h"
#include "kiss64.h"
#include "node.h"
#include "split_rules.h"

namespace annoy {

// What every tree builder reads: the items and how to compare them.
struct BuildInputs {
  const uint8_t* items;  // the item nodes, read-only while trees are built
  size_t node_size;
  int dim;  // storage dimension (hamming: 64-bit words)
  int32_t n_items;
  int32_t bucket_capacity;  // K
  const FloatKernels* kernels;
  const LogSink* log;               // null when quiet
  const std::atomic<bool>* cancel;  // null when the build cannot be cancelled
};

template <class M>
class TreeBuilder {
 public:
  // total_nodes, when given, counts items + every node allocated so far, for n_trees = -1.
  TreeBuilder(const BuildInputs& in, Kiss64 rng, std::atomic<int64_t>* total_nodes = nullptr)
      : in_(in), rng_(rng), total_nodes_(total_nodes) {
    scratch_p_.assign(in.node_size, 0);
    scratch_q_.assign(in.node_size, 0);
  }

  // Returns the root's local id (n_items + index in this builder's buffer).
  int32_t build_tree(std::vector<int32_t> indices) { return make_tree(std::move(indices), true); }
  // A split below the layered build's levels (more than K items): its root is the last node.
  int32_t build_subtree(std::vector<int32_t> indices) { return make_tree(std::move(indices), false); }

  int64_t node_count() const { return count_; }
  const uint8_t* nodes() const { return nodes_.data(); }

 private:
  uint8_t* local_node(int32_t id) { return nodes_.data() + static_cast<size_t>(id - in_.n_items) * in_.node_size; }
  const uint8_t* item(int32_t id) const { return in_.items + static_cast<size_t>(id) * in_.node_size; }

  int32_t allocate() {
    const size_t needed = static_cast<size_t>(count_ + 1) * in_.node_size;
    if (needed > nodes_.size()) nodes_.resize(std::max(needed, nodes_.size() * 2), 0);
    if (total_nodes_ != nullptr) total_nodes_->fetch_add(1, std::memory_order_relaxed);
    return static_cast<int32_t>(in_.n_items + count_++);
  }

  int32_t make_tree(std::vector<int32_t> indices, bool is_root) {
    const size_t size = indices.size();
    if (size == 1 && !is_root) return indices[0];

    const int32_t k = in_.bucket_capacity;
    if (is_root ? root_is_leaf(size, in_.n_items, k) : size <= static_cast<size_t>(k)) {
      const int32_t id = allocate();
      uint8_t* node = local_node(id);
      set_node_nd(node, is_root ? in_.n_items : static_cast<int32_t>(size));
      if (size > 0) std::memcpy(node_ids(node, M::kChildrenOffset), indices.data(), size * sizeof(int32_t));
      return id;
    }

    // A cancelled build is thrown away, so the rest of this tree need not be correct, only quick.
    if (in_.cancel != nullptr && in_.cancel->load(std::memory_order_relaxed)) return indices.empty() ? 0 : indices[0];

    std::vector<const uint8_t*> members;
    members.reserve(size);
    for (int32_t id : indices) members.push_back(item(id));

    // The split template lives until the children are built, as Annoy's does.
    std::unique_ptr<uint8_t[]> split(new uint8_t[in_.node_size]());
    std::vector<int32_t> sides[2];
    auto split_sides = [&] {
      sides[0].clear();
      sides[1].clear();
      M::create_split(members, in_.dim, rng_, split.get(), scratch_p_.data(), scratch_q_.data(), *in_.kernels);
      const size_t ahead = prefetch_distance(in_.node_size);
      for (size_t i = 0; i < size; ++i) {
        if (i + ahead < size) prefetch_node(members[i + ahead], in_.node_size);
        const bool right = M::side(split.get(), members[i], in_.dim, rng_, *in_.kernels);
        sides[right ? 1 : 0].push_back(indices[i]);
      }
      return sides[0].size();
    };
    auto deal_sides = [&] {
      sides[0].clear();
      sides[1].clear();
      M::clear_split(split.get(), in_.dim);
      for (int32_t id : indices) sides[rng_.flip() ? 1 : 0].push_back(id);
      return sides[0].size();
    };
    settle_split(size, split_sides(), in_.log, split_sides, deal_sides);

    // The smaller side is built first (ties: side 0), so its nodes get the smaller ids.
    const int flip = sides[0].size() > sides[1].size() ? 1 : 0;
    indices.clear();
    indices.shrink_to_fit();
    int32_t children[2];
    for (int side = 0; side < 2; ++side) {
      const int which = side ^ flip;
      children[which] = make_tree(std::move(sides[which]), false);
    }
    set_node_nd(split.get(), is_root ? in_.n_items : static_cast<int32_t>(size));
    std::memcpy(node_ids(split.get(), M::kChildrenOffset), children, sizeof children);

    const int32_t id = allocate();
    std::memcpy(local_node(id), split.get(), in_.node_size);
    return id;
  }

  BuildInputs in_;
  Kiss64 rng_;
  std::atomic<int64_t>* total_nodes_;
  std::vector<uint8_t> nodes_;
  int64_t count_ = 0;
  std::vector<uint8_t> scratch_p_, scratch_q_;
};

}  // namespace annoy
