// Errors as values: the core never throws across its API, never aborts and never prints.
// Each binding turns a Status into its own error type in one place.
#pragma once

#include <string>
#include <utility>

namespace annoy {

// Stable error kinds; bindings map each one to a public error code (lib/errors.ts).
enum class ErrorKind {
  kOk = 0,
  kInvalidArgument,
  kDimensionMismatch,
  kEmptyVector,
  kNonFinite,
  kInvalidId,
  kIdTooLarge,
  kIdOutOfRange,
  kUnknownMetric,
  kMetricMismatch,
  kDimensionUnknown,
  kNotBuilt,
  kAlreadyBuilt,
  kReadOnly,
  kInvalidState,
  kIo,
  kInvalidFile,
  kCorrupt,
  kOutOfMemory,
  kFileChanged,
  kAborted,
  kBusy,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(ErrorKind kind, std::string message, int sys_errno = 0, std::string path = std::string()) {
    Status s;
    s.kind_ = kind;
    s.message_ = std::move(message);
    s.sys_errno_ = sys_errno;
    s.path_ = std::move(path);
    return s;
  }

  bool is_ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The OS errno for kIo, 0 otherwise.
  int sys_errno() const { return sys_errno_; }
  const std::string& path() const { return path_; }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  int sys_errno_ = 0;
  std::string path_;
};

#define ANNOY_RETURN_IF_ERROR(expr)       \
  do {                                    \
    ::annoy::Status status_ = (expr);     \
    if (!status_.is_ok()) return status_; \
  } while (0)

}  // namespace annoy
