#include "errors.h"

#include "addon_data.h"

namespace annoy_napi {

namespace {

const char* code_of(annoy::ErrorKind kind) {
  using annoy::ErrorKind;
  switch (kind) {
    case ErrorKind::kOk:
      return "ANNOY_INTERNAL";
    case ErrorKind::kInvalidArgument:
      return "ANNOY_INVALID_ARGUMENT";
    case ErrorKind::kDimensionMismatch:
      return "ANNOY_DIMENSION_MISMATCH";
    case ErrorKind::kEmptyVector:
      return "ANNOY_EMPTY_VECTOR";
    case ErrorKind::kNonFinite:
      return "ANNOY_NON_FINITE";
    case ErrorKind::kInvalidId:
      return "ANNOY_INVALID_ID";
    case ErrorKind::kIdTooLarge:
      return "ANNOY_ID_TOO_LARGE";
    case ErrorKind::kIdOutOfRange:
      return "ANNOY_ID_OUT_OF_RANGE";
    case ErrorKind::kUnknownMetric:
      return "ANNOY_UNKNOWN_METRIC";
    case ErrorKind::kMetricMismatch:
      return "ANNOY_METRIC_MISMATCH";
    case ErrorKind::kDimensionUnknown:
      return "ANNOY_DIMENSION_UNKNOWN";
    case ErrorKind::kNotBuilt:
      return "ANNOY_NOT_BUILT";
    case ErrorKind::kAlreadyBuilt:
      return "ANNOY_ALREADY_BUILT";
    case ErrorKind::kReadOnly:
      return "ANNOY_READ_ONLY";
    case ErrorKind::kInvalidState:
      return "ANNOY_INVALID_STATE";
    case ErrorKind::kIo:
      return "ANNOY_IO";
    case ErrorKind::kInvalidFile:
      return "ANNOY_INVALID_FILE";
    case ErrorKind::kCorrupt:
      return "ANNOY_CORRUPT";
    case ErrorKind::kOutOfMemory:
      return "ANNOY_OUT_OF_MEMORY";
    case ErrorKind::kFileChanged:
      return "ANNOY_FILE_CHANGED";
    case ErrorKind::kCancelled:
      return "ANNOY_ABORTED";
    case ErrorKind::kBusy:
      return "ANNOY_BUSY";
    case ErrorKind::kInternal:
      return "ANNOY_INTERNAL";
  }
  return "ANNOY_INTERNAL";
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

void throw_invalid_argument(Napi::Env env, const std::string& message) {
  throw_coded(env, "ANNOY_INVALID_ARGUMENT", message, 0, std::string());
}

}  // namespace annoy_napi
