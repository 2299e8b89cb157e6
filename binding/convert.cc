#include "convert.h"

#include <cmath>

#include "errors.h"

namespace annoy_napi {

namespace {

Napi::Value arg(const Napi::CallbackInfo& info, size_t index) {
  return index < info.Length() ? info[index] : info.Env().Undefined();
}

}  // namespace

FloatView float32_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = arg(info, index);
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw_invalid_argument(info.Env(), std::string(name) + ": expected a Float32Array");
  }
  Napi::Float32Array array = value.As<Napi::Float32Array>();
  return FloatView{array.Data(), array.ElementLength()};
}

int64_t int_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = arg(info, index);
  if (!value.IsNumber()) throw_invalid_argument(info.Env(), std::string(name) + ": expected an integer");
  const double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0) {
    throw_invalid_argument(info.Env(), std::string(name) + ": expected a safe integer");
  }
  return static_cast<int64_t>(d);
}

annoy::SearchParams search_arg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Value value = arg(info, index);
  if (!value.IsTypedArray()) return annoy::SearchParams(int_arg(info, index, "searchK"));
  auto params = typed_array_arg<Napi::Float64Array>(info, index, "search", napi_float64_array);
  if (params.ElementLength() != 3) throw_invalid_argument(info.Env(), "search: expected [searchK, ef, graph]");
  auto integer = [&](double d, const char* name) {
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0) {
      throw_invalid_argument(info.Env(), std::string(name) + ": expected a safe integer");
    }
    return static_cast<int64_t>(d);
  };
  annoy::SearchParams search(integer(params[0], "searchK"));
  search.ef = integer(params[1], "ef");
  search.graph = params[2] != 0;
  return search;
}

bool bool_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = arg(info, index);
  if (!value.IsBoolean()) throw_invalid_argument(info.Env(), std::string(name) + ": expected a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string string_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = arg(info, index);
  if (!value.IsString()) throw_invalid_argument(info.Env(), std::string(name) + ": expected a string");
  std::string s = value.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    throw_invalid_argument(info.Env(), std::string(name) + ": expected a path without NUL characters");
  }
  return s;
}

annoy::LoadMode load_mode_arg(const Napi::CallbackInfo& info, size_t index) {
  const bool prefault = bool_arg(info, index, "prefault");
  const bool copy = index + 1 < info.Length() && !info[index + 1].IsUndefined() && bool_arg(info, index + 1, "copy");
  if (copy) return annoy::LoadMode::kCopy;
  return prefault ? annoy::LoadMode::kMapPrefault : annoy::LoadMode::kMap;
}

Napi::Buffer<uint8_t> adopt_bytes(Napi::Env env, std::vector<uint8_t>&& bytes) {
  if (bytes.empty()) return Napi::Buffer<uint8_t>::New(env, 0);
  auto* owned = new std::vector<uint8_t>(std::move(bytes));
  return Napi::Buffer<uint8_t>::New(
      env, owned->data(), owned->size(), [](Napi::Env, uint8_t*, std::vector<uint8_t>* doomed) { delete doomed; },
      owned);
}

std::unique_ptr<annoy::IdFilter> filter_arg(const Napi::CallbackInfo& info, size_t allow_index, int32_t n_items) {
  auto ids = [&](size_t index, const char* name, bool* present) -> Napi::Int32Array {
    Napi::Value value = arg(info, index);
    *present = !(value.IsUndefined() || value.IsNull());
    if (!*present) return Napi::Int32Array();
    return typed_array_arg<Napi::Int32Array>(info, index, name, napi_int32_array);
  };
  bool has_allow = false, has_deny = false;
  Napi::Int32Array allow = ids(allow_index, "allow", &has_allow);
  Napi::Int32Array deny = ids(allow_index + 1, "deny", &has_deny);
  if (!has_allow && !has_deny) return nullptr;
  return std::make_unique<annoy::IdFilter>(n_items, has_allow ? allow.Data() : nullptr,
                                           has_allow ? allow.ElementLength() : 0, has_allow,
                                           has_deny ? deny.Data() : nullptr, has_deny ? deny.ElementLength() : 0);
}

template <class TypedArray>
TypedArray typed_array_arg(const Napi::CallbackInfo& info, size_t index, const char* name, napi_typedarray_type type) {
  Napi::Value value = arg(info, index);
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw_invalid_argument(info.Env(), std::string(name) + ": expected a typed array of the right kind");
  }
  return value.As<TypedArray>();
}

template Napi::Int32Array typed_array_arg<Napi::Int32Array>(const Napi::CallbackInfo&, size_t, const char*,
                                                            napi_typedarray_type);
template Napi::Float32Array typed_array_arg<Napi::Float32Array>(const Napi::CallbackInfo&, size_t, const char*,
                                                                napi_typedarray_type);
template Napi::Uint8Array typed_array_arg<Napi::Uint8Array>(const Napi::CallbackInfo&, size_t, const char*,
                                                            napi_typedarray_type);
template Napi::Uint32Array typed_array_arg<Napi::Uint32Array>(const Napi::CallbackInfo&, size_t, const char*,
                                                              napi_typedarray_type);

}  // namespace annoy_napi
