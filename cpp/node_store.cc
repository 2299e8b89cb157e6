#include "node_store.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "platform.h"

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
    other.kind_ = Kind::kNone;
    other.data_ = nullptr;
    other.bytes_ = 0;
    other.fd_ = -1;
    other.path_.clear();
  }
  return *this;
}

void NodeStore::release() {
  platform::unmap(data_, bytes_);
  platform::close_file(fd_);
  kind_ = Kind::kNone;
  data_ = nullptr;
  bytes_ = 0;
  fd_ = -1;
  path_.clear();
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
  if (kind_ == Kind::kOnDisk) return grow_file(target * node_size);
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

Status NodeStore::grow_file(size_t new_bytes) {
  // Unmap first: some systems cannot extend a file under a live mapping of it.
  platform::unmap(data_, bytes_);
  data_ = nullptr;
  bytes_ = 0;
  ANNOY_RETURN_IF_ERROR(platform::resize_file(fd_, new_bytes, path_));
  if (new_bytes > 0) {
    ANNOY_RETURN_IF_ERROR(platform::map_file(fd_, new_bytes, true, false, path_, &data_));
  }
  bytes_ = new_bytes;
  return Status::ok();
}

Status NodeStore::move_to_file(const std::string& path, size_t n_nodes, size_t node_size) {
  int fd = -1;
  ANNOY_RETURN_IF_ERROR(platform::create_file(path, &fd));
  NodeStore file;
  file.kind_ = Kind::kOnDisk;
  file.fd_ = fd;
  file.path_ = path;
  file.node_size_ = node_size;
  if (node_size > 0) {
    ANNOY_RETURN_IF_ERROR(file.grow_file(std::max<size_t>(n_nodes, 1) * node_size));
    if (n_nodes > 0) std::memcpy(file.data_, data_, n_nodes * node_size);
  }
  *this = std::move(file);
  return Status::ok();
}

Status NodeStore::finish_file(size_t n_nodes) {
  if (kind_ != Kind::kOnDisk) return Status::ok();
  ANNOY_RETURN_IF_ERROR(grow_file(n_nodes * node_size_));
  return platform::sync_mapping(data_, bytes_, path_);
}

Status NodeStore::map_readonly(const std::string& path, bool prefault, uint64_t* file_bytes) {
  int fd = -1;
  uint64_t size = 0;
  ANNOY_RETURN_IF_ERROR(platform::open_readonly(path, &fd, &size));
  NodeStore mapped;
  mapped.kind_ = Kind::kMapped;
  mapped.fd_ = fd;
  mapped.path_ = path;
  if (size > 0) {
    ANNOY_RETURN_IF_ERROR(
        platform::map_file(fd, static_cast<size_t>(size), false, prefault, path, &mapped.data_));
    mapped.bytes_ = static_cast<size_t>(size);
  }
  *this = std::move(mapped);
  *file_bytes = size;
  return Status::ok();
}

}  // namespace annoy
