// Registers the addon: the NativeIndex class, the hook that receives lib/'s AnnoyError class,
// and the SIMD level in use (for info and benchmarks).
#include <napi.h>

#include "../cpp/checksum.h"
#include "../cpp/kernels.h"
#include "addon_data.h"
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

// crc32(bytes, previous = 0): the core's CRC-32, for checksums lib/ keeps of files and payloads.
Napi::Value crc32(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    annoy_napi::throw_invalid_argument(info.Env(), "crc32: expected a Uint8Array");
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const uint32_t previous = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
  return Napi::Number::New(info.Env(), annoy::crc32(bytes.Data(), bytes.ElementLength(), previous));
}

// adler32(bytes, previous = 1): Adler-32, for zlib streams assembled in lib/persistence.ts.
Napi::Value adler32(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    annoy_napi::throw_invalid_argument(info.Env(), "adler32: expected a Uint8Array");
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const uint32_t previous = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 1;
  return Napi::Number::New(info.Env(), annoy::adler32(bytes.Data(), bytes.ElementLength(), previous));
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  annoy_napi::addon_data(env);  // before any index exists: its release queue's cleanup hook comes first
  exports.Set("NativeIndex", annoy_napi::NativeIndex::define(env));
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class));
  exports.Set("crc32", Napi::Function::New(env, crc32));
  exports.Set("adler32", Napi::Function::New(env, adler32));
  exports.Set("simdLevel", Napi::String::New(env, annoy::simd_level_name(annoy::active_simd_level())));
  return exports;
}

}  // namespace

NODE_API_MODULE(annoy_napi, init)
