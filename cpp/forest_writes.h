// What changes a Forest<M>: adding items (checked first, stored all or nothing), building
// (forest_build.h chooses the builder; the blocks of nodes are placed here, then the root
// copies, as Annoy lays them out) and unbuilding. Included at the end of forest.h.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "forest.h"

namespace annoy {

template <class M>
Status Forest<M>::add_item(int64_t id, const float* vector, size_t length) {
  ANNOY_RETURN_IF_ERROR(require_mutable("add_item"));
  ANNOY_RETURN_IF_ERROR(check_new_id(id));
  ANNOY_RETURN_IF_ERROR(check_vector(vector, length, f_));
  ANNOY_RETURN_IF_ERROR(make_room(id, length));
  write_item(id, vector);
  return Status::ok();
}

template <class M>
Status Forest<M>::add_items(int64_t start_id, const float* vectors, size_t rows, size_t row_length) {
  ANNOY_RETURN_IF_ERROR(require_mutable("add_items"));
  if (rows == 0) return Status::ok();
  const int64_t last_id = start_id + static_cast<int64_t>(rows) - 1;
  ANNOY_RETURN_IF_ERROR(check_new_id(start_id));
  ANNOY_RETURN_IF_ERROR(check_new_id(last_id));
  for (size_t r = 0; r < rows; ++r) {
    Status row = check_vector(vectors + r * row_length, row_length, f_);
    if (!row.is_ok()) return Status::error(row.kind(), "row " + std::to_string(r) + ": " + row.message());
  }
  // Every row is valid and the room is made once, so the writes cannot fail: all or nothing.
  ANNOY_RETURN_IF_ERROR(make_room(last_id, row_length));
  for (size_t r = 0; r < rows; ++r) write_item(start_id + static_cast<int64_t>(r), vectors + r * row_length);
  return Status::ok();
}

template <class M>
Status Forest<M>::build(int64_t n_trees, int64_t n_jobs, const BuildControl& control) {
  ANNOY_RETURN_IF_ERROR(require_mutable("build"));
  if (n_trees != -1 && (n_trees < 1 || n_trees > INT32_MAX)) {
    return detail::invalid("n_trees: expected a positive integer or -1, received " + std::to_string(n_trees));
  }
  if (n_jobs != -1 && (n_jobs < 1 || n_jobs > 1024)) {
    return detail::invalid("n_jobs: expected an integer from 1 to 1024, or -1 for all cores, received " +
                           std::to_string(n_jobs));
  }
  if (f_ == 0) {
    return Status::error(ErrorKind::kDimensionUnknown,
                         "build: the dimension is not known yet (f = 0 and no item was added)");
  }
  if (n_trees != -1) {
    ANNOY_RETURN_IF_ERROR(check_tree_count(n_trees, n_items_));
    // Each tree holds at least an original root and its copy.
    ANNOY_RETURN_IF_ERROR(
        check_affordable_nodes("n_trees", static_cast<size_t>(n_items_) + 2 * static_cast<size_t>(n_trees)));
  }
  ANNOY_RETURN_IF_ERROR(store_.reserve(static_cast<size_t>(n_items_), node_size_));
  if (n_items_ > 0) M::preprocess(store_.data(), node_size_, n_items_, dim_, *kernels_);
  return build_trees(n_trees, n_jobs, control);
}

template <class M>
Status Forest<M>::unbuild() {
  if (loaded_) return read_only("unbuild");
  // An on-disk build's file now stands at its path, where others may have mapped it: the
  // next build goes to a fresh temporary file again instead of changing that one in place.
  if (built_ && store_.file_is_committed()) {
    ANNOY_RETURN_IF_ERROR(store_.move_to_file(path_, static_cast<size_t>(n_items_), node_size_));
  }
  drop_graph();
  roots_.clear();
  n_nodes_ = n_items_;
  built_ = false;
  return Status::ok();
}

// ---- adding items ----
// Fixes f from the first vector, and makes slots 0..last_id exist (new ones are zero: holes
// until written). On failure the index is as it was.
template <class M>
Status Forest<M>::make_room(int64_t last_id, size_t length) {
  const int previous_f = f_;
  if (f_ == 0) set_dimension(static_cast<int>(length));
  const size_t needed = std::max<size_t>(static_cast<size_t>(n_items_), static_cast<size_t>(last_id) + 1);
  Status reserved = check_affordable(last_id, needed);
  if (reserved.is_ok()) reserved = store_.reserve(needed, node_size_);
  if (!reserved.is_ok()) {
    if (previous_f == 0) clear_dimension();
    return reserved;
  }
  n_items_ = static_cast<int32_t>(needed);
  n_nodes_ = n_items_;
  return Status::ok();
}

// The vector must already be checked and its slot made.
template <class M>
void Forest<M>::write_item(int64_t id, const float* vector) {
  uint8_t* node = mutable_node(static_cast<size_t>(id));
  std::memset(node, 0, node_size_);
  set_node_nd(node, 1);
  M::encode(vector, f_, node);
  M::init_node(node, dim_, *kernels_);
}

// Annoy reserves max(id) + 1 slots; refuse what the machine could never hold rather than let
// the OS kill the process later.
template <class M>
Status Forest<M>::check_affordable_nodes(const char* what, size_t nodes) const {
  const double bytes = static_cast<double>(nodes) * static_cast<double>(node_size_);
  if (bytes > static_cast<double>(platform::physical_memory_bytes())) {
    return Status::error(ErrorKind::kOutOfMemory, std::string(what) + ": needs at least " + std::to_string(nodes) +
                                                      " nodes of " + std::to_string(node_size_) + " bytes (" +
                                                      std::to_string(static_cast<uint64_t>(bytes)) +
                                                      " bytes), more than this machine's memory");
  }
  return Status::ok();
}

template <class M>
Status Forest<M>::check_affordable(int64_t id, size_t nodes) const {
  const double bytes = static_cast<double>(nodes) * static_cast<double>(node_size_);
  const double limit = static_cast<double>(platform::physical_memory_bytes());
  if (bytes > limit) {
    return Status::error(ErrorKind::kIdTooLarge, "i: id " + std::to_string(id) + " needs " + std::to_string(nodes) +
                                                     " slots of " + std::to_string(node_size_) + " bytes (" +
                                                     std::to_string(static_cast<uint64_t>(bytes)) +
                                                     " bytes), more than this machine's memory; use dense ids");
  }
  return Status::ok();
}

template <class M>
Status Forest<M>::check_existing_id(const char* name, int64_t id) const {
  if (id < 0) {
    return Status::error(ErrorKind::kInvalidId,
                         std::string(name) + ": expected a non-negative item id, received " + std::to_string(id));
  }
  if (id >= n_items_) {
    return Status::error(ErrorKind::kIdOutOfRange, std::string(name) + ": expected an item id from 0 to " +
                                                       std::to_string(static_cast<int64_t>(n_items_) - 1) +
                                                       ", received " + std::to_string(id));
  }
  if (node_nd(node(static_cast<size_t>(id))) != 1) {
    return Status::error(ErrorKind::kIdOutOfRange, std::string(name) + ": item " + std::to_string(id) +
                                                       " was never added (a hole below n_items)");
  }
  return Status::ok();
}

// ---- build (forest_build.h chooses the builder; the blocks are placed here) ----
template <class M>
Status Forest<M>::build_trees(int64_t n_trees, int64_t n_jobs, const BuildControl& control) {
  std::vector<int32_t> indices;
  indices.reserve(static_cast<size_t>(n_items_));
  for (int32_t i = 0; i < n_items_; ++i) {
    if (node_nd(node(static_cast<size_t>(i))) >= 1) indices.push_back(i);
  }
  const LogSink* sink = (verbosity_ >= 1 && log_) ? &log_ : nullptr;
  const BuildInputs inputs{store_.data(), node_size_, dim_, n_items_, bucket_capacity_, kernels_, sink, control.cancel};
  return build_forest<M>(inputs, indices, seed_, n_trees, n_jobs, control,
                         [this](const std::vector<NodeBlock>& blocks) { return place_blocks(blocks); });
}

// Places the blocks after the items, shifting the child ids of their splits, then one copy of
// every root (Annoy's layout).
template <class M>
Status Forest<M>::place_blocks(const std::vector<NodeBlock>& blocks) {
  int64_t total = n_items_;
  size_t n_roots = 0;
  for (const NodeBlock& block : blocks) {
    total += block.count;
    n_roots += block.roots.size();
  }
  total += static_cast<int64_t>(n_roots);
  if (total > INT32_MAX) {
    return Status::error(ErrorKind::kOutOfMemory,
                         "build: the forest needs " + std::to_string(total) +
                             " nodes, more than Annoy's int32 node ids allow; use fewer trees");
  }
  ANNOY_RETURN_IF_ERROR(store_.reserve(static_cast<size_t>(total), node_size_));
  std::vector<int32_t> roots;
  roots.reserve(n_roots);
  int64_t base = n_items_;
  for (const NodeBlock& block : blocks) {
    const int32_t shift = static_cast<int32_t>(base - n_items_);
    uint8_t* dst = mutable_node(static_cast<size_t>(base));
    if (block.count > 0) std::memcpy(dst, block.nodes, static_cast<size_t>(block.count) * node_size_);
    for (int64_t i = 0; i < block.count; ++i) {
      shift_children(dst + static_cast<size_t>(i) * node_size_, M::kChildrenOffset, shift, n_items_, bucket_capacity_);
    }
    for (int32_t root : block.roots) roots.push_back(root + shift);
    base += block.count;
  }
  for (int32_t root : roots) {
    std::memcpy(mutable_node(static_cast<size_t>(base++)), node(static_cast<size_t>(root)), node_size_);
  }
  ANNOY_RETURN_IF_ERROR(store_.finish_file(static_cast<size_t>(total)));
  n_nodes_ = total;
  roots_ = std::move(roots);
  built_ = true;
  log(1, "has " + std::to_string(n_nodes_) + " nodes");
  return Status::ok();
}

}  // namespace annoy
