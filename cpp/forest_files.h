// Forest<M>'s files and snapshots: save, load (the root scan and its checks come before any
// page is read in), unload, on-disk builds, the served file's checksum, and serialize /
// deserialize (a snapshot is validated completely before it replaces anything). Included at the
// end of forest.h; the class is declared there.
#pragma once

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "forest.h"

namespace annoy {

template <class M>
Status Forest<M>::save(const std::string& path, bool prefault) {
  if (!built_) return not_built("save");
  if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
  const bool is_own_file = store_.file_is_committed() && platform::same_file(path, store_.path());
  if (!is_own_file) {
    ANNOY_RETURN_IF_ERROR(platform::write_file_atomically(path, store_.data(), node_bytes()));
  }
  ANNOY_RETURN_IF_ERROR(write_sidecar(path));
  return load(path, prefault ? LoadMode::kMapPrefault : LoadMode::kMap);
}

template <class M>
Status Forest<M>::load(const std::string& path, LoadMode mode) {
  if (f_ == 0) {
    return Status::error(ErrorKind::kDimensionUnknown,
                         "load: an Annoy file does not record its dimension; construct the index "
                         "with the file's f (f = 0 cannot be inferred)",
                         0, path);
  }
  if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
  NodeStore mapped;
  uint64_t bytes = 0;
  ANNOY_RETURN_IF_ERROR(mode == LoadMode::kCopy ? mapped.read_copy(path, &bytes) : mapped.map_readonly(path, &bytes));
  if (bytes == 0) return invalid_file(path, "the file is empty");
  if (bytes % node_size_ != 0) {
    return invalid_file(path, "its size (" + std::to_string(bytes) + " bytes) is not a multiple of the " +
                                  std::to_string(node_size_) + "-byte node of " + describe() +
                                  ": was it written with another metric or f?");
  }
  const uint64_t n_nodes = bytes / node_size_;
  if (n_nodes > static_cast<uint64_t>(INT32_MAX))
    return invalid_file(path, "it holds more nodes than Annoy's 32-bit ids allow");

  std::vector<int32_t> roots;
  int32_t n_items = 0;
  const std::string not_a_forest =
      scan_roots<M>(mapped.data(), static_cast<int64_t>(n_nodes), node_size_, bucket_capacity_, &roots, &n_items);
  if (!not_a_forest.empty()) return invalid_file(path, not_a_forest);
  // Only a file that passed the checks is read in: a huge sparse one is refused first (M2).
  if (mode == LoadMode::kMapPrefault) mapped.prefault();
  // The sidecar is checked before anything is replaced: a corrupt one fails the load.
  std::unique_ptr<NeighbourGraph> graph;
  const ForestView incoming{mapped.data(),    node_size_, dim_,    n_items, static_cast<int64_t>(n_nodes),
                            bucket_capacity_, &roots,     kernels_};
  ANNOY_RETURN_IF_ERROR(read_graph_file(incoming, graph_path_for(path), mode, false, &graph));

  store_ = std::move(mapped);
  graph_ = std::move(graph);
  graph_in_sidecar_ = graph_ != nullptr;
  n_items_ = n_items;
  n_nodes_ = static_cast<int64_t>(n_nodes);
  roots_ = std::move(roots);
  built_ = true;
  loaded_ = true;
  path_ = path;
  log(1, "found " + std::to_string(roots_.size()) + " roots with degree " + std::to_string(n_items_));
  return Status::ok();
}

template <class M>
void Forest<M>::unload() {
  drop_graph();
  store_.release();
  n_items_ = 0;
  n_nodes_ = 0;
  roots_.clear();
  built_ = false;
  loaded_ = false;
  path_.clear();
  log(1, "unloaded");
}

template <class M>
Status Forest<M>::on_disk_build(const std::string& path) {
  ANNOY_RETURN_IF_ERROR(require_mutable("on_disk_build"));
  if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
  ANNOY_RETURN_IF_ERROR(store_.move_to_file(path, static_cast<size_t>(n_items_), node_size_));
  path_ = path;
  return Status::ok();
}

template <class M>
Status Forest<M>::file_checksum(uint32_t* crc) const {
  const bool copied = loaded_ && store_.kind() == NodeStore::Kind::kHeap;  // load(path, { copy: true })
  if (path_.empty() || !built_ || (store_.kind() == NodeStore::Kind::kHeap && !copied) ||
      store_.kind() == NodeStore::Kind::kNone) {
    return Status::error(ErrorKind::kInvalidState, "the index is not served from a complete file");
  }
  // A copy keeps no file open; what it serves is checked against the file when restored.
  if (!copied) ANNOY_RETURN_IF_ERROR(store_.check_file());
  *crc = crc32(store_.data(), node_bytes());
  return Status::ok();
}

template <class M>
Status Forest<M>::copy_node_bytes(size_t offset, uint8_t* out, size_t length) const {
  if (offset > node_bytes() || length > node_bytes() - offset) {
    return detail::invalid("copy_node_bytes: range [" + std::to_string(offset) + ", " +
                           std::to_string(offset + length) + ") is outside the " + std::to_string(node_bytes()) +
                           " node bytes");
  }
  if (length > 0) std::memcpy(out, store_.data() + offset, length);
  return Status::ok();
}

template <class M>
Status Forest<M>::write_snapshot_with(SnapshotWriter writer, std::vector<uint8_t>* out) const {
  SnapshotInfo info;
  ANNOY_RETURN_IF_ERROR(snapshot_info(&info));
  writer(info, store_.data(), out);
  return Status::ok();
}

template <class M>
Status Forest<M>::serialize(std::vector<uint8_t>* out) const {
  ANNOY_RETURN_IF_ERROR(write_snapshot_with(write_snapshot, out));
  std::vector<uint8_t> graph;
  ANNOY_RETURN_IF_ERROR(serialize_graph(&graph));
  out->insert(out->end(), graph.begin(), graph.end());
  return Status::ok();
}

template <class M>
Status Forest<M>::serialize_graph(std::vector<uint8_t>* out) const {
  out->clear();
  if (graph_ != nullptr) write_graph_image(graph_owner(view()), *graph_, out);
  return Status::ok();
}

template <class M>
Status Forest<M>::serialize_head(std::vector<uint8_t>* out) const {
  return write_snapshot_with(write_snapshot_head, out);
}

template <class M>
Status Forest<M>::deserialize(const uint8_t* data, size_t length) {
  SnapshotInfo info;
  const uint8_t* nodes = nullptr;
  size_t snapshot_bytes = 0;
  ANNOY_RETURN_IF_ERROR(read_snapshot(data, length, &info, &nodes, &snapshot_bytes));
  if (info.metric != M::kMetric) {
    return Status::error(ErrorKind::kMetricMismatch, std::string("deserialize: expected a ") + metric_name(M::kMetric) +
                                                         " snapshot, received a " + metric_name(info.metric) + " one");
  }
  if (f_ != 0 && info.f != f_) {
    return Status::error(
        ErrorKind::kDimensionMismatch,
        "deserialize: expected a snapshot with f = " + std::to_string(f_) + ", received f = " + std::to_string(info.f));
  }
  // A header's f is checked before any size is computed from it (a fuzzed f of 2^31 - 1
  // overflowed hamming's word count: UBSan, fuzz/).
  if (info.f > kMaxDimension) {
    return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: f = " + std::to_string(info.f) +
                                                  " is above the largest dimension, " + std::to_string(kMaxDimension));
  }
  if (info.node_size != node_size_for(info.f)) {
    return Status::error(ErrorKind::kCorrupt,
                         "not a valid annoy-napi snapshot: node size does not match its metric and f");
  }
  // The nodes are validated in their aligned copy: in the caller's buffer they start wherever
  // the Buffer and the root count put them, and node.h reads ids and words in place (UBSan
  // found the misaligned reads; fuzz/).
  NodeStore heap;
  const size_t n_nodes = static_cast<size_t>(info.n_nodes);
  ANNOY_RETURN_IF_ERROR(heap.reserve(n_nodes, info.node_size));
  if (n_nodes > 0) std::memcpy(heap.data(), nodes, n_nodes * info.node_size);
  ANNOY_RETURN_IF_ERROR(validate_snapshot_forest<M>(heap.data(), info));
  // What follows the forest is its graph: a sidecar image, checked as strictly as a file.
  std::unique_ptr<NeighbourGraph> graph;
  if (snapshot_bytes < length) {
    if (!info.built)
      return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: a graph without trees");
    const int previous_f = f_;
    if (f_ == 0) set_dimension(info.f);  // graph_owner() and the view need the layout
    const ForestView incoming{heap.data(),      node_size_,  dim_,    info.n_items, static_cast<int64_t>(n_nodes),
                              bucket_capacity_, &info.roots, kernels_};
    const Status adopted =
        adopt_graph(incoming, "snapshot", data + snapshot_bytes, length - snapshot_bytes, true, nullptr, &graph);
    if (!adopted.is_ok()) {
      if (previous_f == 0) clear_dimension();
      return Status::error(adopted.kind() == ErrorKind::kInvalidFile ? ErrorKind::kCorrupt : adopted.kind(),
                           "not a valid annoy-napi snapshot: " + adopted.message());
    }
  }

  if (f_ == 0) set_dimension(info.f);
  store_ = std::move(heap);
  n_items_ = info.n_items;
  n_nodes_ = static_cast<int64_t>(n_nodes);
  roots_ = std::move(info.roots);
  built_ = info.built;
  loaded_ = false;
  path_.clear();
  seed_ = info.seed;
  graph_ = std::move(graph);
  graph_in_sidecar_ = false;
  return Status::ok();
}

template <class M>
Status Forest<M>::snapshot_info(SnapshotInfo* info) const {
  if (f_ == 0) {
    return Status::error(ErrorKind::kDimensionUnknown, "serialize: the index has no dimension yet (f = 0, no items)");
  }
  info->metric = M::kMetric;
  info->f = f_;
  info->node_size = static_cast<uint32_t>(node_size_);
  info->built = built_;
  info->n_items = n_items_;
  info->n_nodes = static_cast<uint64_t>(n_nodes_);
  info->seed = seed_;
  info->roots = roots_;
  return Status::ok();
}

}  // namespace annoy
