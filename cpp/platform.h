// Operating-system services the core needs: anonymous memory, files, mappings, atomic writes.
// platform_posix.cc implements them for Linux and macOS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "status.h"

namespace annoy {
namespace platform {

// Zero-filled memory that costs physical pages only once touched.
Status map_anonymous(size_t bytes, uint8_t** out);
// Grows an anonymous mapping, keeping its contents (the new tail is zero).
Status grow_anonymous(uint8_t* old_data, size_t old_bytes, size_t new_bytes, uint8_t** out);
void unmap(uint8_t* data, size_t bytes);

// A file written under a temporary name in the directory of its final path. Renaming it over
// that path makes it appear there at once and whole; readers that mapped the old file keep it.
struct TempFile {
  int dir_fd = -1;
  int fd = -1;         // read-write; owned by the caller once created
  std::string name;    // the temporary name inside dir_fd (empty once committed)
  std::string target;  // the final name inside dir_fd
  std::string path;    // the final path, for messages
};
Status create_temp_beside(const std::string& path, TempFile* out);
// Renames the temporary file over its final path (fd stays open).
Status commit_temp(TempFile* temp);
// Removes a temporary file that was not committed; no-op otherwise. Leaves fd alone.
void discard_temp(TempFile* temp);

// Grows a file with its blocks reserved (a full disk fails here, with ENOSPC, instead of under
// a mapping), or shrinks it. On failure the file keeps old_bytes.
Status resize_file(int fd, size_t old_bytes, size_t new_bytes, const std::string& path);
// Maps bytes of fd; writable mappings are shared so that the file receives what is written.
Status map_file(int fd, size_t bytes, bool writable, const std::string& path, uint8_t** out);
// Reads a mapping's pages in now, so that queries do not wait on the disk later.
void prefault(const uint8_t* data, size_t bytes);
// Opens a regular file without blocking (a FIFO never hangs): kIo for a missing file or a
// directory (EISDIR), kInvalidFile for a FIFO, device or socket.
Status open_readonly(const std::string& path, int* fd, uint64_t* size);
// Reads bytes from the start of fd; a file that ends sooner (cut meanwhile) is kInvalidFile.
Status read_exactly(int fd, uint8_t* out, size_t bytes, const std::string& path);
void close_file(int fd);
Status sync_mapping(uint8_t* data, size_t bytes, const std::string& path);

// Writes data to a temporary file beside path and renames it over path, so path is always
// either the old file or the whole new one; readers that mapped the old file keep it.
Status write_file_atomically(const std::string& path, const uint8_t* data, size_t bytes);
// True when both paths name the same existing file.
bool same_file(const std::string& a, const std::string& b);
// Whether path still names the file open as fd: kIo when path is gone, kFileChanged when it now
// names another file (replaced by a rename, as save() does).
Status check_path_names_fd(const std::string& path, int fd);

// Lowers the calling thread's scheduling priority (Linux: nice +10 for this thread; macOS: the
// utility QoS class), so that work started from a server's event loop yields the CPU to it.
// Only threads the core creates call this: it cannot be undone without privileges.
void lower_current_thread_priority();

size_t physical_memory_bytes();
unsigned hardware_threads();

}  // namespace platform
}  // namespace annoy
