// The arguments of batch queries, shared by the sync and async forms (native_index.cc and
// native_index_async.cc), converted and checked in one place.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "../cpp/id_filter.h"
#include "../cpp/index.h"

namespace annoy_napi {

// k, searchK (or search parameters, convert.h search_arg), threads, allow?, deny?, from argument
// `first` on.
struct BatchArgs {
  int64_t k;
  annoy::SearchParams search;
  int64_t threads;
  std::unique_ptr<annoy::IdFilter> filter;
};

BatchArgs batch_args(const Napi::CallbackInfo& info, size_t first, int32_t n_items);
// How many rows of row_length a flat array of `length` floats holds; refuses a ragged length.
size_t row_count(const Napi::CallbackInfo& info, size_t length, int64_t row_length);
// The caller's result arrays (ids, distances, counts) from argument `first` on, checked to hold
// rows x k.
annoy::BatchOutput batch_output(const Napi::CallbackInfo& info, size_t first, size_t rows, int64_t k);

}  // namespace annoy_napi
