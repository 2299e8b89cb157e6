// Checks cpp/parallel_for.h, the core's one parallel loop, from outside the addon: an allocation
// failure on any thread becomes kOutOfMemory instead of ending the process, a failed Status stops
// the loop and is returned, every item runs exactly once otherwise, and worker numbers stay below
// the thread count. Prints one line per check and "ok" last; exits 1 on the first failure.
#include <atomic>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <vector>

#include "parallel_for.h"

namespace {

int failures = 0;

void expect(bool condition, const char* what) {
  std::printf("%s %s\n", condition ? "pass" : "FAIL", what);
  if (!condition) ++failures;
}

}  // namespace

int main() {
  using annoy::ErrorKind;
  using annoy::parallel_for;
  using annoy::Status;

  for (const bool background : {false, true}) {
    std::vector<std::atomic<int>> runs(10000);
    std::atomic<bool> worker_in_range{true};
    const Status all = parallel_for(
        runs.size(), 2, background, "check: out of memory",
        [&](size_t i, size_t worker) {
          if (worker >= 2) worker_in_range = false;
          runs[i]++;
        },
        64);
    bool once = true;
    for (const auto& r : runs) once = once && r.load() == 1;
    expect(all.is_ok() && once, background ? "background: every item once" : "every item once");
    expect(worker_in_range.load(), "worker numbers below the thread count");

    // Thrown on whichever thread takes item 5000: the process goes on, the loop reports it.
    const Status oom = parallel_for(10000, 2, background, "check: out of memory", [&](size_t i, size_t) {
      if (i == 5000) throw std::bad_alloc();
    });
    expect(!oom.is_ok() && oom.kind() == ErrorKind::kOutOfMemory && oom.message() == "check: out of memory",
           "std::bad_alloc on a thread -> kOutOfMemory with the loop's message");

    const Status length = parallel_for(100, 2, background, "check: out of memory", [&](size_t i, size_t) {
      if (i == 7) throw std::length_error("vector");
    });
    expect(!length.is_ok() && length.kind() == ErrorKind::kOutOfMemory, "std::length_error -> kOutOfMemory");

    std::atomic<int> ran{0};
    const Status stopped = parallel_for(100000, 2, background, "check: out of memory", [&](size_t i, size_t) -> Status {
      ran++;
      if (i == 10) return Status::error(ErrorKind::kAborted, "item 10");
      return Status::ok();
    });
    expect(!stopped.is_ok() && stopped.kind() == ErrorKind::kAborted && stopped.message() == "item 10",
           "a failed Status is returned");
    expect(ran.load() < 100000, "a failed Status stops the other items");
  }

  const Status none =
      parallel_for(0, 4, false, "check: out of memory", [&](size_t, size_t) { throw std::bad_alloc(); });
  expect(none.is_ok(), "no items: nothing runs");

  std::printf(failures == 0 ? "ok\n" : "failed\n");
  return failures == 0 ? 0 : 1;
}
