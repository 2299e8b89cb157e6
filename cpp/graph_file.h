// The neighbour-graph sidecar (docs/format.md "Graph sidecar"): a 64-byte header that names the
// Annoy file it belongs to (metric, f, item count, that file's size and CRC-32), then the rows,
// n_items x degree little-endian int32. The same image is the graph section of a snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "metric.h"
#include "neighbour_graph.h"
#include "status.h"

namespace annoy {

constexpr char kGraphMagic[8] = {'A', 'N', 'N', 'O', 'Y', 'N', 'N', 'G'};
constexpr uint32_t kGraphVersion = 1;
constexpr size_t kGraphHeaderSize = 64;
constexpr int32_t kMaxGraphDegree = 1024;

// The sidecar of the Annoy file at `ann_path`.
inline std::string graph_path_for(const std::string& ann_path) { return ann_path + ".graph"; }

// What a graph belongs to: the forest's identity and its node bytes (the .ann file).
struct GraphOwner {
  Metric metric = Metric::kAngular;
  int32_t f = 0;
  int32_t n_items = 0;
  uint64_t ann_bytes = 0;
  uint32_t ann_crc = 0;
};

struct GraphHeader {
  GraphOwner owner;
  int32_t degree = 0;
  uint64_t edges = 0;
  uint32_t rows_crc = 0;
};

// The header, then the rows.
void write_graph_image(const GraphOwner& owner, const NeighbourGraph& graph, std::vector<uint8_t>* out);

// Checks the magic, version, header size and header checksum, and reads the fields; a failure is
// kCorrupt. Whether the graph belongs to a forest is the caller's comparison of header->owner.
Status read_graph_header(const uint8_t* data, size_t length, GraphHeader* header);

// Whether the header names the same forest; if not, *why says which field differs.
bool graph_belongs(const GraphOwner& found, const GraphOwner& expected, std::string* why);

// Everything else, before any row is used: the length for the header's counts, the payload
// checksum, and every row: ids in range and items of the forest (is_item), no self loop, no
// repeat, padding (-1) only after the last neighbour, and the header's edge count. kCorrupt.
template <class IsItem>
Status validate_graph_rows(const GraphHeader& header, const uint8_t* data, size_t length, IsItem is_item);

Status graph_corrupt(const std::string& why);

}  // namespace annoy

#include "graph_file_rows.h"  // NOLINT(build/include_order): the template above
