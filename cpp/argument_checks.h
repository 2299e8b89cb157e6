// The argument checks every binding shares (so that they all report the same errors): ids for new
// items, vectors, and query sizes. Checks that need the index's contents stay in forest.h.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "index.h"
#include "status.h"

namespace annoy {

// The largest dimension an index takes (a 256 MiB float vector), in the constructor and in a
// snapshot's header alike.
constexpr int kMaxDimension = 1 << 26;

inline Status check_new_id(int64_t id) {
  if (id < 0)
    return Status::error(ErrorKind::kInvalidId, "i: expected a non-negative item id, received " + std::to_string(id));
  if (id >= INT32_MAX) {
    return Status::error(
        ErrorKind::kInvalidId,
        "i: expected an item id below 2147483647 (Annoy ids are int32), received " + std::to_string(id));
  }
  return Status::ok();
}

inline Status check_vector(const float* vector, size_t length, int f) {
  if (length == 0)
    return Status::error(ErrorKind::kEmptyVector, "vector: expected at least one component, received none");
  if (f != 0 && length != static_cast<size_t>(f)) {
    return Status::error(ErrorKind::kDimensionMismatch, "vector: expected length " + std::to_string(f) +
                                                            " (the index dimension f), received " +
                                                            std::to_string(length));
  }
  if (length > static_cast<size_t>(INT32_MAX / 8)) {
    return Status::error(ErrorKind::kDimensionMismatch, "vector: length " + std::to_string(length) + " is too large");
  }
  for (size_t i = 0; i < length; ++i) {
    if (!std::isfinite(vector[i])) {
      return Status::error(ErrorKind::kNonFinite, "vector: expected finite numbers, received " +
                                                      std::string(std::isnan(vector[i]) ? "NaN" : "an infinite value") +
                                                      " at index " + std::to_string(i) + " (as float32)");
    }
  }
  return Status::ok();
}

inline Status check_query(int64_t n, const SearchParams& search) {
  if (n < 1)
    return Status::error(ErrorKind::kInvalidArgument,
                         "n: expected a positive number of neighbours, received " + std::to_string(n));
  if (search.search_k < -1)
    return Status::error(
        ErrorKind::kInvalidArgument,
        "searchK: expected -1 (default) or a non-negative count, received " + std::to_string(search.search_k));
  if (search.ef < 0)
    return Status::error(ErrorKind::kInvalidArgument,
                         "ef: expected 0 (default) or a positive beam width, received " + std::to_string(search.ef));
  return Status::ok();
}

}  // namespace annoy
