#include "graph_file.h"

#include <cstring>

#include "byte_fields.h"
#include "checksum.h"

namespace annoy {

namespace {

// Header offsets (docs/format.md "Graph sidecar"), a line per group: identity, shape, the Annoy
// file it belongs to and the edge count (bytes 44-47 are zero), checksums.
// clang-format off
enum : size_t {
  kMagic = 0, kVersion = 8, kHeaderSize = 12,
  kMetric = 16, kDimension = 20, kItemCount = 24, kDegree = 28,
  kAnnBytes = 32, kAnnCrc = 40, kEdges = 48,
  kRowsCrc = 56, kHeaderCrc = 60,
};
// clang-format on

}  // namespace

Status graph_corrupt(const std::string& why) {
  return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi neighbour graph: " + why);
}

void write_graph_image(const GraphOwner& owner, const NeighbourGraph& graph, std::vector<uint8_t>* out) {
  const size_t rows_bytes = graph.row_bytes();
  out->assign(kGraphHeaderSize + rows_bytes, 0);
  uint8_t* h = out->data();
  write_header_prelude(h, kGraphMagic, kGraphVersion);
  put_field<uint32_t>(h + kMetric, static_cast<uint32_t>(owner.metric));
  put_field<int32_t>(h + kDimension, owner.f);
  put_field<int32_t>(h + kItemCount, owner.n_items);
  put_field<int32_t>(h + kDegree, graph.degree());
  put_field<uint64_t>(h + kAnnBytes, owner.ann_bytes);
  put_field<uint32_t>(h + kAnnCrc, owner.ann_crc);
  put_field<uint64_t>(h + kEdges, graph.edges());
  if (rows_bytes > 0) std::memcpy(h + kGraphHeaderSize, graph.rows(), rows_bytes);
  put_field<uint32_t>(h + kRowsCrc, crc32(h + kGraphHeaderSize, rows_bytes));
  seal_header(h);
}

Status read_graph_header(const uint8_t* data, size_t length, GraphHeader* header) {
  const std::string problem = header_prelude_problem(data, length, kGraphMagic, kGraphVersion, "saveGraph() or save()");
  if (!problem.empty()) return graph_corrupt(problem);
  const uint32_t metric = get_field<uint32_t>(data + kMetric);
  if (metric > static_cast<uint32_t>(Metric::kHamming)) return graph_corrupt("unknown metric id");
  header->owner.metric = static_cast<Metric>(metric);
  header->owner.f = get_field<int32_t>(data + kDimension);
  header->owner.n_items = get_field<int32_t>(data + kItemCount);
  header->owner.ann_bytes = get_field<uint64_t>(data + kAnnBytes);
  header->owner.ann_crc = get_field<uint32_t>(data + kAnnCrc);
  header->degree = get_field<int32_t>(data + kDegree);
  header->edges = get_field<uint64_t>(data + kEdges);
  header->rows_crc = get_field<uint32_t>(data + kRowsCrc);
  if (header->owner.f <= 0 || header->owner.n_items < 0) return graph_corrupt("impossible dimension or item count");
  if (header->degree < 1 || header->degree > kMaxGraphDegree) {
    return graph_corrupt("degree " + std::to_string(header->degree) + " is outside [1, " +
                         std::to_string(kMaxGraphDegree) + "]");
  }
  return Status::ok();
}

bool graph_belongs(const GraphOwner& found, const GraphOwner& expected, std::string* why) {
  if (found.metric != expected.metric) {
    *why = std::string("it is for metric ") + metric_name(found.metric);
  } else if (found.f != expected.f) {
    *why = "it is for f = " + std::to_string(found.f);
  } else if (found.n_items != expected.n_items) {
    *why = "it is for " + std::to_string(found.n_items) + " items";
  } else if (found.ann_bytes != expected.ann_bytes || found.ann_crc != expected.ann_crc) {
    *why = "it was built for other index bytes (size or CRC-32 differs)";
  } else {
    return true;
  }
  return false;
}

}  // namespace annoy
