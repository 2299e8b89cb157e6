// The core's promise that no exception crosses its API: every fallible call of the wrapped index
// runs inside a handler that turns allocation failures (std::bad_alloc, std::length_error from a
// container asked for too much) into kOutOfMemory values. Any other exception would be a bug in
// the core and is deliberately not swallowed here.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "allocation_guard.h"
#include "index.h"

namespace annoy {

class GuardedIndex final : public Index {
 public:
  explicit GuardedIndex(std::unique_ptr<Index> inner) : inner_(std::move(inner)) {}

  Metric metric() const override { return inner_->metric(); }
  int f() const override { return inner_->f(); }
  int32_t n_items() const override { return inner_->n_items(); }
  int32_t n_trees() const override { return inner_->n_trees(); }
  bool is_built() const override { return inner_->is_built(); }
  bool is_loaded() const override { return inner_->is_loaded(); }
  bool is_on_disk() const override { return inner_->is_on_disk(); }
  const std::string& on_disk_path() const override { return inner_->on_disk_path(); }
  size_t memory_usage() const override { return inner_->memory_usage(); }
  void set_seed(uint64_t seed) override { inner_->set_seed(seed); }
  uint64_t seed() const override { return inner_->seed(); }
  void set_verbosity(int level) override { inner_->set_verbosity(level); }
  int verbosity() const override { return inner_->verbosity(); }
  void set_log_sink(LogSink sink) override { inner_->set_log_sink(std::move(sink)); }
  void unload() override { inner_->unload(); }

  Status add_item(int64_t id, const float* vector, size_t length) override {
    return guard([&] { return inner_->add_item(id, vector, length); });
  }
  Status add_items(int64_t start_id, const float* vectors, size_t rows, size_t row_length) override {
    return guard([&] { return inner_->add_items(start_id, vectors, rows, row_length); });
  }
  Status build(int64_t n_trees, int64_t n_jobs, const BuildControl& control) override {
    return guard([&] { return inner_->build(n_trees, n_jobs, control); });
  }
  Status unbuild() override {
    return guard([&] { return inner_->unbuild(); });
  }
  Status save(const std::string& path, bool prefault) override {
    return guard([&] { return inner_->save(path, prefault); });
  }
  Status load(const std::string& path, LoadMode mode) override {
    return guard([&] { return inner_->load(path, mode); });
  }
  Status on_disk_build(const std::string& path) override {
    return guard([&] { return inner_->on_disk_build(path); });
  }
  Status build_graph(const GraphSettings& settings, const GraphControl& control) override {
    return guard([&] { return inner_->build_graph(settings, control); });
  }
  Status save_graph(const std::string& path) const override {
    return guard([&] { return inner_->save_graph(path); });
  }
  Status load_graph(const std::string& path) override {
    return guard([&] { return inner_->load_graph(path); });
  }
  void drop_graph() override { inner_->drop_graph(); }
  GraphSummary graph_summary() const override { return inner_->graph_summary(); }
  Status get_nns_by_item(int64_t id, int64_t n, const SearchParams& search, const IdFilter* filter,
                         Neighbours* out) const override {
    return guard([&] { return inner_->get_nns_by_item(id, n, search, filter, out); });
  }
  Status get_nns_by_vector(const float* vector, size_t length, int64_t n, const SearchParams& search,
                           const IdFilter* filter, Neighbours* out) const override {
    return guard([&] { return inner_->get_nns_by_vector(vector, length, n, search, filter, out); });
  }
  Status query_batch(const float* vectors, size_t rows, size_t row_length, int64_t k, const SearchParams& search,
                     int64_t threads, const IdFilter* filter, BatchOutput out, bool background) const override {
    return guard(
        [&] { return inner_->query_batch(vectors, rows, row_length, k, search, threads, filter, out, background); });
  }
  Status query_batch_by_items(const int32_t* ids, size_t rows, int64_t k, const SearchParams& search, int64_t threads,
                              const IdFilter* filter, BatchOutput out, bool background) const override {
    return guard([&] { return inner_->query_batch_by_items(ids, rows, k, search, threads, filter, out, background); });
  }
  Status get_distance(int64_t i, int64_t j, float* out) const override {
    return guard([&] { return inner_->get_distance(i, j, out); });
  }
  Status get_item_vector(int64_t id, std::vector<float>* out) const override {
    return guard([&] { return inner_->get_item_vector(id, out); });
  }
  Status serialize(std::vector<uint8_t>* out) const override {
    return guard([&] { return inner_->serialize(out); });
  }
  Status serialize_graph(std::vector<uint8_t>* out) const override {
    return guard([&] { return inner_->serialize_graph(out); });
  }
  Status serialize_head(std::vector<uint8_t>* out) const override {
    return guard([&] { return inner_->serialize_head(out); });
  }
  size_t node_bytes() const override { return inner_->node_bytes(); }
  Status file_checksum(uint32_t* crc) const override {
    return guard([&] { return inner_->file_checksum(crc); });
  }
  Status copy_node_bytes(size_t offset, uint8_t* out, size_t length) const override {
    return inner_->copy_node_bytes(offset, out, length);
  }
  Status deserialize(const uint8_t* data, size_t length) override {
    return guard([&] { return inner_->deserialize(data, length); });
  }

 private:
  template <class Call>
  static Status guard(Call&& call) {
    return guard_allocations("out of memory", std::forward<Call>(call));
  }

  std::unique_ptr<Index> inner_;
};

}  // namespace annoy
