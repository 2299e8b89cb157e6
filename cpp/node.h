// Raw access to Annoy nodes. A node is `node_size` bytes: int32 n_descendants at offset 0, then the
// metric's fields (docs/format.md "Node layouts"). Buffers are page-aligned and every node size is
// a multiple of 4 (of 8 for hamming), so the typed pointers below are properly aligned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace annoy {

inline int32_t node_nd(const uint8_t* node) {
  int32_t nd;
  std::memcpy(&nd, node, sizeof nd);
  return nd;
}

inline void set_node_nd(uint8_t* node, int32_t nd) { std::memcpy(node, &nd, sizeof nd); }

inline const int32_t* node_ids(const uint8_t* node, size_t children_offset) {
  return reinterpret_cast<const int32_t*>(node + children_offset);
}

inline int32_t* node_ids(uint8_t* node, size_t children_offset) {
  return reinterpret_cast<int32_t*>(node + children_offset);
}

inline float node_float(const uint8_t* node, size_t offset) {
  float value;
  std::memcpy(&value, node + offset, sizeof value);
  return value;
}

inline void set_node_float(uint8_t* node, size_t offset, float value) {
  std::memcpy(node + offset, &value, sizeof value);
}

// Asks the CPU to start loading a node's first `bytes` (whole cache lines) for a read soon after.
inline void prefetch_node(const uint8_t* node, size_t bytes) {
#if defined(__GNUC__) || defined(__clang__)
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(node + offset, 0, 3);
#else
  (void)node;
  (void)bytes;
#endif
}

// How many nodes ahead of the one in use a scan over scattered nodes should start loading:
// about 4 KiB of them, at least 2 and at most 16. For GloVe's 412-byte nodes that is 9, which
// measured ~1.3x the queries/s of 2 (bench/ab.js query).
inline size_t prefetch_distance(size_t node_size) {
  const size_t nodes = 4096 / node_size;
  return nodes < 2 ? 2 : (nodes > 16 ? 16 : nodes);
}

// For a node of a block numbered as if it came right after the items, placed `shift` nodes later:
// a split's children that are nodes (ids >= n_items) move with it; item ids, and the ids that
// leaves list, do not.
inline void shift_children(uint8_t* node, size_t children_offset, int32_t shift, int32_t n_items,
                           int32_t bucket_capacity) {
  if (node_nd(node) <= bucket_capacity) return;
  int32_t* children = node_ids(node, children_offset);
  for (int c = 0; c < 2; ++c) {
    if (children[c] >= n_items) children[c] += shift;
  }
}

// How many ids fit in a bucket: the id list runs from the children field to the node's end.
inline int32_t bucket_capacity(size_t node_size, size_t children_offset) {
  return static_cast<int32_t>((node_size - children_offset) / sizeof(int32_t));
}

}  // namespace annoy
