// A k-nearest-neighbour graph over an index's items (docs/graph.md): a fixed number of slots per
// item (the degree), each a neighbour id or -1 once the row has no more neighbours. Rows are kept
// in one array, either owned or inside a mapped sidecar file, so a query reads one contiguous row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "platform.h"

namespace annoy {

constexpr int32_t kNoNeighbour = -1;

class NeighbourGraph {
 public:
  NeighbourGraph(int32_t n_items, int32_t degree, std::vector<int32_t> rows)
      : n_items_(n_items), degree_(degree), owned_(std::move(rows)) {
    rows_ = owned_.data();
    count_edges();
  }
  // Serves rows that live at `rows` inside a read-only mapping of map_bytes, which it unmaps.
  NeighbourGraph(int32_t n_items, int32_t degree, uint8_t* mapping, size_t map_bytes, const int32_t* rows)
      : n_items_(n_items), degree_(degree), rows_(rows), mapping_(mapping), map_bytes_(map_bytes) {
    count_edges();
  }
  ~NeighbourGraph() {
    if (mapping_ != nullptr) platform::unmap(mapping_, map_bytes_);
  }
  NeighbourGraph(const NeighbourGraph&) = delete;
  NeighbourGraph& operator=(const NeighbourGraph&) = delete;

  int32_t n_items() const { return n_items_; }
  int32_t degree() const { return degree_; }
  uint64_t edges() const { return edges_; }
  const int32_t* row(int32_t id) const { return rows_ + static_cast<size_t>(id) * static_cast<size_t>(degree_); }
  const int32_t* rows() const { return rows_; }
  size_t row_bytes() const { return static_cast<size_t>(n_items_) * static_cast<size_t>(degree_) * sizeof(int32_t); }
  // What the graph holds in memory or maps: its rows (the sidecar's header is noise).
  size_t memory_bytes() const { return row_bytes(); }

 private:
  void count_edges() {
    const size_t slots = static_cast<size_t>(n_items_) * static_cast<size_t>(degree_);
    for (size_t i = 0; i < slots; ++i) edges_ += rows_[i] != kNoNeighbour ? 1 : 0;
  }

  int32_t n_items_;
  int32_t degree_;
  const int32_t* rows_ = nullptr;
  std::vector<int32_t> owned_;
  uint8_t* mapping_ = nullptr;
  size_t map_bytes_ = 0;
  uint64_t edges_ = 0;
};

}  // namespace annoy
