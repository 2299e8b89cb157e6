// validate_graph_rows (graph_file.h): the complete check of a sidecar's rows before use.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "checksum.h"
#include "graph_file.h"

namespace annoy {

template <class IsItem>
Status validate_graph_rows(const GraphHeader& header, const uint8_t* data, size_t length, IsItem is_item) {
  const int32_t n_items = header.owner.n_items;
  const uint64_t slots = static_cast<uint64_t>(n_items) * static_cast<uint64_t>(header.degree);
  const uint64_t expected = kGraphHeaderSize + slots * sizeof(int32_t);
  if (expected != length) {
    return graph_corrupt("expected " + std::to_string(expected) + " bytes for its counts, received " +
                         std::to_string(length) + " (truncated or padded?)");
  }
  const uint8_t* payload = data + kGraphHeaderSize;
  if (header.rows_crc != crc32(payload, static_cast<size_t>(slots * sizeof(int32_t)))) {
    return graph_corrupt("the rows' checksum does not match (the bytes were altered)");
  }
  // Repeats within a row are found with a stamp per item: the row's id marks what it holds.
  std::vector<int32_t> stamp(static_cast<size_t>(n_items), -1);
  uint64_t edges = 0;
  for (int32_t v = 0; v < n_items; ++v) {
    const uint8_t* row = payload + static_cast<size_t>(v) * static_cast<size_t>(header.degree) * sizeof(int32_t);
    const bool item = is_item(v);
    bool padding = false;
    for (int32_t j = 0; j < header.degree; ++j) {
      int32_t id;
      std::memcpy(&id, row + static_cast<size_t>(j) * sizeof(int32_t), sizeof id);
      if (id == kNoNeighbour) {
        padding = true;
        continue;
      }
      auto fail = [&](const std::string& why) {
        return graph_corrupt("row " + std::to_string(v) + " slot " + std::to_string(j) + ": " + why);
      };
      if (!item) return fail("a hole has neighbours");
      if (padding) return fail("a neighbour after the row's padding");
      if (id < 0 || id >= n_items) return fail("neighbour id " + std::to_string(id) + " out of range");
      if (id == v) return fail("an item is its own neighbour");
      if (!is_item(id)) return fail("neighbour " + std::to_string(id) + " is a hole");
      if (stamp[static_cast<size_t>(id)] == v) return fail("a repeated neighbour");
      stamp[static_cast<size_t>(id)] = v;
      ++edges;
    }
  }
  if (edges != header.edges) {
    return graph_corrupt("the header counts " + std::to_string(header.edges) + " edges, the rows hold " +
                         std::to_string(edges));
  }
  return Status::ok();
}

}  // namespace annoy
