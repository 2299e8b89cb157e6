// Builds a group of trees together, one level at a time: build(n, n_jobs != 1).
//
// Annoy builds one tree at a time, depth first, so every level of every tree reads all the item
// vectors again; for 10 trees over 60,000 x 784 floats that is ~13 GB read, and the build is
// bound by it (perf: ~74% of the time in the side() dot products, issue #6). Here the trees of a
// group advance level by level together, so that one read of an item serves the splits of all
// of them. Each level runs in three phases:
//   A. every split of the level is chosen by two-means (trees in parallel);
//   B. every item's side is decided in every tree, the items scanned once, in memory order
//      (items in parallel);
//   C. each split's items are partitioned, imbalanced splits retried and coins flipped as Annoy
//      does, and the children become leaves or the next level's splits (trees in parallel).
// A split whose items fit in kSubtreeBytes is not layered: it becomes a task built depth first by
// TreeBuilder, where its items stay in cache, and the tasks of all trees keep every thread busy
// (for small f, where two-means and not the side passes is the cost, that is most of the nodes).
// Tree t draws from its own stream of the seed (Kiss64::stream), and each task from a stream of
// its own, so a tree does not depend on the group it was built in nor on the thread count; its
// nodes are numbered as if it were alone (the levels in the order they were created, then each
// task's nodes), and build_trees() places the trees one after another.
#pragma once

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "allocation_guard.h"
#include "index.h"
#include "kernels.h"
#include "kiss64.h"
#include "metric.h"
#include "node.h"
#include "parallel_for.h"
#include "split_rules.h"
#include "status.h"
#include "tree_builder.h"

namespace annoy {

template <class M>
class LayeredBuilder {
 public:
  // A finished tree: its nodes numbered from n_items up as if it were the only tree.
  struct Tree {
    std::vector<uint8_t> nodes;
    int64_t count = 0;
    int32_t root = 0;
  };

  LayeredBuilder(const BuildInputs& in, size_t n_threads, bool background, const std::vector<int32_t>& indices)
      : in_(in), n_threads_(n_threads), background_(background), indices_(indices) {}

  // Builds trees first .. first + count - 1 of the forest of `seed` into *out (count entries).
  // A cancelled build returns early with unfinished trees; the caller throws them away.
  Status build(uint64_t seed, int64_t first, size_t count, std::vector<Tree>* out) {
    return guard_allocations(kBuildOutOfMemory, [&] {
      start(seed, first, count);
      while (!level_.empty() && !cancelled()) {
        ANNOY_RETURN_IF_ERROR(run_level());
        gather_next_level();
      }
      if (!cancelled()) ANNOY_RETURN_IF_ERROR(build_subtrees(seed, first));
      out->clear();
      for (TreeState& t : trees_) out->push_back(std::move(t.tree));
      trees_.clear();
      return Status::ok();
    });
  }

  // Bytes of bookkeeping per item and tree of a group: its slot, its side and its place in the
  // tree's order. build_trees() sizes groups with it.
  static constexpr size_t kBytesPerItemAndTree = sizeof(int32_t) + sizeof(uint8_t) + sizeof(int32_t);

  // Splits whose items take at most this many bytes are built depth first (a quarter of a
  // typical L2 cache: the items of a split are read again at every level below it).
  static constexpr size_t kSubtreeBytes = size_t{256} << 10;

 private:
  // A split to make: items perm[lo, hi) of its tree, to be written as local node `id`.
  struct Pending {
    size_t tree;
    size_t lo, hi;
    int32_t id;
    bool is_root;
  };

  struct TreeState {
    explicit TreeState(Kiss64 generator) : rng(generator) {}
    Kiss64 rng;
    std::vector<int32_t> perm;  // the tree's items, each split's contiguous, in parent order
    Tree tree;
    std::vector<Pending> next;      // the splits of the next level, in creation order
    std::vector<Pending> subtrees;  // the splits to build depth first, in creation order
  };

  // A subtree task and, once run, the builder holding its nodes (its root last).
  struct Task {
    Pending split;
    std::unique_ptr<TreeBuilder<M>> builder;
    int32_t root = 0;
  };

  // Per worker: two-means centroids and a copy of the items being partitioned.
  struct Scratch {
    explicit Scratch(size_t node_size) : p(node_size, 0), q(node_size, 0) {}
    std::vector<uint8_t> p, q;
    std::vector<int32_t> source, right;
    std::vector<const uint8_t*> members;
  };

  bool cancelled() const { return in_.cancel != nullptr && in_.cancel->load(std::memory_order_relaxed); }

  const uint8_t* item(int32_t id) const { return in_.items + static_cast<size_t>(id) * in_.node_size; }
  uint8_t* plane(size_t s) { return planes_.data() + s * in_.node_size; }
  size_t group() const { return trees_.size(); }

  void start(uint64_t seed, int64_t first, size_t count) {
    trees_.clear();
    trees_.reserve(count);
    for (size_t g = 0; g < count; ++g) {
      trees_.emplace_back(Kiss64::stream(seed, static_cast<uint64_t>(first) + g));
      trees_.back().perm = indices_;
    }
    const size_t slots = static_cast<size_t>(in_.n_items) * count;
    slot_.assign(slots, -1);
    level_.clear();
    level_base_ = 0;
    code_.assign(slots, 0);
    for (size_t g = 0; g < count; ++g) start_tree(g);
    gather_next_level();
  }

  // The root is a leaf only as Annoy allows (split_rules.h); otherwise it is the first split.
  void start_tree(size_t g) {
    TreeState& t = trees_[g];
    const size_t size = t.perm.size();
    t.tree.root = allocate(&t.tree);
    if (root_is_leaf(size, in_.n_items, in_.bucket_capacity)) {
      write_leaf(&t.tree, t.tree.root, in_.n_items, t.perm.data(), size);
    } else {
      schedule(&t, Pending{g, 0, size, t.tree.root, true});
    }
  }

  void schedule(TreeState* t, const Pending& split) {
    const bool small = (split.hi - split.lo) * in_.node_size <= kSubtreeBytes;
    (small ? t->subtrees : t->next).push_back(split);
  }

  int32_t allocate(Tree* tree) {
    const size_t needed = static_cast<size_t>(tree->count + 1) * in_.node_size;
    if (needed > tree->nodes.size()) tree->nodes.resize(std::max(needed, tree->nodes.size() * 2), 0);
    return static_cast<int32_t>(in_.n_items + tree->count++);
  }
  uint8_t* local_node(Tree* tree, int32_t id) {
    return tree->nodes.data() + static_cast<size_t>(id - in_.n_items) * in_.node_size;
  }
  void write_leaf(Tree* tree, int32_t id, int32_t nd, const int32_t* ids, size_t size) {
    uint8_t* node = local_node(tree, id);
    set_node_nd(node, nd);
    if (size > 0) std::memcpy(node_ids(node, M::kChildrenOffset), ids, size * sizeof(int32_t));
  }

  // The next level: every tree's new splits, tree by tree; tree_begin_[g] is tree g's first.
  void gather_next_level() {
    // The next level's stamps reach level_base_ + this level's size + twice that many splits.
    if (static_cast<int64_t>(level_base_) + static_cast<int64_t>(level_.size()) * 3 + 2 >= INT32_MAX) {
      std::fill(slot_.begin(), slot_.end(), -1);  // the stamps would overflow: start again from 0
      level_base_ = 0;
    } else {
      level_base_ += static_cast<int32_t>(level_.size());
    }
    level_.clear();
    tree_begin_.assign(group() + 1, 0);
    for (size_t g = 0; g < group(); ++g) {
      tree_begin_[g] = level_.size();
      level_.insert(level_.end(), trees_[g].next.begin(), trees_[g].next.end());
      trees_[g].next.clear();
    }
    tree_begin_[group()] = level_.size();
  }

  Status run_level() {
    planes_.assign(level_.size() * in_.node_size, 0);
    ANNOY_RETURN_IF_ERROR(for_each_tree([this](size_t g, Scratch* scratch) { choose_splits(g, scratch); }));
    ANNOY_RETURN_IF_ERROR(decide_sides());
    return for_each_tree([this](size_t g, Scratch* scratch) {
      for (size_t s = tree_begin_[g]; s < tree_begin_[g + 1] && !cancelled(); ++s) finish_split(s, scratch);
    });
  }

  // Runs task(g, scratch) for every tree with splits at this level, on the build's threads.
  template <class PerTree>
  Status for_each_tree(PerTree&& task) {
    std::vector<Scratch> scratch(std::min(n_threads_, group()), Scratch(in_.node_size));
    return parallel_for(group(), n_threads_, background_, kBuildOutOfMemory, [&](size_t g, size_t worker) {
      if (tree_begin_[g] < tree_begin_[g + 1]) task(g, &scratch[worker]);
    });
  }

  // Phase A: two-means for each of tree g's splits, in order, from the tree's own stream; each
  // item learns which split of tree g it is in.
  void choose_splits(size_t g, Scratch* scratch) {
    TreeState& t = trees_[g];
    for (size_t s = tree_begin_[g]; s < tree_begin_[g + 1] && !cancelled(); ++s) {
      const Pending& p = level_[s];
      collect_members(t, p, scratch);
      M::create_split(scratch->members, in_.dim, t.rng, plane(s), scratch->p.data(), scratch->q.data(), *in_.kernels);
      const int32_t stamped = level_base_ + static_cast<int32_t>(s);
      for (size_t i = p.lo; i < p.hi; ++i) slot_[slot_index(t.perm[i], g)] = stamped;
    }
  }

  void collect_members(const TreeState& t, const Pending& p, Scratch* scratch) const {
    scratch->members.clear();
    for (size_t i = p.lo; i < p.hi; ++i) scratch->members.push_back(item(t.perm[i]));
  }

  // Tree-major, so that the threads of phases A and C, one tree each, never write to the same
  // cache line (item-major was no faster than one thread for small f: false sharing).
  size_t slot_index(int32_t id, size_t g) const {
    return g * static_cast<size_t>(in_.n_items) + static_cast<size_t>(id);
  }

  // Phase B: one pass over the items in memory order; each item still in a split of some tree
  // is read once and tested against those splits.
  Status decide_sides() {
    constexpr size_t kChunk = 256;
    const size_t n_items = static_cast<size_t>(in_.n_items);
    const size_t width = group();
    auto side_of_item = [&](size_t i, size_t) {
      if (cancelled()) return;
      // The splits an item meets are scattered over megabytes at the deeper levels: ask for the
      // next item's while this one is tested (the items themselves are read in order).
      if (i + 1 < n_items) {
        for (size_t g = 0; g < width; ++g) {
          const int32_t s = slot_[g * n_items + i + 1] - level_base_;
          if (s >= 0) prefetch_node(plane(static_cast<size_t>(s)), in_.node_size);
        }
      }
      const uint8_t* x = item(static_cast<int32_t>(i));
      for (size_t g = 0; g < width; ++g) {
        const int32_t s = slot_[g * n_items + i] - level_base_;
        if (s < 0) continue;
        code_[g * n_items + i] =
            static_cast<uint8_t>(M::side_code(plane(static_cast<size_t>(s)), x, in_.dim, *in_.kernels));
      }
    };
    return parallel_for(n_items, n_threads_, background_, kBuildOutOfMemory, side_of_item, kChunk);
  }

  // Phase C for split s: Annoy's retries and fallback (split_rules.h) on the sides of phase B,
  // then the node is written and its children made.
  void finish_split(size_t s, Scratch* scratch) {
    const Pending p = level_[s];
    TreeState& t = trees_[p.tree];
    const size_t g = p.tree;
    const size_t size = p.hi - p.lo;
    uint8_t* split = plane(s);
    scratch->source.assign(t.perm.begin() + static_cast<std::ptrdiff_t>(p.lo),
                           t.perm.begin() + static_cast<std::ptrdiff_t>(p.hi));

    size_t left = partition(t, p, scratch, [&](int32_t id) {
      const int code = code_[slot_index(id, g)];
      return code == kSideUndecided ? t.rng.flip() : code == 1;
    });
    left = settle_split(
        size, left, in_.log,
        [&] {
          collect_members(t, p, scratch);
          M::create_split(scratch->members, in_.dim, t.rng, split, scratch->p.data(), scratch->q.data(), *in_.kernels);
          return partition(t, p, scratch,
                           [&](int32_t id) { return M::side(split, item(id), in_.dim, t.rng, *in_.kernels); });
        },
        [&] {
          M::clear_split(split, in_.dim);
          return partition(t, p, scratch, [&](int32_t) { return t.rng.flip(); });
        });

    int32_t children[2];
    children[0] = make_child(&t, g, p.lo, p.lo + left);
    children[1] = make_child(&t, g, p.lo + left, p.hi);
    set_node_nd(split, p.is_root ? in_.n_items : static_cast<int32_t>(size));
    std::memcpy(node_ids(split, M::kChildrenOffset), children, sizeof children);
    std::memcpy(local_node(&t.tree, p.id), split, in_.node_size);
  }

  // Rewrites perm[lo, hi) from the split's items in their parent order (scratch->source): those
  // going left first, then those going right, each in that order. Returns the left count.
  template <class GoesRight>
  size_t partition(TreeState& t, const Pending& p, Scratch* scratch, GoesRight&& goes_right) {
    scratch->right.clear();
    size_t left = 0;
    int32_t* out = t.perm.data() + p.lo;
    for (int32_t id : scratch->source) {
      if (goes_right(id)) {
        scratch->right.push_back(id);
      } else {
        out[left++] = id;
      }
    }
    std::copy(scratch->right.begin(), scratch->right.end(), out + left);
    return left;
  }

  // A child of one item is that item; of at most K a leaf; otherwise a split of the next level.
  int32_t make_child(TreeState* t, size_t g, size_t lo, size_t hi) {
    const size_t size = hi - lo;
    if (size == 1) return t->perm[lo];
    const int32_t id = allocate(&t->tree);
    if (size <= static_cast<size_t>(in_.bucket_capacity)) {
      write_leaf(&t->tree, id, static_cast<int32_t>(size), t->perm.data() + lo, size);
    } else {
      schedule(t, Pending{g, lo, hi, id, false});
    }
    return id;
  }

  // The depth-first tasks of every tree, on all threads. A whole tree that is small draws from
  // the tree's stream; a split below the levels from stream ((tree + 1) << 32) + its local index,
  // which no tree's stream shares.
  Status build_subtrees(uint64_t seed, int64_t first) {
    std::vector<Task> tasks;
    for (TreeState& t : trees_) {
      for (const Pending& split : t.subtrees) tasks.push_back(Task{split, nullptr, 0});
      t.subtrees.clear();
    }
    ANNOY_RETURN_IF_ERROR(parallel_for(tasks.size(), n_threads_, background_, kBuildOutOfMemory, [&](size_t i, size_t) {
      if (cancelled()) return;
      Task& task = tasks[i];
      const uint64_t tree = static_cast<uint64_t>(first) + task.split.tree;
      const uint64_t local = static_cast<uint64_t>(task.split.id - in_.n_items);
      const Kiss64 rng =
          task.split.is_root ? Kiss64::stream(seed, tree) : Kiss64::stream(seed, ((tree + 1) << 32) + local);
      task.builder.reset(new TreeBuilder<M>(in_, rng));
      const TreeState& t = trees_[task.split.tree];
      std::vector<int32_t> indices(t.perm.begin() + static_cast<std::ptrdiff_t>(task.split.lo),
                                   t.perm.begin() + static_cast<std::ptrdiff_t>(task.split.hi));
      task.root = task.split.is_root ? task.builder->build_tree(std::move(indices))
                                     : task.builder->build_subtree(std::move(indices));
    }));
    if (cancelled()) return Status::ok();
    for (Task& task : tasks) place_subtree(&trees_[task.split.tree].tree, task);
    return Status::ok();
  }

  // Appends a task's nodes to its tree, renumbered, and writes its root over the split's id.
  void place_subtree(Tree* tree, const Task& task) {
    const TreeBuilder<M>& built = *task.builder;
    const int64_t count = built.node_count();
    const int32_t task_root = static_cast<int32_t>(task.root - in_.n_items);
    const int32_t shift = static_cast<int32_t>(tree->count);
    for (int64_t i = 0; i < count; ++i) {
      const uint8_t* src = built.nodes() + static_cast<size_t>(i) * in_.node_size;
      uint8_t* dst = i == task_root ? local_node(tree, task.split.id) : local_node(tree, allocate(tree));
      std::memcpy(dst, src, in_.node_size);
      shift_children(dst, M::kChildrenOffset, shift, in_.n_items, in_.bucket_capacity);
    }
  }

  BuildInputs in_;
  size_t n_threads_;
  bool background_;
  const std::vector<int32_t>& indices_;
  std::vector<TreeState> trees_;
  std::vector<Pending> level_;
  std::vector<size_t> tree_begin_;
  std::vector<uint8_t> planes_;  // the level's split nodes, level_[s] at plane(s)
  // [slot_index(item, tree)]: level_base_ + the item's split in level_. Entries below
  // level_base_ are left from earlier levels (the item is in a leaf or a task by now), so no
  // pass has to clear them.
  std::vector<int32_t> slot_;
  int32_t level_base_ = 0;
  std::vector<uint8_t> code_;  // [slot_index(item, tree)]: its side from phase B
};

}  // namespace annoy
