// Files and file mappings on POSIX systems (platform.h). What the hostile-input campaign of
// issue #10 taught is written into each function: open without blocking and refuse anything
// but a regular file (a FIFO or /dev/zero must never hang a load), reserve a file's blocks
// before writing through a mapping of it (a full disk is ENOSPC, not SIGBUS), and write every
// new file under a short temporary name beside its final path, renamed over it when whole.
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>

#include "platform.h"

namespace annoy {
namespace platform {

namespace {

Status io_error(const std::string& what, const std::string& path, int err) {
  return Status::error(ErrorKind::kIo, what + " '" + path + "': " + std::strerror(err), err, path);
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The directory part and the name part of path, as openat()/renameat() take them, so that a
// temporary name never makes a path longer than the caller's own (issue #10, W3).
Status split_path(const std::string& path, std::string* dir, std::string* name) {
  const size_t slash = path.find_last_of('/');
  *dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  *name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name->empty() || *name == "." || *name == "..") return io_error("cannot write a file at", path, EISDIR);
  return Status::ok();
}

// A name no other writer picks: process id, a counter and the clock, in hex.
std::string temporary_name(unsigned attempt) {
  static std::atomic<uint64_t> counter(0);
  const uint64_t clock = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  uint64_t mixed =
      (static_cast<uint64_t>(getpid()) << 40) ^ (counter.fetch_add(1) << 20) ^ clock ^ (uint64_t{attempt} << 56);
  mixed ^= mixed >> 29;
  mixed *= 0xbf58476d1ce4e5b9ULL;
  mixed ^= mixed >> 32;
  char hex[17];
  for (int i = 0; i < 16; ++i) hex[i] = "0123456789abcdef"[(mixed >> (i * 4)) & 15];
  hex[16] = '\0';
  return std::string(".annoy-") + std::string(hex, 8);
}

// After a failed growth: the store still maps only old_bytes, so a longer file would do no
// harm but waste the space; nothing more can be done if even this fails.
void restore_size(int fd, size_t old_bytes) {
  if (ftruncate(fd, static_cast<off_t>(old_bytes)) != 0) return;
}

}  // namespace

Status create_temp_beside(const std::string& path, TempFile* out) {
  std::string dir, name;
  ANNOY_RETURN_IF_ERROR(split_path(path, &dir, &name));
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return io_error("cannot create", path, errno);
  struct stat existing;
  if (fstatat(dir_fd, name.c_str(), &existing, 0) == 0 && S_ISDIR(existing.st_mode)) {
    close(dir_fd);
    return io_error("cannot write a file over the directory", path, EISDIR);
  }
  for (unsigned attempt = 0; attempt < 64; ++attempt) {
    const std::string temp = temporary_name(attempt);
    const int fd = openat(dir_fd, temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      out->dir_fd = dir_fd;
      out->fd = fd;
      out->name = temp;
      out->target = name;
      out->path = path;
      return Status::ok();
    }
    if (errno != EEXIST) {
      const int err = errno;
      close(dir_fd);
      return io_error("cannot create", path, err);
    }
  }
  close(dir_fd);
  return io_error("cannot create", path, EEXIST);
}

Status commit_temp(TempFile* temp) {
  if (renameat(temp->dir_fd, temp->name.c_str(), temp->dir_fd, temp->target.c_str()) != 0) {
    return io_error("cannot replace", temp->path, errno);
  }
  close(temp->dir_fd);
  temp->dir_fd = -1;
  temp->name.clear();
  return Status::ok();
}

void discard_temp(TempFile* temp) {
  if (temp->dir_fd < 0) return;
  if (!temp->name.empty()) unlinkat(temp->dir_fd, temp->name.c_str(), 0);
  close(temp->dir_fd);
  temp->dir_fd = -1;
  temp->name.clear();
}

Status resize_file(int fd, size_t old_bytes, size_t new_bytes, const std::string& path) {
  if (new_bytes <= old_bytes) {
    if (ftruncate(fd, static_cast<off_t>(new_bytes)) != 0) return io_error("cannot resize", path, errno);
    return Status::ok();
  }
#if defined(__linux__)
  // Allocates the blocks (glibc writes zeros itself where the file system cannot), so writing
  // through a mapping of them can no longer fail.
  const int err = posix_fallocate(fd, static_cast<off_t>(old_bytes), static_cast<off_t>(new_bytes - old_bytes));
  if (err != 0) {
    restore_size(fd, old_bytes);
    return io_error("cannot grow", path, err);
  }
  return Status::ok();
#else
  static const char zeros[1 << 16] = {};
  for (size_t at = old_bytes; at < new_bytes;) {
    const size_t chunk = std::min(sizeof zeros, new_bytes - at);
    const ssize_t n = pwrite(fd, zeros, chunk, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      restore_size(fd, old_bytes);
      return io_error("cannot grow", path, err);
    }
    at += static_cast<size_t>(n);
  }
  return Status::ok();
#endif
}

Status map_file(int fd, size_t bytes, bool writable, const std::string& path, uint8_t** out) {
  const int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
  void* p = mmap(nullptr, bytes, prot, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return io_error("cannot map", path, errno);
  *out = static_cast<uint8_t*>(p);
  return Status::ok();
}

void prefault(const uint8_t* data, size_t bytes) {
  if (data == nullptr || bytes == 0) return;
  void* start = const_cast<uint8_t*>(data);
#if defined(MADV_POPULATE_READ)
  if (madvise(start, bytes, MADV_POPULATE_READ) == 0) return;
#endif
  // Older kernels: ask for read-ahead, then touch one byte per page.
  madvise(start, bytes, MADV_WILLNEED);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  volatile uint8_t sink = 0;
  for (size_t at = 0; at < bytes; at += page) sink = sink ^ data[at];
}

Status open_readonly(const std::string& path, int* fd, uint64_t* size) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever (H1).
  const int f = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (f < 0) return io_error("cannot open", path, errno);
  struct stat st;
  if (fstat(f, &st) != 0) {
    const int err = errno;
    close(f);
    return io_error("cannot read the size of", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    close(f);
    if (S_ISDIR(st.st_mode)) return io_error("cannot load a directory:", path, EISDIR);
    return Status::error(
        ErrorKind::kInvalidFile,
        "load: '" + path + "' is " + kind_of(st.st_mode) + ", not a regular file: an index must be a file", 0, path);
  }
  *fd = f;
  *size = static_cast<uint64_t>(st.st_size);
  return Status::ok();
}

Status read_exactly(int fd, uint8_t* out, size_t bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes) {
    const size_t chunk = std::min<size_t>(bytes - done, size_t{1} << 30);
    const ssize_t n = pread(fd, out + done, chunk, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path, errno);
    if (n == 0) {
      return Status::error(ErrorKind::kInvalidFile,
                           "load: '" + path + "' became shorter while it was read (" + std::to_string(done) + " of " +
                               std::to_string(bytes) + " bytes)",
                           0, path);
    }
    done += static_cast<size_t>(n);
  }
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
  TempFile temp;
  ANNOY_RETURN_IF_ERROR(create_temp_beside(path, &temp));
  auto fail = [&](const char* what, int err) {
    close(temp.fd);
    discard_temp(&temp);
    return io_error(what, path, err);
  };
  size_t done = 0;
  while (done < bytes) {
    const size_t chunk = std::min<size_t>(bytes - done, size_t{1} << 30);
    const ssize_t n = write(temp.fd, data + done, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write", errno);
    }
    done += static_cast<size_t>(n);
  }
  if (close(temp.fd) != 0) {
    const int err = errno;
    discard_temp(&temp);
    return io_error("cannot close", path, err);
  }
  const Status committed = commit_temp(&temp);
  if (!committed.is_ok()) discard_temp(&temp);
  return committed;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) != 0 || stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Status check_path_names_fd(const std::string& path, int fd) {
  struct stat at_path, open_file;
  if (stat(path.c_str(), &at_path) != 0) return io_error("cannot find", path, errno);
  if (fstat(fd, &open_file) != 0) return io_error("cannot examine", path, errno);
  if (at_path.st_dev != open_file.st_dev || at_path.st_ino != open_file.st_ino) {
    return Status::error(ErrorKind::kFileChanged,
                         "'" + path +
                             "' has been replaced since this index mapped it; the index still serves the old "
                             "file, which no longer has a path",
                         0, path);
  }
  return Status::ok();
}

}  // namespace platform
}  // namespace annoy
