// Harness "snapshot": Index::deserialize() past the checksums, i.e. the structure validation of
// a snapshot (cpp/forest.h validate) and every query on what it accepted.
//
// A random change to a snapshot almost always breaks one of its two CRC-32s, and deserialize()
// stops there; so before deserializing, this harness repairs the input into a snapshot whose
// fixed fields and checksums are right and whose counts and nodes are the fuzzer's. The fix-up,
// from the layout in cpp/snapshot.cc (little-endian, 64-byte header):
//   [0, 8)    magic "ANNOYNJS"            written
//   [8, 12)   format version = 1          written
//   [12, 16)  header size = 64            written
//   [16, 20)  metric id                   reduced to value % 5, so it names a metric
//   [20, 56)  f, node size, flags, node count, item count, root count, seed: left to the fuzzer
//   [56, 60)  CRC-32 of bytes [64, end) (root ids, then nodes)   recomputed
//   [60, 64)  CRC-32 of bytes [0, 60)                            recomputed
// Inputs shorter than the header are passed through as they are.
// After a successful decode, serialize() must give bytes that decode again to the same bytes;
// and an unbuilt snapshot is built, so that the builder meets the decoded items too.
#include <cstring>
#include <vector>

#include "crc32_ieee.h"
#include "exercise.h"

namespace {

void put32(uint8_t* at, uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<uint8_t>(value >> (8 * i));
}

void fix_up(std::vector<uint8_t>& s) {
  if (s.size() < 64) return;
  std::memcpy(s.data(), "ANNOYNJS", 8);
  put32(s.data() + 8, 1);
  put32(s.data() + 12, 64);
  put32(s.data() + 16, s[16] % 5);
  put32(s.data() + 56, fuzz::crc32_ieee(s.data() + 64, s.size() - 64));
  put32(s.data() + 60, fuzz::crc32_ieee(s.data(), 60));
}

void check_round_trip(const annoy::Index& index) {
  std::vector<uint8_t> first;
  if (!index.serialize(&first).is_ok()) fuzz::broken("a deserialized index does not serialize");
  auto again = annoy::Index::create(index.metric(), 0);
  if (!again->deserialize(first.data(), first.size()).is_ok()) fuzz::broken("serialize() output does not deserialize");
  std::vector<uint8_t> second;
  if (!again->serialize(&second).is_ok() || second != first)
    fuzz::broken("serialize() is not stable across a round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> snapshot(data, data + size);
  fix_up(snapshot);
  // Short inputs skip the fix-up, so their byte 16 is reduced here (create() takes a valid id).
  const auto metric = static_cast<annoy::Metric>(size > 16 ? snapshot[16] % 5 : 0);
  auto index = annoy::Index::create(metric, 0);
  if (!index->deserialize(snapshot.data(), snapshot.size()).is_ok()) return 0;
  // The seed field [48, 56) steers the queries: free for the fuzzer, read by nothing else here.
  const fuzz::Knobs knobs(snapshot.data() + 48, 8);
  check_round_trip(*index);
  fuzz::exercise(*index, knobs, snapshot.data() + 64, snapshot.size() - 64);
  if (!index->is_built() && index->n_items() > 0) {
    fuzz::Knobs trees = knobs;
    if (index->build(1 + trees.next() % 3, 1).is_ok()) {
      check_round_trip(*index);
      fuzz::exercise(*index, knobs, snapshot.data() + 64, snapshot.size() - 64);
    }
  }
  return 0;
}
