#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#if defined(__APPLE__)
#include <pthread.h>
#include <pthread/qos.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>

#include "platform.h"

namespace annoy {
namespace platform {

namespace {

Status io_error(const std::string& what, const std::string& path, int err) {
  return Status::error(ErrorKind::kIo, what + " '" + path + "': " + std::strerror(err), err, path);
}

Status out_of_memory(size_t bytes, int err) {
  return Status::error(ErrorKind::kOutOfMemory,
                       "could not reserve " + std::to_string(bytes) + " bytes: " + std::strerror(err),
                       err);
}

}  // namespace

Status map_anonymous(size_t bytes, uint8_t** out) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return out_of_memory(bytes, errno);
  *out = static_cast<uint8_t*>(p);
  return Status::ok();
}

Status grow_anonymous(uint8_t* old_data, size_t old_bytes, size_t new_bytes, uint8_t** out) {
#ifdef __linux__
  void* p = mremap(old_data, old_bytes, new_bytes, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) return out_of_memory(new_bytes, errno);
  *out = static_cast<uint8_t*>(p);
  return Status::ok();
#else
  uint8_t* fresh = nullptr;
  ANNOY_RETURN_IF_ERROR(map_anonymous(new_bytes, &fresh));
  std::memcpy(fresh, old_data, old_bytes);
  munmap(old_data, old_bytes);
  *out = fresh;
  return Status::ok();
#endif
}

void unmap(uint8_t* data, size_t bytes) {
  if (data != nullptr && bytes > 0) munmap(data, bytes);
}

Status create_file(const std::string& path, int* fd) {
  const int f = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (f < 0) return io_error("cannot create", path, errno);
  *fd = f;
  return Status::ok();
}

Status resize_file(int fd, size_t bytes, const std::string& path) {
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) return io_error("cannot resize", path, errno);
  return Status::ok();
}

Status map_file(int fd, size_t bytes, bool writable, bool prefault, const std::string& path,
                uint8_t** out) {
  int flags = MAP_SHARED;
#ifdef MAP_POPULATE
  if (prefault) flags |= MAP_POPULATE;
#endif
  const int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
  void* p = mmap(nullptr, bytes, prot, flags, fd, 0);
  if (p == MAP_FAILED) return io_error("cannot map", path, errno);
#ifndef MAP_POPULATE
  if (prefault) madvise(p, bytes, MADV_WILLNEED);
#endif
  *out = static_cast<uint8_t*>(p);
  return Status::ok();
}

Status open_readonly(const std::string& path, int* fd, uint64_t* size) {
  const int f = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f < 0) return io_error("cannot open", path, errno);
  struct stat st;
  if (fstat(f, &st) != 0) {
    const int err = errno;
    close(f);
    return io_error("cannot read the size of", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    close(f);
    return io_error("not a regular file:", path, EISDIR);
  }
  *fd = f;
  *size = static_cast<uint64_t>(st.st_size);
  return Status::ok();
}

void close_file(int fd) {
  if (fd >= 0) close(fd);
}

Status sync_mapping(uint8_t* data, size_t bytes, const std::string& path) {
  if (data != nullptr && bytes > 0 && msync(data, bytes, MS_SYNC) != 0) {
    return io_error("cannot flush", path, errno);
  }
  return Status::ok();
}

Status write_file_atomically(const std::string& path, const uint8_t* data, size_t bytes) {
  const std::string tmp = path + ".tmp-" + std::to_string(getpid()) + "-" +
                          std::to_string(reinterpret_cast<uintptr_t>(&tmp) & 0xffffff);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return io_error("cannot create", path, errno);
  size_t done = 0;
  while (done < bytes) {
    const size_t chunk = std::min<size_t>(bytes - done, size_t{1} << 30);
    const ssize_t n = write(fd, data + done, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return io_error("cannot write", path, err);
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return io_error("cannot close", path, err);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return io_error("cannot replace", path, err);
  }
  return Status::ok();
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) != 0 || stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void lower_current_thread_priority() {
#if defined(__linux__)
  const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  if (errno == 0) setpriority(PRIO_PROCESS, static_cast<id_t>(tid), std::min(current + 10, 19));
#elif defined(__APPLE__)
  pthread_set_qos_class_self_np(QOS_CLASS_UTILITY, 0);
#endif
}

Status check_path_names_fd(const std::string& path, int fd) {
  struct stat at_path, open;
  if (stat(path.c_str(), &at_path) != 0) return io_error("cannot find", path, errno);
  if (fstat(fd, &open) != 0) return io_error("cannot read the size of", path, errno);
  if (at_path.st_dev != open.st_dev || at_path.st_ino != open.st_ino) {
    return Status::error(ErrorKind::kFileChanged,
                         "'" + path + "' has been replaced since this index mapped it; the index still serves the old "
                         "file, which no longer has a path",
                         0, path);
  }
  return Status::ok();
}

size_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return size_t{1} << 34;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

unsigned hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace platform
}  // namespace annoy
