// The working state of the graph build (graph_build.h): every item's candidate list, and the
// trees' leaves, from which the lists start (docs/graph.md "Building").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "node.h"
#include "searcher.h"
#include "status.h"

namespace annoy {
namespace graph_detail {

// The longest candidate list (as large as the largest degree, graph_file.h's kMaxGraphDegree;
// graph_build.h clamps its 1.5 x degree lists to it).
constexpr int32_t kMaxListCapacity = 1024;

struct Candidate {
  float distance;
  int32_t id;
  int32_t added;  // the NN-descent round that inserted it (0: the initial lists)
  bool fresh;     // not yet used in a local join
};

// (distance, id) ascending: a total order, so the best K of any set of offers is one set,
// whatever order the offers arrive in. That makes the build independent of thread timing.
inline bool closer(float da, int32_t ia, float db, int32_t ib) { return da < db || (da == db && ia < ib); }
inline bool heap_order(const Candidate& a, const Candidate& b) { return closer(a.distance, a.id, b.distance, b.id); }

// Up to `capacity` candidates per item, each list a max-heap with its farthest on top.
class CandidateLists {
 public:
  CandidateLists(int32_t n_items, int32_t capacity)
      : capacity_(capacity),
        entries_(static_cast<size_t>(n_items) * static_cast<size_t>(capacity)),
        sizes_(static_cast<size_t>(n_items), 0),
        bounds_(static_cast<size_t>(n_items), std::numeric_limits<float>::infinity()) {}

  int32_t capacity() const { return capacity_; }
  int32_t size(int32_t v) const { return sizes_[static_cast<size_t>(v)]; }
  Candidate* begin(int32_t v) { return entries_.data() + static_cast<size_t>(v) * static_cast<size_t>(capacity_); }
  const Candidate* begin(int32_t v) const {
    return entries_.data() + static_cast<size_t>(v) * static_cast<size_t>(capacity_);
  }

  // The distance an offer must beat to enter v's list.
  // Kept apart from the lists: a local join reads two bounds per pair, and a dense array of them
  // costs one cache miss where the lists would cost two.
  float bound(int32_t v) const { return bounds_[static_cast<size_t>(v)]; }

  // Offers id at distance d to v's list; true when it entered. Only one thread touches a list at
  // a time (the caller partitions by v).
  bool offer(int32_t v, int32_t id, float d, int32_t round) {
    if (id == v || std::isnan(d)) return false;
    Candidate* list = begin(v);
    int32_t& n = sizes_[static_cast<size_t>(v)];
    if (n == capacity_ && !closer(d, id, list[0].distance, list[0].id)) return false;
    for (int32_t i = 0; i < n; ++i) {
      if (list[i].id == id) return false;
    }
    if (n == capacity_) {
      std::pop_heap(list, list + n, heap_order);
      --n;
    }
    list[n++] = Candidate{d, id, round, true};
    std::push_heap(list, list + n, heap_order);
    if (n == capacity_) bounds_[static_cast<size_t>(v)] = list[0].distance;
    return true;
  }

  // v's candidates from nearest to farthest (the list stops being a heap).
  void sort(int32_t v) { std::sort_heap(begin(v), begin(v) + size(v), heap_order); }

 private:
  int32_t capacity_;
  std::vector<Candidate> entries_;
  std::vector<int32_t> sizes_;
  std::vector<float> bounds_;
};

// The items of every leaf of every tree, and each item's leaf per tree.
struct Leaves {
  std::vector<int32_t> items;    // leaf after leaf
  std::vector<size_t> starts;    // leaf l holds items[starts[l], starts[l + 1])
  std::vector<int32_t> of_item;  // tree t, item v: leaf index at t * n_items + v, or -1
};

// Walks each tree to its leaves with the same checks as a query (searcher.h): ids in range and
// every split smaller than its parent, so a corrupt loaded file is an error, not a crash or a loop.
template <class M>
Status collect_leaves(const ForestView& view, Leaves* out) {
  const size_t n = static_cast<size_t>(view.n_items);
  constexpr size_t offset = M::kChildrenOffset;
  out->of_item.assign(view.roots->size() * n, -1);
  out->starts.assign(1, 0);
  struct Pending {
    int32_t node;
    int32_t parent_count;
  };
  std::vector<Pending> stack;
  for (size_t t = 0; t < view.roots->size(); ++t) {
    stack.assign(1, Pending{root_copy(view, t), std::numeric_limits<int32_t>::max()});
    uint64_t budget = static_cast<uint64_t>(view.n_nodes);
    auto add_leaf = [&](const int32_t* ids, int32_t count) -> Status {
      for (int32_t i = 0; i < count; ++i) {
        if (ids[i] < 0 || ids[i] >= view.n_items) return detail::corrupt("a leaf lists an id out of range");
        if (!is_item(view, ids[i])) continue;
        out->items.push_back(ids[i]);
        out->of_item[t * n + static_cast<size_t>(ids[i])] = static_cast<int32_t>(out->starts.size() - 1);
      }
      out->starts.push_back(out->items.size());
      return Status::ok();
    };
    while (!stack.empty()) {
      const Pending top = stack.back();
      stack.pop_back();
      if (top.node < 0 || top.node >= view.n_nodes) return detail::corrupt("a split node points outside the file");
      if (budget-- == 0) return detail::corrupt("its splits share subtrees (a split is reached twice)");
      const uint8_t* node = view.nodes + static_cast<size_t>(top.node) * view.node_size;
      const int32_t count = node_nd(node);
      if (count == 1 && top.node < view.n_items) {
        ANNOY_RETURN_IF_ERROR(add_leaf(&top.node, 1));
      } else if (count <= view.bucket_capacity) {
        if (count < 0) return detail::corrupt("a node has a negative item count");
        ANNOY_RETURN_IF_ERROR(add_leaf(node_ids(node, offset), count));
      } else {
        if (count >= top.parent_count) return detail::corrupt("a split node is not smaller than its parent");
        const int32_t* children = node_ids(node, offset);
        stack.push_back(Pending{children[0], count});
        stack.push_back(Pending{children[1], count});
      }
    }
  }
  return Status::ok();
}

}  // namespace graph_detail
}  // namespace annoy
