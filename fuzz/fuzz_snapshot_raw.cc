// Harness "snapshot_raw": Index::deserialize() of the input exactly as given, checksums and all:
// the header checks (magic, version, header CRC, sizes, counts against the length, payload CRC)
// of cpp/snapshot.cc read_snapshot.
//
// This is also the native part of the state and dumps() decoders: lib/persistence.ts decodes a
// state object or a dumps() buffer in JavaScript (fields, compression) and hands the snapshot
// bytes it recovers to this same deserialize(); a corrupted or hostile state reaches the core
// through here, CRCs unrepaired. The snapshot harness covers what lies behind the checksums.
#include "exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The metric field (bytes [16, 20)) as read, when it is one; else angular, which then must be
  // refused as a mismatch (or for an earlier fault) without reading further.
  const uint8_t id = size > 16 ? data[16] : 0;
  const auto metric = static_cast<annoy::Metric>(id < 5 ? id : 0);
  auto index = annoy::Index::create(metric, 0);
  if (!index->deserialize(data, size).is_ok()) return 0;
  fuzz::exercise(*index, fuzz::Knobs(data, size < 64 ? size : 64), nullptr, 0);
  return 0;
}
