// Where the nodes live: anonymous memory (heap), a read-write file mapping during an on-disk
// build, or a read-only mapping of a loaded file. The index owns exactly one NodeStore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "status.h"

namespace annoy {

class NodeStore {
 public:
  enum class Kind { kNone, kHeap, kOnDisk, kMapped };

  NodeStore() = default;
  ~NodeStore();
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;
  NodeStore(NodeStore&& other) noexcept;
  NodeStore& operator=(NodeStore&& other) noexcept;

  // Makes room for at least n_nodes nodes (zero-filled), growing by Annoy's factor of 1.3.
  // A store with no storage yet becomes a heap store.
  Status reserve(size_t n_nodes, size_t node_size);
  // Becomes an on-disk store at path, keeping the first n_nodes nodes held so far.
  Status move_to_file(const std::string& path, size_t n_nodes, size_t node_size);
  // On-disk: cuts the file to exactly n_nodes nodes and flushes it.
  Status finish_file(size_t n_nodes);
  // Maps path read-only; its size must then be checked by the caller.
  Status map_readonly(const std::string& path, bool prefault, uint64_t* file_bytes);

  void release();
  // For stores backed by a file: whether its path still names that file.
  Status check_file() const;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t capacity_nodes() const { return node_size_ == 0 ? 0 : bytes_ / node_size_; }
  size_t bytes() const { return bytes_; }
  Kind kind() const { return kind_; }
  const std::string& path() const { return path_; }

 private:
  Status grow_heap(size_t new_bytes);
  Status grow_file(size_t new_bytes);

  Kind kind_ = Kind::kNone;
  uint8_t* data_ = nullptr;
  size_t bytes_ = 0;
  size_t node_size_ = 0;
  int fd_ = -1;
  std::string path_;
};

}  // namespace annoy
