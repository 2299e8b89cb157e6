#include "release_queue.h"

#include <system_error>
#include <utility>

namespace annoy_napi {

std::shared_ptr<ReleaseQueue> ReleaseQueue::create(Napi::Env env) {
  auto queue = std::make_shared<ReleaseQueue>();
  // The hook keeps the queue alive until it has run; Node runs hooks in reverse order of
  // registration, so this one runs before N-API's own teardown finalizes the wrappers.
  auto* hook_ref = new std::shared_ptr<ReleaseQueue>(queue);
  if (napi_add_env_cleanup_hook(env, on_env_cleanup, hook_ref) != napi_ok) {
    delete hook_ref;
    queue->closed_ = true;  // no hook, no thread: every release is inline
  }
  return queue;
}

void ReleaseQueue::on_env_cleanup(void* arg) {
  auto* hook_ref = static_cast<std::shared_ptr<ReleaseQueue>*>(arg);
  (*hook_ref)->close();
  delete hook_ref;
}

ReleaseQueue::~ReleaseQueue() { close(); }

void ReleaseQueue::release(std::shared_ptr<annoy::Index> doomed) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (closed_) {
    lock.unlock();
    doomed.reset();
    return;
  }
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      lock.unlock();
      doomed.reset();
      return;
    }
  }
  pending_.push_back(std::move(doomed));
  wake_.notify_one();
}

void ReleaseQueue::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closed_ || !pending_.empty(); });
    std::vector<std::shared_ptr<annoy::Index>> batch;
    batch.swap(pending_);
    if (batch.empty() && closed_) return;
    lock.unlock();
    batch.clear();  // the unmapping happens here, outside the lock
    lock.lock();
  }
}

void ReleaseQueue::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace annoy_napi
