// Kiss64: George Marsaglia's KISS generator in the 64-bit variant Annoy uses for every metric.
// The constants and step order follow annoy-format.md §2.7; identical draws are what make our
// single-threaded trees identical to Annoy's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace annoy {

class Kiss64 {
 public:
  static constexpr uint64_t kDefaultSeed = 1234567890987654321ULL;

  explicit Kiss64(uint64_t seed = kDefaultSeed)
      : x_(seed), y_(362436362436362436ULL), z_(1066149217761810ULL), c_(123456123456123456ULL) {}

  uint64_t next() {
    z_ = 6906969069ULL * z_ + 1234567ULL;
    y_ ^= y_ << 13;
    y_ ^= y_ >> 17;
    y_ ^= y_ << 43;
    const uint64_t t = (x_ << 58) + c_;
    c_ = x_ >> 6;
    x_ += t;
    c_ += (x_ < t) ? 1 : 0;
    return x_ + y_ + z_;
  }

  bool flip() { return (next() & 1) != 0; }
  size_t index(size_t n) { return static_cast<size_t>(next() % n); }

 private:
  uint64_t x_, y_, z_, c_;
};

}  // namespace annoy
