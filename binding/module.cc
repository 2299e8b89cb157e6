// Registers the addon: the NativeIndex class, the hook that receives lib/'s AnnoyError class,
// and the SIMD level in use (for info and benchmarks).
#include <napi.h>

#include "../cpp/kernels.h"
#include "errors.h"
#include "native_index.h"

namespace {

Napi::Value set_error_class(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) {
    annoy_napi::throw_invalid_argument(info.Env(), "setErrorClass: expected a class");
  }
  annoy_napi::set_error_class(info.Env(), info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeIndex", annoy_napi::NativeIndex::define(env));
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class));
  exports.Set("simdLevel", Napi::String::New(env, annoy::simd_level_name(annoy::active_simd_level())));
  return exports;
}

}  // namespace

NODE_API_MODULE(annoy_napi, init)
