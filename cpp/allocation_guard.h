// The one place that turns an allocation failure into a value: std::bad_alloc, or the
// std::length_error a container throws when asked for more than it can hold, becomes
// kOutOfMemory. The core lets no exception cross its API, and an exception escaping a build
// thread would end the process. Any other exception is a bug in the core and is not swallowed.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "status.h"

namespace annoy {

constexpr const char* kBuildOutOfMemory = "build: out of memory while building trees";

// call() returns a Status; its allocation failure is reported as kOutOfMemory with `message`.
template <class Call>
Status guard_allocations(const char* message, Call&& call) {
  try {
    return call();
  } catch (const std::bad_alloc&) {
    return Status::error(ErrorKind::kOutOfMemory, message);
  } catch (const std::length_error& e) {
    return Status::error(ErrorKind::kOutOfMemory, std::string(message) + " (" + e.what() + ")");
  }
}

}  // namespace annoy
