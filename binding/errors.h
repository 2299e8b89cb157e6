// The one place where a core Status becomes a JavaScript exception: an instance of the
// AnnoyError class that lib/native.ts hands over at load time, with a stable `code`.
#pragma once

#include <napi.h>

#include "../cpp/status.h"

namespace annoy_napi {

void set_error_class(Napi::Env env, Napi::Function error_class);
// The AnnoyError for a failed status (for promises to reject with).
Napi::Value make_error(Napi::Env env, const annoy::Status& status);
// Throws (as a C++ exception that node-addon-api turns into a JS throw) when !status.is_ok().
void throw_if_error(Napi::Env env, const annoy::Status& status);
// undefined for an ok status, for methods whose only result is success; throws otherwise.
Napi::Value undefined_or_throw(Napi::Env env, const annoy::Status& status);
[[noreturn]] void throw_busy(Napi::Env env, const std::string& message);
// For argument problems found in the binding itself (types the core never sees).
[[noreturn]] void throw_invalid_argument(Napi::Env env, const std::string& message);

}  // namespace annoy_napi
