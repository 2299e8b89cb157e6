// CRC-32 with the IEEE polynomial (reflected, 0xEDB88320; initial and final XOR 0xFFFFFFFF), the
// checksum a snapshot's header and payload carry (cpp/snapshot.cc). Written here, bit by bit, and
// not taken from the core: the fix-up must not share a bug with the code it feeds.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fuzz {

inline uint32_t crc32_ieee(const uint8_t* data, size_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace fuzz
