// Building a forest: which builder makes the trees (n_jobs = 1: Annoy's depth-first trees,
// byte-identical to Annoy's file; otherwise the layered build on n_jobs threads), how many trees
// go in each layered group, and n_trees = -1's stopping rule. The trees come out as blocks of
// nodes that the index places after its items (Forest::place_blocks).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "allocation_guard.h"
#include "index.h"
#include "kiss64.h"
#include "layered_builder.h"
#include "platform.h"
#include "run_on_threads.h"
#include "status.h"
#include "tree_builder.h"

namespace annoy {

// A run of nodes numbered from n_items up as if nothing came before them, and the roots among
// them; the index places the blocks one after another.
struct NodeBlock {
  const uint8_t* nodes;
  int64_t count;
  std::vector<int32_t> roots;
};

inline Status cancelled_build() {
  return Status::error(ErrorKind::kAborted, "build: cancelled; the index is as it was before build()");
}

// How many trees the layered build takes at once: up to 16 (past that an item's read is
// already shared enough), fewer when the per-item bookkeeping would pass half the items' size.
template <class M>
size_t layered_group_limit(int32_t n_items, size_t node_size) {
  constexpr size_t kMaxGroup = 16;
  if (n_items == 0) return kMaxGroup;
  const size_t items_bytes = static_cast<size_t>(n_items) * node_size;
  const size_t budget = std::max<size_t>(size_t{64} << 20, items_bytes / 2);
  const size_t per_tree = static_cast<size_t>(n_items) * LayeredBuilder<M>::kBytesPerItemAndTree;
  return std::max<size_t>(1, std::min(kMaxGroup, budget / per_tree));
}

// n_jobs = 1 builds Annoy's trees, depth first, for a file byte-identical to Annoy's; any
// other n_jobs builds all trees level by level on that many threads (layered_builder.h), ~3x
// quicker and the same file for any thread count.
template <class M, class Place>
Status build_forest(const BuildInputs& inputs, const std::vector<int32_t>& indices, uint64_t seed, int64_t n_trees,
                    int64_t n_jobs, const BuildControl& control, Place&& place) {
  const int32_t n_items = inputs.n_items;
  auto log = [&](const std::string& message) {
    if (inputs.log != nullptr) (*inputs.log)(1, message);
  };
  auto cancelled = [&] { return control.cancel != nullptr && control.cancel->load(std::memory_order_relaxed); };

  if (n_jobs == 1) {
    std::atomic<int64_t> total_nodes(n_items);
    TreeBuilder<M> builder(inputs, Kiss64(seed), &total_nodes);
    NodeBlock block{nullptr, 0, {}};
    Status status;
    run_on_threads(1, control.background, [&] {
      status = guard_allocations(kBuildOutOfMemory, [&] {
        for (int64_t tree = 0; n_trees == -1 || tree < n_trees; ++tree) {
          if (n_trees == -1 && total_nodes.load() >= 2 * static_cast<int64_t>(n_items)) break;
          if (cancelled()) break;
          log("pass " + std::to_string(tree) + "...");
          block.roots.push_back(builder.build_tree(indices));
          if (cancelled()) break;
          if (control.on_tree) control.on_tree(tree + 1);
        }
        return Status::ok();
      });
    });
    ANNOY_RETURN_IF_ERROR(status);
    if (cancelled()) return cancelled_build();
    block.nodes = builder.nodes();
    block.count = builder.node_count();
    return place({block});
  }

  const size_t threads = n_jobs == -1 ? platform::hardware_threads() : static_cast<size_t>(n_jobs);
  using Layered = LayeredBuilder<M>;
  Layered builder(inputs, threads, control.background, indices);
  const size_t max_group = layered_group_limit<M>(n_items, inputs.node_size);
  std::vector<typename Layered::Tree> trees;
  int64_t total = n_items;
  const int64_t enough = 2 * static_cast<int64_t>(n_items);  // n_trees = -1: Annoy's rule
  for (;;) {
    size_t group;
    if (n_trees == -1) {
      if (total >= enough) break;
      // The first tree alone tells how many nodes a tree takes; the groups after it aim at
      // the rule, and a tree the rule would not have started is thrown away.
      const int64_t per_tree =
          trees.empty() ? 0 : std::max<int64_t>(1, (total - n_items) / static_cast<int64_t>(trees.size()));
      group = per_tree == 0 ? 1
                            : static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(max_group),
                                                                    (enough - total + per_tree - 1) / per_tree));
    } else {
      const size_t remaining = static_cast<size_t>(n_trees) - trees.size();
      if (remaining == 0) break;
      const size_t groups_left = (remaining + max_group - 1) / max_group;
      group = (remaining + groups_left - 1) / groups_left;
    }
    for (size_t t = 0; t < group; ++t) log("pass " + std::to_string(trees.size() + t) + "...");
    std::vector<typename Layered::Tree> built;
    ANNOY_RETURN_IF_ERROR(builder.build(seed, static_cast<int64_t>(trees.size()), group, &built));
    if (cancelled()) return cancelled_build();
    for (typename Layered::Tree& tree : built) {
      if (n_trees == -1 && total >= enough) break;
      total += tree.count;
      trees.push_back(std::move(tree));
      if (control.on_tree) control.on_tree(static_cast<int64_t>(trees.size()));
    }
  }
  std::vector<NodeBlock> blocks;
  blocks.reserve(trees.size());
  for (const typename Layered::Tree& tree : trees)
    blocks.push_back(NodeBlock{tree.nodes.data(), tree.count, {tree.root}});
  return place(blocks);
}

}  // namespace annoy
