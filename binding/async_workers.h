// Promise-returning work on libuv's thread pool. Each worker owns copies of its inputs (a
// caller may reuse or detach its buffers meanwhile), shares ownership of the index, and keeps
// the JS wrapper alive until it settles, so garbage collection can never free memory under it.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "../cpp/index.h"
#include "native_index.h"

namespace annoy_napi {

class IndexWorker : public Napi::AsyncWorker {
 public:
  // Acquires the access on construction (throws ANNOY_BUSY on conflict).
  IndexWorker(NativeIndex* owner, const Napi::Object& receiver, Access access, const char* op);
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  virtual annoy::Status run() = 0;  // worker thread
  virtual Napi::Value result(Napi::Env env) { return env.Undefined(); }
  virtual void finishing(Napi::Env) {}  // JS thread, while the access is still held
  virtual void settled() {}             // JS thread, before the promise settles
  const annoy::Status& status() const { return status_; }
  const std::shared_ptr<annoy::Index>& index() const { return index_; }
  NativeIndex* owner() const { return owner_; }

 private:
  void Execute() override { status_ = run(); }
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

  NativeIndex* owner_;
  Napi::ObjectReference receiver_;  // keeps the wrapper (and owner_) alive until settled
  Access access_;
  std::shared_ptr<annoy::Index> index_;
  Napi::Promise::Deferred deferred_;
  annoy::Status status_;
};

// buildAsync (the trees: size is n_trees, progress(trees built)) or buildGraphAsync (size is the
// degree, progress(steps done, steps in all)).
class BuildWorker final : public IndexWorker {
 public:
  enum class Kind { kTrees, kGraph };
  BuildWorker(NativeIndex* owner, const Napi::Object& receiver, Kind kind, int64_t size, int64_t n_jobs,
              std::shared_ptr<std::atomic<bool>> cancel, Napi::Value on_progress);

 private:
  annoy::Status run() override;
  void finishing(Napi::Env env) override;
  void settled() override;
  static void cancel_on_exit(void* flag);

  void report(int64_t done, int64_t total);

  Kind kind_;
  int64_t size_, n_jobs_;
  std::atomic<int64_t> steps_total_{0};
  std::shared_ptr<std::atomic<bool>> cancel_;
  bool has_progress_ = false;
  Napi::ThreadSafeFunction progress_;
  Napi::FunctionReference final_progress_;
};

class FileWorker final : public IndexWorker {
 public:
  enum class Kind { kLoad, kSave };
  // For kSave, mode says only whether to prefault the saved file when it is mapped.
  FileWorker(NativeIndex* owner, const Napi::Object& receiver, Kind kind, std::string path, annoy::LoadMode mode);

 private:
  annoy::Status run() override;
  Kind kind_;
  std::string path_;
  annoy::LoadMode mode_;
};

class SerializeWorker final : public IndexWorker {
 public:
  SerializeWorker(NativeIndex* owner, const Napi::Object& receiver);

 private:
  annoy::Status run() override;
  Napi::Value result(Napi::Env env) override;
  std::vector<uint8_t> bytes_;
};

// Batch queries by vectors (rows x row_length floats) or by item ids.
class QueryWorker final : public IndexWorker {
 public:
  // by_items: ids holds the queries; otherwise vectors does.
  QueryWorker(NativeIndex* owner, const Napi::Object& receiver, bool by_items, std::vector<float> vectors,
              size_t row_length, std::vector<int32_t> ids, size_t rows, int64_t k, const annoy::SearchParams& search,
              int64_t threads, std::unique_ptr<annoy::IdFilter> filter);

 private:
  annoy::Status run() override;
  Napi::Value result(Napi::Env env) override;
  void settled() override { owner()->return_spare_input(std::move(vectors_)); }

 public:
  // Reads the rows in place instead of from vectors_: only for memory that cannot be detached
  // (a SharedArrayBuffer), kept alive by the reference.
  void read_in_place(const Napi::Object& rows, const float* data) {
    shared_rows_ = Napi::Persistent(rows);
    shared_data_ = data;
  }

 private:
  Napi::ObjectReference shared_rows_;
  const float* shared_data_ = nullptr;
  bool by_items_;
  std::vector<float> vectors_;
  size_t row_length_;
  std::vector<int32_t> ids_;
  size_t rows_;
  int64_t k_;
  annoy::SearchParams search_;
  int64_t threads_;
  std::unique_ptr<annoy::IdFilter> filter_;
  std::vector<int32_t> out_ids_;
  std::vector<float> out_distances_;
  std::vector<uint32_t> out_counts_;
};

}  // namespace annoy_napi
