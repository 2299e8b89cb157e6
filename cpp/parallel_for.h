// The core's one parallel loop: items [0, count) handed out in chunks from a shared counter to a
// few threads (run_on_threads). An exception must never leave a thread (it would end the
// process), so each thread's share runs under guard_allocations; the first failure, an allocation
// failure or a Status an item returns, stops the other threads before their next item and is what
// the loop returns.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <type_traits>
#include <utility>

#include "allocation_guard.h"
#include "run_on_threads.h"
#include "status.h"

namespace annoy {

// per_item(i, worker) runs once for every i, where worker < n_threads names the thread (for
// per-thread scratch). It returns void or a Status; a failed Status stops the loop.
template <class PerItem>
Status parallel_for(size_t count, size_t n_threads, bool background, const char* out_of_memory, PerItem&& per_item,
                    size_t chunk = 1) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> workers{0};
  std::atomic<bool> failed{false};
  std::mutex first_mutex;
  Status first;
  const size_t chunks = (count + chunk - 1) / chunk;
  run_on_threads(std::max<size_t>(1, std::min(n_threads, chunks)), background, [&] {
    const size_t worker = workers.fetch_add(1);
    Status status = guard_allocations(out_of_memory, [&]() -> Status {
      for (size_t begin = next.fetch_add(chunk); begin < count; begin = next.fetch_add(chunk)) {
        const size_t end = std::min(count, begin + chunk);
        for (size_t i = begin; i < end; ++i) {
          if (failed.load(std::memory_order_relaxed)) return Status::ok();
          if constexpr (std::is_void_v<std::invoke_result_t<PerItem&, size_t, size_t>>) {
            per_item(i, worker);
          } else {
            ANNOY_RETURN_IF_ERROR(per_item(i, worker));
          }
        }
      }
      return Status::ok();
    });
    if (!status.is_ok()) {
      std::lock_guard<std::mutex> lock(first_mutex);
      if (!failed.exchange(true)) first = std::move(status);
    }
  });
  return failed.load() ? first : Status::ok();
}

}  // namespace annoy
