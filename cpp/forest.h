// Forest<M>: the Index of one metric. It owns the nodes (NodeStore), the roots and the state
// machine (empty -> items -> built, or loaded from a file). Queries are here and delegate to
// search() (searcher.h) and run_batch() (batch_runner.h); files and snapshots are defined in
// forest_files.h, adding items and building in forest_writes.h.
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
#include "graph_file.h"
#include "neighbour_graph.h"
#include "root_scan.h"
#include "snapshot_validate.h"
#include "snapshot.h"

namespace annoy {

namespace detail {

inline Status invalid(const std::string& message) { return Status::error(ErrorKind::kInvalidArgument, message); }

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
  size_t memory_usage() const override { return store_.bytes() + (graph_ ? graph_->memory_bytes() : 0); }
  void set_seed(uint64_t seed) override { seed_ = seed; }
  uint64_t seed() const override { return seed_; }
  void set_verbosity(int level) override { verbosity_ = level; }
  int verbosity() const override { return verbosity_; }
  void set_log_sink(LogSink sink) override { log_ = std::move(sink); }

  Status add_item(int64_t id, const float* vector, size_t length) override;
  Status add_items(int64_t start_id, const float* vectors, size_t rows, size_t row_length) override;

  Status build(int64_t n_trees, int64_t n_jobs, const BuildControl& control) override;
  Status unbuild() override;

  Status save(const std::string& path, bool prefault) override;
  Status load(const std::string& path, LoadMode mode) override;
  void unload() override;
  Status on_disk_build(const std::string& path) override;

  Status get_nns_by_item(int64_t id, int64_t n, const SearchParams& search, const IdFilter* filter,
                         Neighbours* out) const override {
    if (!built_) return not_built("get_nns_by_item");
    ANNOY_RETURN_IF_ERROR(check_query(n, search));
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", id));
    return find(as_query(static_cast<size_t>(id)), n, search, filter, out);
  }

  Status get_nns_by_vector(const float* vector, size_t length, int64_t n, const SearchParams& search,
                           const IdFilter* filter, Neighbours* out) const override {
    if (!built_) return not_built("get_nns_by_vector");
    ANNOY_RETURN_IF_ERROR(check_vector(vector, length, f_));
    ANNOY_RETURN_IF_ERROR(check_query(n, search));
    return find(as_vector_query(vector), n, search, filter, out);
  }

  Status query_batch(const float* vectors, size_t rows, size_t row_length, int64_t k, const SearchParams& search,
                     int64_t threads, const IdFilter* filter, BatchOutput out, bool background) const override {
    if (!built_) return not_built("query");
    ANNOY_RETURN_IF_ERROR(check_query(k, search));
    ANNOY_RETURN_IF_ERROR(check_threads(threads));
    for (size_t r = 0; r < rows; ++r) {
      Status row = check_vector(vectors + r * row_length, row_length, f_);
      if (!row.is_ok()) return Status::error(row.kind(), "row " + std::to_string(r) + ": " + row.message());
    }
    return run_batch(rows, k, threads, background, out, [&](size_t r, Neighbours* found) {
      return find(as_vector_query(vectors + r * row_length), k, search, filter, found);
    });
  }

  Status query_batch_by_items(const int32_t* ids, size_t rows, int64_t k, const SearchParams& search, int64_t threads,
                              const IdFilter* filter, BatchOutput out, bool background) const override {
    if (!built_) return not_built("queryByItems");
    ANNOY_RETURN_IF_ERROR(check_query(k, search));
    ANNOY_RETURN_IF_ERROR(check_threads(threads));
    for (size_t r = 0; r < rows; ++r) {
      Status row = check_existing_id("ids", ids[r]);
      if (!row.is_ok()) return Status::error(row.kind(), "row " + std::to_string(r) + ": " + row.message());
    }
    return run_batch(rows, k, threads, background, out, [&](size_t r, Neighbours* found) {
      return find(as_query(static_cast<size_t>(ids[r])), k, search, filter, found);
    });
  }

  Status build_graph(const GraphSettings& settings, const GraphControl& control) override;
  Status save_graph(const std::string& path) const override;
  Status load_graph(const std::string& path) override;
  void drop_graph() override {
    graph_.reset();
    graph_in_sidecar_ = false;
  }
  GraphSummary graph_summary() const override;

  Status get_distance(int64_t i, int64_t j, float* out) const override {
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", i));
    ANNOY_RETURN_IF_ERROR(check_existing_id("j", j));
    *out = M::normalized_distance(
        M::distance(as_query(static_cast<size_t>(i)), node(static_cast<size_t>(j)), dim_, *kernels_));
    return Status::ok();
  }

  Status get_item_vector(int64_t id, std::vector<float>* out) const override {
    ANNOY_RETURN_IF_ERROR(check_existing_id("i", id));
    out->resize(static_cast<size_t>(f_));
    M::decode(node(static_cast<size_t>(id)), f_, out->data());
    return Status::ok();
  }

  Status serialize(std::vector<uint8_t>* out) const override;
  Status serialize_head(std::vector<uint8_t>* out) const override;
  Status serialize_graph(std::vector<uint8_t>* out) const override;

  size_t node_bytes() const override { return static_cast<size_t>(n_nodes_) * node_size_; }

  Status file_checksum(uint32_t* crc) const override;
  Status copy_node_bytes(size_t offset, uint8_t* out, size_t length) const override;

  Status deserialize(const uint8_t* data, size_t length) override;

 private:
  Status snapshot_info(SnapshotInfo* info) const;
  using SnapshotWriter = void (*)(const SnapshotInfo&, const uint8_t*, std::vector<uint8_t>*);
  Status write_snapshot_with(SnapshotWriter writer, std::vector<uint8_t>* out) const;

  Status make_room(int64_t last_id, size_t length);
  void write_item(int64_t id, const float* vector);

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
  std::string describe() const { return std::string(metric_name(M::kMetric)) + " with f = " + std::to_string(f_); }

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
    return Status::error(ErrorKind::kReadOnly, std::string(op) + ": the index serves a loaded file read-only (" +
                                                   path_ + "); build a new index to change it");
  }
  Status not_built(const char* op) const {
    return Status::error(ErrorKind::kNotBuilt,
                         std::string(op) + ": the index is not built; call build() or load() first");
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
    return Status::error(ErrorKind::kInvalidFile,
                         "load: '" + path + "' is not an Annoy index of " + describe() + ": " + why, 0, path);
  }

  Status check_affordable_nodes(const char* what, size_t nodes) const;
  Status check_affordable(int64_t id, size_t nodes) const;

  Status check_existing_id(const char* name, int64_t id) const;
  Status build_trees(int64_t n_trees, int64_t n_jobs, const BuildControl& control);

  Status place_blocks(const std::vector<NodeBlock>& blocks);

  // ---- the neighbour graph (forest_graph.h) ----
  // The query with the graph or the trees, as `search` asks and the index allows.
  Status find(const uint8_t* query, int64_t n, const SearchParams& search, const IdFilter* filter,
              Neighbours* out) const;
  // What a graph of this forest's nodes (or of a forest about to replace them) belongs to.
  GraphOwner graph_owner(const ForestView& forest) const;
  // Reads a graph sidecar for `forest`: mapped, or copied for LoadMode::kCopy. Without strict, a
  // missing file or the graph of another forest is no graph (with a verbose message).
  Status read_graph_file(const ForestView& forest, const std::string& path, LoadMode mode, bool strict,
                         std::unique_ptr<NeighbourGraph>* out) const;
  // Checks a graph image completely and makes it a graph; owns `mapping` (unmapped unless used).
  Status adopt_graph(const ForestView& forest, const std::string& source, const uint8_t* data, size_t length,
                     bool strict, uint8_t* mapping, std::unique_ptr<NeighbourGraph>* out) const;
  Status write_sidecar(const std::string& path) const;
  std::unique_ptr<NeighbourGraph> graph_;
  bool graph_in_sidecar_ = false;
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

// The longer member definitions, by concern.
#include "forest_files.h"   // NOLINT(build/include_order): needs the class above
#include "forest_writes.h"  // NOLINT(build/include_order)
#include "forest_graph.h"   // NOLINT(build/include_order)
