// Batch queries: one query per row on up to `threads` threads, each row's answer written at
// row x k of the caller's arrays (unused slots -1 and NaN).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>
#include <string>

#include "index.h"
#include "platform.h"
#include "parallel_for.h"
#include "status.h"

namespace annoy {

inline Status check_threads(int64_t threads) {
  if (threads != -1 && (threads < 1 || threads > 1024)) {
    return Status::error(
        ErrorKind::kInvalidArgument,
        "threads: expected an integer from 1 to 1024, or -1 for all cores, received " + std::to_string(threads));
  }
  return Status::ok();
}

// Runs one query per row on up to `threads` threads (rows are handed out one at a time) and
// writes row r's answer at r * k; the first error stops the others.
template <class Query>
Status run_batch(size_t rows, int64_t k, int64_t threads, bool background, BatchOutput out, Query&& query) {
  const size_t width = static_cast<size_t>(k);
  const size_t wanted = threads == -1 ? platform::hardware_threads() : static_cast<size_t>(threads);
  const size_t n_threads = std::max<size_t>(1, std::min(wanted, rows));
  std::vector<Neighbours> found(n_threads);
  return parallel_for(rows, n_threads, background, "query: out of memory", [&](size_t r, size_t worker) -> Status {
    Neighbours& row = found[worker];
    ANNOY_RETURN_IF_ERROR(query(r, &row));
    const size_t count = row.ids.size();
    int32_t* ids = out.ids + r * width;
    float* distances = out.distances + r * width;
    std::copy(row.ids.begin(), row.ids.end(), ids);
    std::copy(row.distances.begin(), row.distances.end(), distances);
    std::fill(ids + count, ids + width, -1);
    std::fill(distances + count, distances + width, std::numeric_limits<float>::quiet_NaN());
    out.counts[r] = static_cast<uint32_t>(count);
    return Status::ok();
  });
}

}  // namespace annoy
