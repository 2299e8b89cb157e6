#include "node_store.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace annoy {

NodeStore::~NodeStore() { release(); }

NodeStore::NodeStore(NodeStore&& other) noexcept { *this = std::move(other); }

NodeStore& NodeStore::operator=(NodeStore&& other) noexcept {
  if (this != &other) {
    release();
    kind_ = other.kind_;
    data_ = other.data_;
    bytes_ = other.bytes_;
    node_size_ = other.node_size_;
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    temp_ = std::move(other.temp_);
    other.kind_ = Kind::kNone;
    other.data_ = nullptr;
    other.bytes_ = 0;
    other.fd_ = -1;
    other.path_.clear();
    other.temp_ = platform::TempFile();
  }
  return *this;
}

void NodeStore::release() {
  platform::unmap(data_, bytes_);
  platform::close_file(fd_);
  platform::discard_temp(&temp_);  // an on-disk build that never finished leaves no file behind
  kind_ = Kind::kNone;
  data_ = nullptr;
  bytes_ = 0;
  fd_ = -1;
  path_.clear();
  temp_ = platform::TempFile();
}

Status NodeStore::check_file() const {
  if (fd_ < 0) return Status::error(ErrorKind::kInternal, "the index has no file");
  return platform::check_path_names_fd(path_, fd_);
}

Status NodeStore::reserve(size_t n_nodes, size_t node_size) {
  if (kind_ == Kind::kMapped) {
    return Status::error(ErrorKind::kReadOnly, "the index is a read-only mapped file");
  }
  node_size_ = node_size;
  const size_t have = capacity_nodes();
  if (n_nodes <= have && kind_ != Kind::kNone) return Status::ok();
  const size_t grown = static_cast<size_t>(static_cast<double>(have + 1) * 1.3);
  const size_t target = std::max(n_nodes, grown);
  if (kind_ == Kind::kOnDisk) return resize_file(target * node_size);
  return grow_heap(target * node_size);
}

Status NodeStore::grow_heap(size_t new_bytes) {
  uint8_t* fresh = nullptr;
  if (data_ == nullptr) {
    ANNOY_RETURN_IF_ERROR(platform::map_anonymous(new_bytes, &fresh));
  } else {
    ANNOY_RETURN_IF_ERROR(platform::grow_anonymous(data_, bytes_, new_bytes, &fresh));
  }
  kind_ = Kind::kHeap;
  data_ = fresh;
  bytes_ = new_bytes;
  return Status::ok();
}

// The file is resized first, its new blocks reserved, and the new mapping made before the old
// one goes: any failure (a full disk, no address space) leaves the store with its old mapping
// and the file with its old size, so the index is as it was.
Status NodeStore::resize_file(size_t new_bytes) {
  const size_t old_bytes = bytes_;
  const std::string& name = temp_.path.empty() ? path_ : temp_.path;
  if (new_bytes > old_bytes) ANNOY_RETURN_IF_ERROR(platform::resize_file(fd_, old_bytes, new_bytes, name));
  uint8_t* fresh = nullptr;
  if (new_bytes > 0) {
    const Status mapped = platform::map_file(fd_, new_bytes, true, name, &fresh);
    if (!mapped.is_ok()) {
      // Give the reserved growth back; if even that fails, the file is only longer than the
      // mapping, which nothing reads, and the mapping error is the one to report.
      if (new_bytes > old_bytes) static_cast<void>(platform::resize_file(fd_, new_bytes, old_bytes, name));
      return mapped;
    }
  }
  platform::unmap(data_, bytes_);
  data_ = fresh;
  bytes_ = new_bytes;
  if (new_bytes < old_bytes) ANNOY_RETURN_IF_ERROR(platform::resize_file(fd_, old_bytes, new_bytes, name));
  return Status::ok();
}

Status NodeStore::move_to_file(const std::string& path, size_t n_nodes, size_t node_size) {
  NodeStore file;
  ANNOY_RETURN_IF_ERROR(platform::create_temp_beside(path, &file.temp_));
  file.kind_ = Kind::kOnDisk;
  file.fd_ = file.temp_.fd;
  file.path_ = path;
  file.node_size_ = node_size;
  if (node_size > 0) {
    ANNOY_RETURN_IF_ERROR(file.resize_file(std::max<size_t>(n_nodes, 1) * node_size));
    if (n_nodes > 0) std::memcpy(file.data_, data_, n_nodes * node_size);
  }
  *this = std::move(file);
  return Status::ok();
}

Status NodeStore::finish_file(size_t n_nodes) {
  if (kind_ != Kind::kOnDisk) return Status::ok();
  ANNOY_RETURN_IF_ERROR(resize_file(n_nodes * node_size_));
  ANNOY_RETURN_IF_ERROR(platform::sync_mapping(data_, bytes_, path_));
  if (temp_.name.empty()) return Status::ok();
  return platform::commit_temp(&temp_);
}

Status NodeStore::read_copy(const std::string& path, uint64_t* file_bytes) {
  int fd = -1;
  uint64_t size = 0;
  ANNOY_RETURN_IF_ERROR(platform::open_readonly(path, &fd, &size));
  NodeStore copy;
  copy.fd_ = fd;  // closed with `copy` on every path out; a heap store keeps no file
  if (size > static_cast<uint64_t>(SIZE_MAX)) {
    return Status::error(ErrorKind::kInvalidFile, "load: '" + path + "' is larger than this machine can hold", 0, path);
  }
  if (size > 0) {
    ANNOY_RETURN_IF_ERROR(copy.grow_heap(static_cast<size_t>(size)));
    ANNOY_RETURN_IF_ERROR(platform::read_exactly(fd, copy.data_, static_cast<size_t>(size), path));
  }
  platform::close_file(copy.fd_);
  copy.fd_ = -1;
  copy.kind_ = Kind::kHeap;
  *this = std::move(copy);
  *file_bytes = size;
  return Status::ok();
}

Status NodeStore::map_readonly(const std::string& path, uint64_t* file_bytes) {
  int fd = -1;
  uint64_t size = 0;
  ANNOY_RETURN_IF_ERROR(platform::open_readonly(path, &fd, &size));
  NodeStore mapped;
  mapped.kind_ = Kind::kMapped;
  mapped.fd_ = fd;
  mapped.path_ = path;
  if (size > static_cast<uint64_t>(SIZE_MAX)) {
    return Status::error(ErrorKind::kInvalidFile, "load: '" + path + "' is larger than this machine can map", 0, path);
  }
  if (size > 0) {
    ANNOY_RETURN_IF_ERROR(platform::map_file(fd, static_cast<size_t>(size), false, path, &mapped.data_));
    mapped.bytes_ = static_cast<size_t>(size);
  }
  *this = std::move(mapped);
  *file_bytes = size;
  return Status::ok();
}

}  // namespace annoy
