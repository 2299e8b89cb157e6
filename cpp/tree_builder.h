// Builds Annoy trees for one thread (annoy-format.md §2.3-2.4).
//
// Each thread writes its nodes into its own buffer, numbered from n_items up as if it were alone;
// build() then places the buffers one after another and shifts the child ids. With one thread
// that is exactly Annoy's numbering, so the file is byte-identical; with several it is still
// deterministic for a given seed and job count, which Annoy's shared counter is not.
#pragma once

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

namespace annoy {

template <class M>
class TreeBuilder {
 public:
  struct Shared {
    const uint8_t* items;       // the item nodes, read-only while trees are built
    size_t node_size;
    int dim;                    // storage dimension (hamming: 64-bit words)
    int32_t n_items;
    int32_t bucket_capacity;    // K
    const FloatKernels* kernels;
    std::atomic<int64_t>* total_nodes;  // items + every node allocated so far, for n_trees = -1
    const LogSink* log;         // null when quiet
    const std::atomic<bool>* cancel;  // null when the build cannot be cancelled
  };

  TreeBuilder(const Shared& shared, uint64_t seed) : shared_(shared), rng_(seed) {
    scratch_p_.assign(shared.node_size, 0);
    scratch_q_.assign(shared.node_size, 0);
  }

  // Returns the root's local id (n_items + index in this builder's buffer).
  int32_t build_tree(std::vector<int32_t> indices) { return make_tree(std::move(indices), true); }

  int64_t node_count() const { return count_; }
  const uint8_t* nodes() const { return nodes_.data(); }

 private:
  uint8_t* local_node(int32_t id) {
    return nodes_.data() + static_cast<size_t>(id - shared_.n_items) * shared_.node_size;
  }
  const uint8_t* item(int32_t id) const {
    return shared_.items + static_cast<size_t>(id) * shared_.node_size;
  }

  int32_t allocate() {
    const size_t needed = static_cast<size_t>(count_ + 1) * shared_.node_size;
    if (needed > nodes_.size()) nodes_.resize(std::max(needed, nodes_.size() * 2), 0);
    shared_.total_nodes->fetch_add(1, std::memory_order_relaxed);
    return static_cast<int32_t>(shared_.n_items + count_++);
  }

  static double imbalance(size_t left, size_t right) {
    const double ls = static_cast<float>(left);
    const double rs = static_cast<float>(right);
    const float fraction = static_cast<float>(ls / (ls + rs + 1e-9));
    return std::max(fraction, 1 - fraction);
  }

  int32_t make_tree(std::vector<int32_t> indices, bool is_root) {
    const size_t size = indices.size();
    if (size == 1 && !is_root) return indices[0];

    const int32_t k = shared_.bucket_capacity;
    if (size <= static_cast<size_t>(k) &&
        (!is_root || shared_.n_items <= k || size == 1)) {
      const int32_t id = allocate();
      uint8_t* node = local_node(id);
      set_node_nd(node, is_root ? shared_.n_items : static_cast<int32_t>(size));
      if (size > 0) std::memcpy(node_ids(node, M::kChildrenOffset), indices.data(), size * sizeof(int32_t));
      return id;
    }

    // A cancelled build is thrown away, so the rest of this tree need not be correct, only quick.
    if (shared_.cancel != nullptr && shared_.cancel->load(std::memory_order_relaxed)) return indices.empty() ? 0 : indices[0];

    std::vector<const uint8_t*> members;
    members.reserve(size);
    for (int32_t id : indices) members.push_back(item(id));

    // The split template lives until the children are built, as Annoy's does.
    std::unique_ptr<uint8_t[]> split(new uint8_t[shared_.node_size]());
    std::vector<int32_t> sides[2];
    for (int attempt = 0; attempt < 3; ++attempt) {
      sides[0].clear();
      sides[1].clear();
      M::create_split(members, shared_.dim, rng_, split.get(), scratch_p_.data(), scratch_q_.data(),
                      *shared_.kernels);
      for (size_t i = 0; i < size; ++i) {
        const bool right = M::side(split.get(), members[i], shared_.dim, rng_, *shared_.kernels);
        sides[right ? 1 : 0].push_back(indices[i]);
      }
      if (imbalance(sides[0].size(), sides[1].size()) < 0.95) break;
    }
    while (imbalance(sides[0].size(), sides[1].size()) > 0.99) {
      if (shared_.log != nullptr) {
        (*shared_.log)(1, "\tNo hyperplane found (left has " + std::to_string(sides[0].size()) +
                              " children, right has " + std::to_string(sides[1].size()) +
                              " children)");
      }
      sides[0].clear();
      sides[1].clear();
      M::clear_split(split.get(), shared_.dim);
      for (int32_t id : indices) sides[rng_.flip() ? 1 : 0].push_back(id);
    }

    // The smaller side is built first (ties: side 0), so its nodes get the smaller ids.
    const int flip = sides[0].size() > sides[1].size() ? 1 : 0;
    indices.clear();
    indices.shrink_to_fit();
    int32_t children[2];
    for (int side = 0; side < 2; ++side) {
      const int which = side ^ flip;
      children[which] = make_tree(std::move(sides[which]), false);
    }
    set_node_nd(split.get(), is_root ? shared_.n_items : static_cast<int32_t>(size));
    std::memcpy(node_ids(split.get(), M::kChildrenOffset), children, sizeof children);

    const int32_t id = allocate();
    std::memcpy(local_node(id), split.get(), shared_.node_size);
    return id;
  }

  Shared shared_;
  Kiss64 rng_;
  std::vector<uint8_t> nodes_;
  int64_t count_ = 0;
  std::vector<uint8_t> scratch_p_, scratch_q_;
};

}  // namespace annoy
