#include "snapshot.h"

#include <cstring>
#include <string>

#include "checksum.h"

namespace annoy {

namespace {

template <class T>
void put(uint8_t* at, T value) {
  std::memcpy(at, &value, sizeof value);
}

template <class T>
T get(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

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

Status bad(const std::string& why) {
  return Status::error(ErrorKind::kCorrupt, "not a valid annoy-napi snapshot: " + why);
}

}  // namespace

void write_snapshot_head(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out) {
  const size_t roots_bytes = info.roots.size() * sizeof(int32_t);
  const size_t nodes_bytes = static_cast<size_t>(info.n_nodes) * info.node_size;
  out->assign(kSnapshotHeaderSize + roots_bytes, 0);
  uint8_t* h = out->data();
  std::memcpy(h + kMagic, kSnapshotMagic, sizeof kSnapshotMagic);
  put<uint32_t>(h + kVersion, kSnapshotVersion);
  put<uint32_t>(h + kHeaderSize, kSnapshotHeaderSize);
  put<uint32_t>(h + kMetric, static_cast<uint32_t>(info.metric));
  put<int32_t>(h + kDimension, info.f);
  put<uint32_t>(h + kNodeSize, info.node_size);
  put<uint32_t>(h + kFlags, info.built ? kFlagBuilt : 0);
  put<uint64_t>(h + kNodeCount, info.n_nodes);
  put<int32_t>(h + kItemCount, info.n_items);
  put<uint32_t>(h + kRootCount, static_cast<uint32_t>(info.roots.size()));
  put<uint64_t>(h + kSeed, info.seed);
  uint8_t* payload = h + kSnapshotHeaderSize;
  if (roots_bytes > 0) std::memcpy(payload, info.roots.data(), roots_bytes);
  uint32_t crc = crc32(payload, roots_bytes);
  if (nodes_bytes > 0) crc = crc32(nodes, nodes_bytes, crc);
  put<uint32_t>(h + kPayloadCrc, crc);
  put<uint32_t>(h + kHeaderCrc, crc32(h, kHeaderCrc));
}

void write_snapshot(const SnapshotInfo& info, const uint8_t* nodes, std::vector<uint8_t>* out) {
  write_snapshot_head(info, nodes, out);
  const size_t nodes_bytes = static_cast<size_t>(info.n_nodes) * info.node_size;
  if (nodes_bytes > 0) out->insert(out->end(), nodes, nodes + nodes_bytes);
}

Status read_snapshot(const uint8_t* data, size_t length, SnapshotInfo* info, const uint8_t** nodes) {
  if (length < kSnapshotHeaderSize) {
    return bad("expected at least " + std::to_string(kSnapshotHeaderSize) + " bytes, received " +
               std::to_string(length));
  }
  if (std::memcmp(data + kMagic, kSnapshotMagic, sizeof kSnapshotMagic) != 0) {
    return bad("the magic number is missing (was it made by serialize()?)");
  }
  const uint32_t version = get<uint32_t>(data + kVersion);
  if (version != kSnapshotVersion) {
    return bad("format version " + std::to_string(version) + " is not supported (expected " +
               std::to_string(kSnapshotVersion) + ")");
  }
  if (get<uint32_t>(data + kHeaderCrc) != crc32(data, kHeaderCrc)) return bad("the header checksum does not match");
  if (get<uint32_t>(data + kHeaderSize) != kSnapshotHeaderSize) return bad("unexpected header size");

  const uint32_t metric = get<uint32_t>(data + kMetric);
  if (metric > static_cast<uint32_t>(Metric::kHamming)) return bad("unknown metric id");
  info->metric = static_cast<Metric>(metric);
  info->f = get<int32_t>(data + kDimension);
  info->node_size = get<uint32_t>(data + kNodeSize);
  info->built = (get<uint32_t>(data + kFlags) & kFlagBuilt) != 0;
  info->n_nodes = get<uint64_t>(data + kNodeCount);
  info->n_items = get<int32_t>(data + kItemCount);
  info->seed = get<uint64_t>(data + kSeed);
  const uint32_t n_roots = get<uint32_t>(data + kRootCount);
  if (info->f <= 0 || info->node_size == 0 || info->n_items < 0) return bad("impossible dimension or counts");
  if (info->n_nodes > static_cast<uint64_t>(INT32_MAX) || info->n_nodes < static_cast<uint64_t>(info->n_items)) {
    return bad("impossible node count");
  }

  const uint64_t roots_bytes = uint64_t{n_roots} * sizeof(int32_t);
  const uint64_t nodes_bytes = info->n_nodes * info->node_size;
  const uint64_t expected = kSnapshotHeaderSize + roots_bytes + nodes_bytes;
  if (expected != length) {
    return bad("expected " + std::to_string(expected) + " bytes for its counts, received " + std::to_string(length) +
               " (truncated or padded?)");
  }
  const uint8_t* payload = data + kSnapshotHeaderSize;
  if (get<uint32_t>(data + kPayloadCrc) != crc32(payload, static_cast<size_t>(roots_bytes + nodes_bytes))) {
    return bad("the payload checksum does not match (the bytes were altered)");
  }
  info->roots.resize(n_roots);
  if (n_roots > 0) std::memcpy(info->roots.data(), payload, static_cast<size_t>(roots_bytes));
  *nodes = payload + roots_bytes;
  return Status::ok();
}

}  // namespace annoy
