// Forest<M>: the Index of one metric. It owns the nodes (NodeStore), the roots and the state
// machine (empty -> items -> built, or loaded from a file), and delegates tree construction to
// TreeBuilder and queries to search().
#pragma once

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "index.h"
#include "kernels.h"
#include "node.h"
#include "node_store.h"
#include "platform.h"
#include "run_on_threads.h"
#include "searcher.h"
#include "argument_checks.h"
#include "batch_runner.h"
#include "checksum.h"
#include "forest_build.h"
#include "forest_limits.h"
#include "root_scan.h"
#include "snapshot_validate.h"
#include "snapshot.h"

namespace annoy {

namespace detail {

inline Status invalid(const std::string& message) {
  return Status::error(ErrorKind::kInvalidArgument, message);
}

}  // namespace detail

template <class M>
class Forest final : public Index {
 public:
  explicit Forest(int f) {
    if (f > 0) set_dimension(f);
  }

  Metric metric() const override { return M::kMetric; }
  int f() const override { return f_; }
  int32_t n_items() const override { return n_items_; }
  int32_t n_trees() const override { return static_cast<int32_t>(roots_.size()); }
  bool is_built() const override { return built_; }
  bool is_loaded() const override { return loaded_; }
  bool is_on_disk() const override { return store_.kind() == NodeStore::Kind::kOnDisk; }
  const std::string& on_disk_path() const override { return path_; }
  // The node storage: heap bytes reserved, or the mapped file's size (the roots list is noise).
  size_t memory_usage() const override { return store_.bytes(); }
  void set_seed(uint64_t seed) override { seed_ = seed; }
  uint64_t seed() const override { return seed_; }
  void set_verbosity(int level) override { verbosity_ = level; }
  int verbosity() const override { return verbosity_; }
  void set_log_sink(LogSink sink) override { log_ = std::move(sink); }

  Status add_item(int64_t id, const float* vector, size_t length) override {
    ANNOY_RETURN_IF_ERROR(require_mutable("add_item"));
    ANNOY_RETURN_IF_ERROR(check_new_id(id));
    ANNOY_RETURN_IF_ERROR(check_vector(vector, length, f_));
    ANNOY_RETURN_IF_ERROR(make_room(id, length));
    write_item(id, vector);
    return Status::ok();
  }

  Status add_items(int64_t start_id, const float* vectors, size_t rows, size_t row_length) override {
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

  Status build(int64_t n_trees, int64_t n_jobs, const BuildControl& control) override {
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
      ANNOY_RETURN_IF_ERROR(check_affordable_nodes("n_trees", static_cast<size_t>(n_items_) + 2 * static_cast<size_t>(n_trees)));
    }
    ANNOY_RETURN_IF_ERROR(store_.reserve(static_cast<size_t>(n_items_), node_size_));
    if (n_items_ > 0) M::preprocess(store_.data(), node_size_, n_items_, dim_, *kernels_);
    return build_trees(n_trees, n_jobs, control);
  }

  Status unbuild() override {
    if (loaded_) return read_only("unbuild");
    // An on-disk build's file now stands at its path, where others may have mapped it: the
    // next build goes to a fresh temporary file again instead of changing that one in place.
    if (built_ && store_.file_is_committed()) {
      ANNOY_RETURN_IF_ERROR(store_.move_to_file(path_, static_cast<size_t>(n_items_), node_size_));
    }
    roots_.clear();
    n_nodes_ = n_items_;
    built_ = false;
    return Status::ok();
  }

  Status save(const std::string& path, bool prefault) override {
    if (!built_) return not_built("save");
    if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
    const bool is_own_file = store_.file_is_committed() && platform::same_file(path, store_.path());
    if (!is_own_file) {
      ANNOY_RETURN_IF_ERROR(platform::write_file_atomically(path, store_.data(), node_bytes()));
    }
    return load(path, prefault ? LoadMode::kMapPrefault : LoadMode::kMap);
  }

  Status load(const std::string& path, LoadMode mode) override {
    if (f_ == 0) {
      return Status::error(ErrorKind::kDimensionUnknown,
                           "load: an Annoy file does not record its dimension; construct the index "
                           "with the file's f (f = 0 cannot be inferred)", 0, path);
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
    if (n_nodes > static_cast<uint64_t>(INT32_MAX)) return invalid_file(path, "it holds more nodes than Annoy's 32-bit ids allow");

    std::vector<int32_t> roots;
    int32_t n_items = 0;
    const std::string not_a_forest =
        scan_roots<M>(mapped.data(), static_cast<int64_t>(n_nodes), node_size_, bucket_capacity_, &roots, &n_items);
    if (!not_a_forest.empty()) return invalid_file(path, not_a_forest);
    // Only a file that passed the checks is read in: a huge sparse one is refused first (M2).
    if (mode == LoadMode::kMapPrefault) mapped.prefault();

    store_ = std::move(mapped);
    n_items_ = n_items;
    n_nodes_ = static_cast<int64_t>(n_nodes);
    roots_ = std::move(roots);
    built_ = true;
    loaded_ = true;
    path_ = path;
    log(1, "found " + std::to_string(roots_.size()) + " roots with degree " + std::to_string(n_items_));
    return Status::ok();
  }

  void unload() override {
    store_.release();
    n_items_ = 0;
    n_nodes_ = 0;
    roots_.clear();
    built_ = false;
    loaded_ = false;
    path_.clear();
    log(1, "unloaded");
  }

  Status on_disk_build(const std::string& path) override {
    ANNOY_RETURN_IF_ERROR(require_mutable("on_disk_build"));
    if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
    ANNOY_RETURN_IF_ERROR(store_.move_to_file(path, static_cast<size_t>(n_items_), node_size_));
    path_ = path;
    return Status::ok();
  }

  Status get_nns_by_item(int64_t id, int64_t n, int64_t search_k, const IdFilter* filter,
                         Neighbours* out) const override {
    if (!built_) return not_built("get_nns_by_item");
    ANNOY_RETURN_IF_ERROR(check_query(n, search_k));
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", id));
    return search<M>(view(), as_query(static_cast<size_t>(id)), n, search_k, filter, out);
  }

  Status get_nns_by_vector(const float* vector, size_t length, int64_t n, int64_t search_k, const IdFilter* filter,
                           Neighbours* out) const override {
    if (!built_) return not_built("get_nns_by_vector");
    ANNOY_RETURN_IF_ERROR(check_vector(vector, length, f_));
    ANNOY_RETURN_IF_ERROR(check_query(n, search_k));
    return search<M>(view(), as_vector_query(vector), n, search_k, filter, out);
  }

  Status query_batch(const float* vectors, size_t rows, size_t row_length, int64_t k, int64_t search_k, int64_t threads,
                     const IdFilter* filter, BatchOutput out, bool background) const override {
    if (!built_) return not_built("query");
    ANNOY_RETURN_IF_ERROR(check_query(k, search_k));
    ANNOY_RETURN_IF_ERROR(check_threads(threads));
    for (size_t r = 0; r < rows; ++r) {
      Status row = check_vector(vectors + r * row_length, row_length, f_);
      if (!row.is_ok()) return Status::error(row.kind(), "row " + std::to_string(r) + ": " + row.message());
    }
    return run_batch(rows, k, threads, background, out, [&](size_t r, Neighbours* found) {
      return search<M>(view(), as_vector_query(vectors + r * row_length), k, search_k, filter, found);
    });
  }

  Status query_batch_by_items(const int32_t* ids, size_t rows, int64_t k, int64_t search_k, int64_t threads,
                              const IdFilter* filter, BatchOutput out, bool background) const override {
    if (!built_) return not_built("queryByItems");
    ANNOY_RETURN_IF_ERROR(check_query(k, search_k));
    ANNOY_RETURN_IF_ERROR(check_threads(threads));
    for (size_t r = 0; r < rows; ++r) {
      Status row = check_existing_id("ids", ids[r]);
      if (!row.is_ok()) return Status::error(row.kind(), "row " + std::to_string(r) + ": " + row.message());
    }
    return run_batch(rows, k, threads, background, out, [&](size_t r, Neighbours* found) {
      return search<M>(view(), as_query(static_cast<size_t>(ids[r])), k, search_k, filter, found);
    });
  }

  Status get_distance(int64_t i, int64_t j, float* out) const override {
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", i));
    ANNOY_RETURN_IF_ERROR(check_existing_id("j", j));
    *out = M::normalized_distance(M::distance(as_query(static_cast<size_t>(i)), node(static_cast<size_t>(j)), dim_, *kernels_));
    return Status::ok();
  }

  Status get_item_vector(int64_t id, std::vector<float>* out) const override {
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", id));
    out->resize(static_cast<size_t>(f_));
    M::decode(node(static_cast<size_t>(id)), f_, out->data());
    return Status::ok();
  }

  Status serialize(std::vector<uint8_t>* out) const override {
    SnapshotInfo info;
    ANNOY_RETURN_IF_ERROR(snapshot_info(&info));
    write_snapshot(info, store_.data(), out);
    return Status::ok();
  }

  Status serialize_head(std::vector<uint8_t>* out) const override {
    SnapshotInfo info;
    ANNOY_RETURN_IF_ERROR(snapshot_info(&info));
    write_snapshot_head(info, store_.data(), out);
    return Status::ok();
  }

  size_t node_bytes() const override { return static_cast<size_t>(n_nodes_) * node_size_; }

  Status file_checksum(uint32_t* crc) const override {
    const bool copied = loaded_ && store_.kind() == NodeStore::Kind::kHeap;  // load(path, { copy: true })
    if (path_.empty() || !built_ || (store_.kind() == NodeStore::Kind::kHeap && !copied) || store_.kind() == NodeStore::Kind::kNone) {
      return Status::error(ErrorKind::kInvalidState, "the index is not served from a complete file");
    }
    // A copy keeps no file open; what it serves is checked against the file when restored.
    if (!copied) ANNOY_RETURN_IF_ERROR(store_.check_file());
    *crc = crc32(store_.data(), node_bytes());
    return Status::ok();
  }

  Status copy_node_bytes(size_t offset, uint8_t* out, size_t length) const override {
    if (offset > node_bytes() || length > node_bytes() - offset) {
      return detail::invalid("copy_node_bytes: range [" + std::to_string(offset) + ", " + std::to_string(offset + length) +
                             ") is outside the " + std::to_string(node_bytes()) + " node bytes");
    }
    if (length > 0) std::memcpy(out, store_.data() + offset, length);
    return Status::ok();
  }

  Status deserialize(const uint8_t* data, size_t length) override {
    SnapshotInfo info;
    const uint8_t* nodes = nullptr;
    ANNOY_RETURN_IF_ERROR(read_snapshot(data, length, &info, &nodes));
    if (info.metric != M::kMetric) {
      return Status::error(ErrorKind::kMetricMismatch, std::string("deserialize: expected a ") + metric_name(M::kMetric) +
                                                           " snapshot, received a " + metric_name(info.metric) + " one");
    }
    if (f_ != 0 && info.f != f_) {
      return Status::error(ErrorKind::kDimensionMismatch, "deserialize: expected a snapshot with f = " + std::to_string(f_) +
                                                              ", received f = " + std::to_string(info.f));
    }
    if (info.node_size != node_size_for(info.f)) {
      return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: node size does not match its metric and f");
    }
    ANNOY_RETURN_IF_ERROR(validate_snapshot_forest<M>(nodes, info));

    NodeStore heap;
    const size_t n_nodes = static_cast<size_t>(info.n_nodes);
    ANNOY_RETURN_IF_ERROR(heap.reserve(n_nodes, info.node_size));
    if (n_nodes > 0) std::memcpy(heap.data(), nodes, n_nodes * info.node_size);

    if (f_ == 0) set_dimension(info.f);
    store_ = std::move(heap);
    n_items_ = info.n_items;
    n_nodes_ = static_cast<int64_t>(n_nodes);
    roots_ = std::move(info.roots);
    built_ = info.built;
    loaded_ = false;
    path_.clear();
    seed_ = info.seed;
    return Status::ok();
  }

 private:
  Status snapshot_info(SnapshotInfo* info) const {
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

  // ---- adding items ----
  // Fixes f from the first vector, and makes slots 0..last_id exist (new ones are zero: holes
  // until written). On failure the index is as it was.
  Status make_room(int64_t last_id, size_t length) {
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
  void write_item(int64_t id, const float* vector) {
    uint8_t* node = mutable_node(static_cast<size_t>(id));
    std::memset(node, 0, node_size_);
    set_node_nd(node, 1);
    M::encode(vector, f_, node);
    M::init_node(node, dim_, *kernels_);
  }

  // ---- dimension and layout ----
  static size_t node_size_for(int f) {
    return M::kVectorOffset + static_cast<size_t>(M::storage_dim(f)) * sizeof(typename M::Elem);
  }
  void set_dimension(int f) {
    f_ = f;
    dim_ = M::storage_dim(f);
    node_size_ = node_size_for(f);
    bucket_capacity_ = bucket_capacity(node_size_, M::kChildrenOffset);
    kernels_ = &kernels_for(dim_);
  }
  void clear_dimension() {
    f_ = dim_ = 0;
    node_size_ = 0;
    bucket_capacity_ = 0;
  }
  std::string describe() const {
    return std::string(metric_name(M::kMetric)) + " with f = " + std::to_string(f_);
  }

  const uint8_t* node(size_t id) const { return store_.data() + id * node_size_; }
  // A zeroed per-thread node for queries, so that concurrent queries share nothing.
  uint8_t* query_buffer() const {
    thread_local std::vector<uint8_t> buffer;
    buffer.assign(node_size_, 0);
    return buffer.data();
  }
  const uint8_t* as_vector_query(const float* vector) const {
    uint8_t* query = query_buffer();
    M::encode(vector, f_, query);
    M::init_node(query, dim_, *kernels_);
    return query;
  }

  // Item id as a query: a copy whose derived fields (the angular norm) are recomputed by this
  // build's kernels, whatever wrote the file.
  const uint8_t* as_query(size_t id) const {
    uint8_t* query = query_buffer();
    std::memcpy(query, node(id), node_size_);
    M::init_node(query, dim_, *kernels_);
    return query;
  }
  uint8_t* mutable_node(size_t id) { return store_.data() + id * node_size_; }
  ForestView view() const {
    return ForestView{store_.data(), node_size_, dim_, n_items_, n_nodes_, bucket_capacity_, &roots_, kernels_};
  }

  void log(int level, const std::string& message) const {
    if (verbosity_ >= level && log_) log_(level, message);
  }

  // ---- argument and state checks ----
  Status read_only(const char* op) const {
    return Status::error(ErrorKind::kReadOnly, std::string(op) + ": the index serves a loaded file read-only (" + path_ +
                                                   "); build a new index to change it");
  }
  Status not_built(const char* op) const {
    return Status::error(ErrorKind::kNotBuilt, std::string(op) + ": the index is not built; call build() or load() first");
  }
  Status require_mutable(const char* op) const {
    if (loaded_) return read_only(op);
    if (built_) {
      return Status::error(ErrorKind::kAlreadyBuilt,
                           std::string(op) + ": the index is already built; call unbuild() first to change it");
    }
    return Status::ok();
  }
  Status invalid_file(const std::string& path, const std::string& why) const {
    return Status::error(ErrorKind::kInvalidFile, "load: '" + path + "' is not an Annoy index of " + describe() + ": " + why, 0, path);
  }

  // Annoy reserves max(id) + 1 slots; refuse what the machine could never hold rather than let
  // the OS kill the process later.
  Status check_affordable_nodes(const char* what, size_t nodes) const {
    const double bytes = static_cast<double>(nodes) * static_cast<double>(node_size_);
    if (bytes > static_cast<double>(platform::physical_memory_bytes())) {
      return Status::error(ErrorKind::kOutOfMemory, std::string(what) + ": needs at least " + std::to_string(nodes) +
                                                        " nodes of " + std::to_string(node_size_) + " bytes (" +
                                                        std::to_string(static_cast<uint64_t>(bytes)) +
                                                        " bytes), more than this machine's memory");
    }
    return Status::ok();
  }

  Status check_affordable(int64_t id, size_t nodes) const {
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

  Status check_existing_id(const char* name, int64_t id) const {
    if (id < 0) {
      return Status::error(ErrorKind::kInvalidId, std::string(name) + ": expected a non-negative item id, received " +
                                                      std::to_string(id));
    }
    if (id >= n_items_) {
      return Status::error(ErrorKind::kIdOutOfRange, std::string(name) + ": expected an item id from 0 to " +
                                                         std::to_string(static_cast<int64_t>(n_items_) - 1) +
                                                         ", received " + std::to_string(id));
    }
    if (node_nd(node(static_cast<size_t>(id))) != 1) {
      return Status::error(ErrorKind::kIdOutOfRange,
                           std::string(name) + ": item " + std::to_string(id) + " was never added (a hole below n_items)");
    }
    return Status::ok();
  }

  // ---- build (forest_build.h chooses the builder; the blocks are placed here) ----
  Status build_trees(int64_t n_trees, int64_t n_jobs, const BuildControl& control) {
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
  Status place_blocks(const std::vector<NodeBlock>& blocks) {
    int64_t total = n_items_;
    size_t n_roots = 0;
    for (const NodeBlock& block : blocks) {
      total += block.count;
      n_roots += block.roots.size();
    }
    total += static_cast<int64_t>(n_roots);
    if (total > INT32_MAX) {
      return Status::error(ErrorKind::kOutOfMemory, "build: the forest needs " + std::to_string(total) +
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

  int f_ = 0;
  int dim_ = 0;
  size_t node_size_ = 0;
  int32_t bucket_capacity_ = 0;
  const FloatKernels* kernels_ = &kScalarKernels;

  NodeStore store_;
  int32_t n_items_ = 0;
  int64_t n_nodes_ = 0;
  std::vector<int32_t> roots_;
  bool built_ = false;
  bool loaded_ = false;
  std::string path_;

  uint64_t seed_ = Kiss64::kDefaultSeed;
  int verbosity_ = 0;
  LogSink log_;
};

}  // namespace annoy
