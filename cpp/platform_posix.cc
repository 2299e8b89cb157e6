#include <errno.h>
#include <sys/mman.h>
#include <sys/resource.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#if defined(__APPLE__)
#include <pthread.h>
#include <pthread/qos.h>
#endif
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "platform.h"

namespace annoy {
namespace platform {

namespace {

Status out_of_memory(size_t bytes, int err) {
  return Status::error(ErrorKind::kOutOfMemory,
                       "could not reserve " + std::to_string(bytes) + " bytes: " + std::strerror(err), err);
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
