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

using ChecksumFunction = uint32_t (*)(const uint8_t*, size_t, uint32_t);

// name(bytes, previous = initial): one of the core's checksums over a Uint8Array. CRC-32 (initial
// 0) is for the checksums lib/ keeps of files and payloads; Adler-32 (initial 1) for the zlib
// streams lib/persistence.ts assembles.
template <ChecksumFunction checksum, uint32_t initial>
Napi::Value checksum_of(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    annoy_napi::throw_invalid_argument(info.Env(), "checksum: expected a Uint8Array");
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const uint32_t previous =
      info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : initial;
  return Napi::Number::New(info.Env(), checksum(bytes.Data(), bytes.ElementLength(), previous));
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  annoy_napi::addon_data(env);  // before any index exists: its release queue's cleanup hook comes first
  exports.Set("NativeIndex", annoy_napi::NativeIndex::define(env));
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class));
  exports.Set("crc32", Napi::Function::New(env, checksum_of<annoy::crc32, 0>));
  exports.Set("adler32", Napi::Function::New(env, checksum_of<annoy::adler32, 1>));
  exports.Set("simdLevel", Napi::String::New(env, annoy::simd_level_name(annoy::active_simd_level())));
  return exports;
}

}  // namespace

NODE_API_MODULE(annoy_napi, init)
