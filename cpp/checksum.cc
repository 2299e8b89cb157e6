#include "checksum.h"

#include <cstring>

namespace annoy {

namespace {

// Slicing-by-8: eight 256-entry tables let the loop consume 8 bytes per step.
struct Tables {
  uint32_t t[8][256];
  Tables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i) {
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t length, uint32_t previous) {
  const Tables& tb = tables();
  uint32_t c = ~previous;
  while (length >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, data, 4);
    std::memcpy(&hi, data + 4, 4);
    lo ^= c;  // little-endian hosts only, as the file format itself
    c = tb.t[7][lo & 0xFF] ^ tb.t[6][(lo >> 8) & 0xFF] ^ tb.t[5][(lo >> 16) & 0xFF] ^ tb.t[4][lo >> 24] ^
        tb.t[3][hi & 0xFF] ^ tb.t[2][(hi >> 8) & 0xFF] ^ tb.t[1][(hi >> 16) & 0xFF] ^ tb.t[0][hi >> 24];
    data += 8;
    length -= 8;
  }
  while (length-- > 0) c = tb.t[0][(c ^ *data++) & 0xFF] ^ (c >> 8);
  return ~c;
}

uint32_t adler32(const uint8_t* data, size_t length, uint32_t previous) {
  constexpr uint32_t kModulus = 65521;
  // 5552 bytes is the most that can be summed before the 32-bit sums must be reduced.
  constexpr size_t kBlock = 5552;
  uint32_t a = previous & 0xFFFF, b = previous >> 16;
  while (length > 0) {
    const size_t n = length < kBlock ? length : kBlock;
    for (size_t i = 0; i < n; ++i) {
      a += data[i];
      b += a;
    }
    a %= kModulus;
    b %= kModulus;
    data += n;
    length -= n;
  }
  return (b << 16) | a;
}

}  // namespace annoy
