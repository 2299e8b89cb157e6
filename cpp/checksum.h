// Checksums: CRC-32 (the IEEE polynomial of zlib and gzip), for snapshots and files; Adler-32,
// for the zlib streams the persistence layer assembles from independently compressed chunks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace annoy {

uint32_t crc32(const uint8_t* data, size_t length, uint32_t previous = 0);
// previous = 1 starts a new checksum, as zlib's adler32 does.
uint32_t adler32(const uint8_t* data, size_t length, uint32_t previous = 1);

}  // namespace annoy
