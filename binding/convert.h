// Argument conversion: typed arrays are read in place (no copy); numbers arrive already checked
// by lib/ and are only range-converted here.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../cpp/id_filter.h"
#include "../cpp/index.h"

namespace annoy_napi {

struct FloatView {
  const float* data;
  size_t length;
};

FloatView float32_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
int64_t int_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
bool bool_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
// How to search: a number is Annoy's searchK (tree or graph as the index has); a Float64Array
// [searchK, ef, graph 0/1] is what lib/queries.ts passes when a query names ef or graph.
annoy::SearchParams search_arg(const Napi::CallbackInfo& info, size_t index);
std::string string_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
// (prefault: boolean, copy?: boolean) from argument `index` on, as the core's LoadMode.
annoy::LoadMode load_mode_arg(const Napi::CallbackInfo& info, size_t index);

// The id filter from two optional Int32Array arguments (allow, deny); null when both are absent.
std::unique_ptr<annoy::IdFilter> filter_arg(const Napi::CallbackInfo& info, size_t allow_index, int32_t n_items);

template <class TypedArray>
TypedArray typed_array_arg(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type);

// A Buffer over a vector's memory, without a copy (serialize()'s snapshot): freed when collected.
Napi::Buffer<uint8_t> adopt_bytes(Napi::Env env, std::vector<uint8_t>&& bytes);

// A typed array over a vector's memory, without a copy: the vector is freed when JavaScript
// collects the array. V8 allocates nothing for the elements, so a result too large for the
// heap is never a V8 abort (issue #10, C4): it already failed as a std::bad_alloc, in the core.
template <class T>
Napi::TypedArrayOf<T> adopt_vector(Napi::Env env, std::vector<T>&& values) {
  if (values.empty()) return Napi::TypedArrayOf<T>::New(env, 0);
  auto* owned = new std::vector<T>(std::move(values));
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      env, owned->data(), owned->size() * sizeof(T), [](Napi::Env, void*, std::vector<T>* doomed) { delete doomed; },
      owned);
  return Napi::TypedArrayOf<T>::New(env, owned->size(), buffer, 0);
}

}  // namespace annoy_napi
