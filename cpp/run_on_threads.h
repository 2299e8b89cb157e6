// The one way the core runs work in parallel: a few plain threads for the length of one call.
#pragma once

#include <cstddef>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "platform.h"

namespace annoy {

// Runs `work` on n threads: n - 1 new ones and the caller's, or, in the background, n new ones
// at a lower priority while the caller waits. When the OS refuses threads, fewer run it, so work
// must hand out its items itself (every caller does, from a shared counter).
template <class Work>
void run_on_threads(size_t n, bool background, Work&& work) {
  std::vector<std::thread> pool;
  auto body = [&work, background] {
    if (background) platform::lower_current_thread_priority();
    work();
  };
  try {
    for (size_t t = background ? 0 : 1; t < n; ++t) pool.emplace_back(body);
  } catch (const std::system_error&) {
    // Fewer threads than asked for: the ones that started share the work.
  }
  if (!background || pool.empty()) work();
  for (std::thread& t : pool) t.join();
}

}  // namespace annoy
