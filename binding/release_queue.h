// Frees large indexes off the event loop without ever leaving a thread of ours running once the
// environment that made it is gone. Unmapping hundreds of megabytes takes tens of milliseconds,
// so a garbage-collected wrapper hands its index here; but a worker thread's environment can be
// torn down and this addon unloaded (dlclose) right after, and a detached thread still inside
// munmap then returns into unmapped code (issue #10, C1). So the thread is owned by its
// environment: an environment cleanup hook, which Node runs before it unloads the addon, waits
// for the queue to drain and joins the thread; anything released after that is freed inline.
#pragma once

#include <napi.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "../cpp/index.h"

namespace annoy_napi {

class ReleaseQueue {
 public:
  // One per environment: registers the cleanup hook that closes it.
  static std::shared_ptr<ReleaseQueue> create(Napi::Env env);
  ReleaseQueue() = default;
  ReleaseQueue(const ReleaseQueue&) = delete;
  ReleaseQueue& operator=(const ReleaseQueue&) = delete;
  ~ReleaseQueue();

  // Drops the caller's reference on the queue's thread while the environment lives, and right
  // here once it is closing (or when no thread can be started).
  void release(std::shared_ptr<annoy::Index> doomed);

 private:
  static void on_env_cleanup(void* arg);
  // Finishes what is queued, joins the thread, and frees inline from then on. Idempotent.
  void close();
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::shared_ptr<annoy::Index>> pending_;
  bool closed_ = false;
  std::thread thread_;
};

}  // namespace annoy_napi
