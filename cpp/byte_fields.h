// Little-endian fields at byte offsets, for the headers this project writes (snapshots, graph
// sidecars): memcpy, so that no field has to be aligned. Both headers are 64 bytes and begin
// alike (docs/format.md): an 8-byte magic, the version (u32 at 8), the header size (u32 at 12),
// and end with the CRC-32 of bytes 0-59 at 60.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "checksum.h"

namespace annoy {

template <class T>
void put_field(uint8_t* at, T value) {
  std::memcpy(at, &value, sizeof value);
}

template <class T>
T get_field(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

constexpr size_t kProjectHeaderSize = 64;
constexpr size_t kProjectHeaderCrc = 60;

// Writes the shared start of such a header; seal_header() adds its checksum once every field is in.
inline void write_header_prelude(uint8_t* h, const char (&magic)[8], uint32_t version) {
  std::memcpy(h, magic, sizeof magic);
  put_field<uint32_t>(h + 8, version);
  put_field<uint32_t>(h + 12, static_cast<uint32_t>(kProjectHeaderSize));
}
inline void seal_header(uint8_t* h) { put_field<uint32_t>(h + kProjectHeaderCrc, crc32(h, kProjectHeaderCrc)); }

// Why the shared part of such a header does not hold, or "" when it does. `writer` names the
// call that writes the format, for the message about a missing magic.
inline std::string header_prelude_problem(const uint8_t* data, size_t length, const char (&magic)[8], uint32_t version,
                                          const char* writer) {
  if (length < kProjectHeaderSize) {
    return "expected at least " + std::to_string(kProjectHeaderSize) + " bytes, received " + std::to_string(length);
  }
  if (std::memcmp(data, magic, sizeof magic) != 0) {
    return std::string("the magic number is missing (was it written by ") + writer + "?)";
  }
  const uint32_t found = get_field<uint32_t>(data + 8);
  if (found != version) {
    return "format version " + std::to_string(found) + " is not supported (expected " + std::to_string(version) + ")";
  }
  if (get_field<uint32_t>(data + kProjectHeaderCrc) != crc32(data, kProjectHeaderCrc)) {
    return "the header checksum does not match";
  }
  if (get_field<uint32_t>(data + 12) != kProjectHeaderSize) return "unexpected header size";
  return std::string();
}

}  // namespace annoy
