// Harness "annoy_file": Index::load() of arbitrary file bytes, i.e. the mmap loader and Annoy's
// root scan (cpp/forest.h find_roots), then queries on whatever loaded.
//
// Input layout (8 bytes of choices, then the file):
//   byte 0      metric (value % 5: angular, euclidean, manhattan, dot, hamming)
//   byte 1      f = 1 + value % 72 (up to two 64-bit words for hamming, past 8 for the SIMD kernels)
//   byte 2      load mode: value % 3 (mapped, mapped and read in, copied into memory)
//   bytes 3..7  seed of the query knobs (exercise.h)
//   bytes 8..   the file
// The file lives in a memfd, opened by load() through /proc/self/fd/N: a real regular file with
// no disk traffic and nothing left behind when the fuzzer is killed.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "exercise.h"

namespace {

constexpr size_t kChoices = 8;

int file_fd() {
  static const int fd = memfd_create("annoy_file", MFD_CLOEXEC);
  if (fd < 0) fuzz::broken("memfd_create failed");
  return fd;
}

void write_file(const uint8_t* data, size_t size) {
  const int fd = file_fd();
  if (ftruncate(fd, 0) != 0) fuzz::broken("ftruncate failed");
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) fuzz::broken("pwrite failed");
    done += static_cast<size_t>(n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kChoices) return -1;  // not kept in the corpus
  const auto metric = static_cast<annoy::Metric>(data[0] % 5);
  const int f = 1 + data[1] % 72;
  // Mapped, mapped and read in, or copied into memory: three ways to the same checks.
  const annoy::LoadMode modes[] = {annoy::LoadMode::kMap, annoy::LoadMode::kMapPrefault, annoy::LoadMode::kCopy};
  const annoy::LoadMode mode = modes[data[2] % 3];
  write_file(data + kChoices, size - kChoices);
  const std::string path = "/proc/self/fd/" + std::to_string(file_fd());

  auto index = annoy::Index::create(metric, f);
  if (!index->load(path, mode).is_ok()) return 0;
  if (!index->is_built() || !index->is_loaded()) fuzz::broken("load() succeeded but the index is not served");
  uint32_t crc = 0;
  (void)index->file_checksum(&crc);
  fuzz::exercise(*index, fuzz::Knobs(data + 3, 5), data + kChoices, size - kChoices);
  index->unload();
  return 0;
}
