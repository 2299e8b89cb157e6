// What every harness does with an index that decoded: the calls a user would make next (queries
// by item and by vector, with and without a filter, distances, item vectors, serialize), so that
// a structure that passes the decoder's checks but is still inconsistent is caught here, as an
// ASan/UBSan report or a broken promise of the API, instead of in a user's process.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "id_filter.h"
#include "index.h"

namespace fuzz {

// A promise of the API that the index broke: libFuzzer reports the abort as a crash, with the
// input that caused it and this message.
[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
  std::abort();
}

// Knobs steered by the input: a small xorshift generator seeded from a few input bytes that the
// decoder ignores, so that the fuzzer also chooses which ids and how much search effort the
// queries use without having to change the structure to do so.
class Knobs {
 public:
  Knobs(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size; ++i) state_ = (state_ ^ data[i]) * 0x100000001b3ull;
    if (state_ == 0) state_ = 1;  // xorshift stays at zero forever
  }
  uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<uint32_t>(state_ >> 32);
  }

 private:
  uint64_t state_ = 0xcbf29ce484222325ull;  // FNV-1a over the seed bytes
};

// Results must be ids of items, at most n of them, each with a distance.
inline void check_results(const annoy::Index& index, const annoy::Neighbours& out, int64_t n) {
  if (out.ids.size() != out.distances.size()) broken("ids and distances differ in length");
  if (static_cast<int64_t>(out.ids.size()) > n) broken("more results than asked for");
  for (int32_t id : out.ids) {
    if (id < 0 || id >= index.n_items()) broken("a result id is not an item of the index");
  }
}

inline void query_around(const annoy::Index& index, int64_t id, Knobs& knobs) {
  annoy::Neighbours out;
  const int64_t n = 1 + knobs.next() % 10;
  const int64_t search_k = (knobs.next() % 4 == 0) ? -1 : knobs.next() % 200;
  if (index.get_nns_by_item(id, n, search_k, nullptr, &out).is_ok()) check_results(index, out, n);

  std::vector<float> vector;
  if (!index.get_item_vector(id, &vector).is_ok()) return;
  if (static_cast<int>(vector.size()) != index.f()) broken("get_item_vector returned a vector of another length");
  if (index.get_nns_by_vector(vector.data(), vector.size(), n, search_k, nullptr, &out).is_ok()) {
    check_results(index, out, n);
  }
  // A deny list holding the item itself, and an allow list of it alone.
  const int32_t self = static_cast<int32_t>(id);
  const annoy::IdFilter deny(index.n_items(), nullptr, 0, false, &self, 1);
  if (index.get_nns_by_vector(vector.data(), vector.size(), n, search_k, &deny, &out).is_ok()) {
    check_results(index, out, n);
    for (int32_t got : out.ids) {
      if (got == self) broken("a denied id was returned");
    }
  }
  const annoy::IdFilter allow(index.n_items(), &self, 1, true, nullptr, 0);
  if (index.get_nns_by_item(id, n, search_k, &allow, &out).is_ok()) check_results(index, out, n);

  float distance = 0;
  const int64_t other = static_cast<int64_t>(knobs.next() % (static_cast<uint32_t>(index.n_items()) + 1));
  (void)index.get_distance(id, other, &distance);
}

// Runs the queries on ids steered by knobs, ids just outside the range (which must be refused,
// not read), a query vector made of input bytes (any float, NaN included), and serialize.
inline void exercise(const annoy::Index& index, Knobs knobs, const uint8_t* raw, size_t raw_size) {
  const int32_t n_items = index.n_items();
  if (n_items < 0) broken("negative item count");
  const int64_t probes[] = {-1, n_items, 0, n_items - 1};
  for (int64_t id : probes) query_around(index, id, knobs);
  for (int i = 0; i < 3 && n_items > 0; ++i) query_around(index, knobs.next() % static_cast<uint32_t>(n_items), knobs);

  if (index.f() > 0) {
    std::vector<float> vector(static_cast<size_t>(index.f()), 0.5f);
    if (raw_size > 0) std::memcpy(vector.data(), raw, std::min(raw_size, vector.size() * sizeof(float)));
    annoy::Neighbours out;
    if (index.get_nns_by_vector(vector.data(), vector.size(), 5, -1, nullptr, &out).is_ok())
      check_results(index, out, 5);
    // A vector of the wrong length must be refused.
    if (index.get_nns_by_vector(vector.data(), vector.size() - 1, 5, -1, nullptr, &out).is_ok() && index.f() > 1) {
      broken("a query vector of the wrong length was accepted");
    }
  }

  std::vector<uint8_t> bytes;
  (void)index.serialize(&bytes);
}

}  // namespace fuzz
