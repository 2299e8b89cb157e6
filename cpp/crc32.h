// CRC-32 (the IEEE polynomial zlib and gzip use), for the snapshot checksum.
#pragma once

#include <cstddef>
#include <cstdint>

namespace annoy {

uint32_t crc32(const uint8_t* data, size_t length, uint32_t previous = 0);

}  // namespace annoy
