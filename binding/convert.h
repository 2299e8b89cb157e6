// Argument conversion: typed arrays are read in place (no copy); numbers arrive already checked
// by lib/ and are only range-converted here.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>

#include "../cpp/id_filter.h"

namespace annoy_napi {

struct FloatView {
  const float* data;
  size_t length;
};

FloatView float32_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
int64_t int_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
bool bool_arg(const Napi::CallbackInfo& info, size_t index, const char* name);
std::string string_arg(const Napi::CallbackInfo& info, size_t index, const char* name);

// The id filter from two optional Int32Array arguments (allow, deny); null when both are absent.
std::unique_ptr<annoy::IdFilter> filter_arg(const Napi::CallbackInfo& info, size_t allow_index, int32_t n_items);

template <class TypedArray>
TypedArray typed_array_arg(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type);

}  // namespace annoy_napi
