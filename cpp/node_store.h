// Where the nodes live: anonymous memory (heap), a read-write file mapping during an on-disk
// build, or a read-only mapping of a loaded file. The index owns exactly one NodeStore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "platform.h"
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
  // A store with no storage yet becomes a heap store. On failure the store is as it was.
  Status reserve(size_t n_nodes, size_t node_size);
  // Becomes an on-disk store for path, keeping the first n_nodes nodes held so far. The nodes
  // go to a temporary file beside path until finish_file(): a reader that mapped the file at
  // path keeps reading the old one (issue #10, C3).
  Status move_to_file(const std::string& path, size_t n_nodes, size_t node_size);
  // On-disk: cuts the file to exactly n_nodes nodes, flushes it and renames it over its path.
  Status finish_file(size_t n_nodes);
  // On-disk, after finish_file(): whether the file now stands at its path.
  bool file_is_committed() const { return kind_ == Kind::kOnDisk && temp_.name.empty(); }
  // Maps path read-only, without reading it in; its size must then be checked by the caller,
  // before prefault() reads the pages in (issue #10, M2).
  Status map_readonly(const std::string& path, uint64_t* file_bytes);
  void prefault() const { platform::prefault(data_, bytes_); }
  // Reads path into memory of its own (a heap store): what happens to the file afterwards
  // cannot reach the index. Reads exactly the size the file had when opened.
  Status read_copy(const std::string& path, uint64_t* file_bytes);

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
  Status resize_file(size_t new_bytes);

  Kind kind_ = Kind::kNone;
  uint8_t* data_ = nullptr;
  size_t bytes_ = 0;
  size_t node_size_ = 0;
  int fd_ = -1;
  std::string path_;
  // On-disk before finish_file(): the temporary file's directory and name.
  platform::TempFile temp_;
};

}  // namespace annoy
