// Kiss64: George Marsaglia's KISS generator in the 64-bit variant Annoy uses for every metric.
// The constants and step order follow docs/algorithms.md "Kiss64"; identical draws are what make
// our single-threaded trees identical to Annoy's.
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

  // Stream `index` of `seed`, for the layered build's one generator per tree (our scheme, not
  // Annoy's): all four words come from SplitMix64, so neighbouring streams share no state, where
  // Annoy's seed + t per thread changes only the first word.
  static Kiss64 stream(uint64_t seed, uint64_t index) {
    uint64_t state = seed ^ (index * 0xD1B54A32D192ED03ULL);
    Kiss64 g(splitmix64(&state));
    g.y_ = splitmix64(&state) | 1;  // the xorshift word must not be zero
    g.z_ = splitmix64(&state);
    g.c_ = splitmix64(&state) >> 6;
    return g;
  }

  bool flip() { return (next() & 1) != 0; }
  size_t index(size_t n) { return static_cast<size_t>(next() % n); }

 private:
  static uint64_t splitmix64(uint64_t* state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t x_, y_, z_, c_;
};

}  // namespace annoy
