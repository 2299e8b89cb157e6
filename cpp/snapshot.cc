#include "snapshot.h"

#include <cstring>
#include <string>

#include "byte_fields.h"
#include "checksum.h"

namespace annoy {

namespace {

// Header offsets (docs/format.md "Snapshots (`serialize`, `deserialize`)"), a line per group: identity, shape, counts,
// checksums.
// clang-format off
enum : size_t {
  kMagic = 0, kVersion = 8, kHeaderSize = 12,
  kMetric = 16, kDimension = 20, kNodeSize = 24, kFlags = 28,
  kNodeCount = 32, kItemCount = 40, kRootCount = 44, kSeed = 48,
  kPayloadCrc = 56, kHeaderCrc = 60,
};
// clang-format on

constexpr uint32_t kFlagBuilt = 1;
// A graph image starts with its 64-byte header (graph_file.h): fewer trailing bytes are padding.
constexpr uint64_t kGraphImageMinimum = 64;

Status bad(const std::string& why) {
  return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: " + why);
}

}  // namespace

void write_snapshot_head(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out) {
  const size_t roots_bytes = info.roots.size() * sizeof(int32_t);
  const size_t nodes_bytes = static_cast<size_t>(info.n_nodes) * info.node_size;
  out->assign(kSnapshotHeaderSize + roots_bytes, 0);
  uint8_t* h = out->data();
  write_header_prelude(h, kSnapshotMagic, kSnapshotVersion);
  put_field<uint32_t>(h + kMetric, static_cast<uint32_t>(info.metric));
  put_field<int32_t>(h + kDimension, info.f);
  put_field<uint32_t>(h + kNodeSize, info.node_size);
  put_field<uint32_t>(h + kFlags, info.built ? kFlagBuilt : 0);
  put_field<uint64_t>(h + kNodeCount, info.n_nodes);
  put_field<int32_t>(h + kItemCount, info.n_items);
  put_field<uint32_t>(h + kRootCount, static_cast<uint32_t>(info.roots.size()));
  put_field<uint64_t>(h + kSeed, info.seed);
  uint8_t* payload = h + kSnapshotHeaderSize;
  if (roots_bytes > 0) std::memcpy(payload, info.roots.data(), roots_bytes);
  uint32_t crc = crc32(payload, roots_bytes);
  if (nodes_bytes > 0) crc = crc32(nodes, nodes_bytes, crc);
  put_field<uint32_t>(h + kPayloadCrc, crc);
  seal_header(h);
}

void write_snapshot(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out) {
  write_snapshot_head(info, nodes, out);
  const size_t nodes_bytes = static_cast<size_t>(info.n_nodes) * info.node_size;
  if (nodes_bytes > 0) out->insert(out->end(), nodes, nodes + nodes_bytes);
}

Status read_snapshot(const uint8_t* data, size_t length, SnapshotInfo* info, const uint8_t** nodes,
                     size_t* snapshot_bytes) {
  const std::string problem = header_prelude_problem(data, length, kSnapshotMagic, kSnapshotVersion, "serialize()");
  if (!problem.empty()) return bad(problem);
  const uint32_t metric = get_field<uint32_t>(data + kMetric);
  if (metric > static_cast<uint32_t>(Metric::kHamming)) return bad("unknown metric id");
  info->metric = static_cast<Metric>(metric);
  info->f = get_field<int32_t>(data + kDimension);
  info->node_size = get_field<uint32_t>(data + kNodeSize);
  info->built = (get_field<uint32_t>(data + kFlags) & kFlagBuilt) != 0;
  info->n_nodes = get_field<uint64_t>(data + kNodeCount);
  info->n_items = get_field<int32_t>(data + kItemCount);
  info->seed = get_field<uint64_t>(data + kSeed);
  const uint32_t n_roots = get_field<uint32_t>(data + kRootCount);
  if (info->f <= 0 || info->node_size == 0 || info->n_items < 0) return bad("impossible dimension or counts");
  if (info->n_nodes > static_cast<uint64_t>(INT32_MAX) || info->n_nodes < static_cast<uint64_t>(info->n_items)) {
    return bad("impossible node count");
  }

  const uint64_t roots_bytes = uint64_t{n_roots} * sizeof(int32_t);
  const uint64_t nodes_bytes = info->n_nodes * info->node_size;
  const uint64_t expected = kSnapshotHeaderSize + roots_bytes + nodes_bytes;
  if (expected > length || (expected < length && length - expected < kGraphImageMinimum)) {
    return bad("expected " + std::to_string(expected) + " bytes for its counts, received " + std::to_string(length) +
               " (truncated or padded?)");
  }
  const uint8_t* payload = data + kSnapshotHeaderSize;
  if (get_field<uint32_t>(data + kPayloadCrc) != crc32(payload, static_cast<size_t>(roots_bytes + nodes_bytes))) {
    return bad("the payload checksum does not match (the bytes were altered)");
  }
  info->roots.resize(n_roots);
  if (n_roots > 0) std::memcpy(info->roots.data(), payload, static_cast<size_t>(roots_bytes));
  *nodes = payload + roots_bytes;
  *snapshot_bytes = static_cast<size_t>(expected);
  return Status::ok();
}

}  // namespace annoy
