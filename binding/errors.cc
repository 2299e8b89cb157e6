#include "errors.h"

#include "addon_data.h"

namespace annoy_napi {

namespace {

// One JS code per core ErrorKind, in the enum's order (kOk never reaches JS: an error built from
// it would be a bug, so it is reported as internal).
// clang-format off
constexpr const char* kCodes[] = {
    "ANNOY_INTERNAL",       "ANNOY_INVALID_ARGUMENT", "ANNOY_DIMENSION_MISMATCH", "ANNOY_EMPTY_VECTOR",
    "ANNOY_NON_FINITE",     "ANNOY_INVALID_ID",       "ANNOY_ID_TOO_LARGE",       "ANNOY_ID_OUT_OF_RANGE",
    "ANNOY_UNKNOWN_METRIC", "ANNOY_METRIC_MISMATCH",  "ANNOY_DIMENSION_UNKNOWN",  "ANNOY_NOT_BUILT",
    "ANNOY_ALREADY_BUILT",  "ANNOY_READ_ONLY",        "ANNOY_INVALID_STATE",      "ANNOY_IO",
    "ANNOY_INVALID_FILE",   "ANNOY_CORRUPT",          "ANNOY_OUT_OF_MEMORY",      "ANNOY_FILE_CHANGED",
    "ANNOY_ABORTED",        "ANNOY_BUSY",             "ANNOY_INTERNAL"};
// clang-format on
static_assert(sizeof kCodes / sizeof kCodes[0] == static_cast<size_t>(annoy::ErrorKind::kInternal) + 1,
              "every ErrorKind has a code");

const char* code_of(annoy::ErrorKind kind) {
  const size_t index = static_cast<size_t>(kind);
  return index < sizeof kCodes / sizeof kCodes[0] ? kCodes[index] : "ANNOY_INTERNAL";
}

Napi::Value coded_error(Napi::Env env, const char* code, const std::string& message, int sys_errno,
                        const std::string& path) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (data == nullptr || data->error_class.IsEmpty()) {
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("code", Napi::String::New(env, code));
    return error.Value();
  }
  Napi::Object details = Napi::Object::New(env);
  if (sys_errno != 0) details.Set("errno", Napi::Number::New(env, sys_errno));
  if (!path.empty()) details.Set("path", Napi::String::New(env, path));
  return data->error_class.New({Napi::String::New(env, code), Napi::String::New(env, message), details});
}

[[noreturn]] void throw_coded(Napi::Env env, const char* code, const std::string& message, int sys_errno,
                              const std::string& path) {
  throw Napi::Error(env, coded_error(env, code, message, sys_errno, path));
}

}  // namespace

void set_error_class(Napi::Env env, Napi::Function error_class) {
  addon_data(env).error_class = Napi::Persistent(error_class);
}

Napi::Value make_error(Napi::Env env, const annoy::Status& status) {
  return coded_error(env, code_of(status.kind()), status.message(), status.sys_errno(), status.path());
}

void throw_busy(Napi::Env env, const std::string& message) {
  throw_coded(env, "ANNOY_BUSY", message, 0, std::string());
}

void throw_if_error(Napi::Env env, const annoy::Status& status) {
  if (status.is_ok()) return;
  throw_coded(env, code_of(status.kind()), status.message(), status.sys_errno(), status.path());
}

Napi::Value undefined_or_throw(Napi::Env env, const annoy::Status& status) {
  throw_if_error(env, status);
  return env.Undefined();
}

void throw_invalid_argument(Napi::Env env, const std::string& message) {
  throw_coded(env, "ANNOY_INVALID_ARGUMENT", message, 0, std::string());
}

}  // namespace annoy_napi
