// The serialize()/deserialize() snapshot: a 64-byte header, the root ids, then the nodes exactly
// as in an Annoy file. Layout (little-endian) in docs/format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "metric.h"
#include "status.h"

namespace annoy {

constexpr char kSnapshotMagic[8] = {'A', 'N', 'N', 'O', 'Y', 'N', 'J', 'S'};
constexpr uint32_t kSnapshotVersion = 1;
constexpr size_t kSnapshotHeaderSize = 64;

struct SnapshotInfo {
  Metric metric = Metric::kAngular;
  int32_t f = 0;
  uint32_t node_size = 0;
  bool built = false;
  int32_t n_items = 0;
  uint64_t n_nodes = 0;
  uint64_t seed = 0;
  std::vector<int32_t> roots;
};

void write_snapshot(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out);
// The header and root ids alone (the checksum still covers the nodes): with the node bytes
// appended, this is write_snapshot's output. Lets a caller stream a large snapshot in chunks.
void write_snapshot_head(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out);
// Checks the magic, version, header checksum, sizes and payload checksum; on success *nodes
// points into data and *snapshot_bytes is the forest's length. Bytes after it are the graph's
// image (graph_file.h), which the caller checks.
Status read_snapshot(const uint8_t* data, size_t length, SnapshotInfo* info, const uint8_t** nodes,
                     size_t* snapshot_bytes);

}  // namespace annoy
