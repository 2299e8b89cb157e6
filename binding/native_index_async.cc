// NativeIndex's asynchronous twins (async_workers.h): each converts its arguments on the JS
// thread, hands copies of them to a worker, and returns the worker's Promise.
#include <utility>
#include <vector>

#include "async_workers.h"
#include "batch_args.h"
#include "convert.h"
#include "native_index.h"

namespace annoy_napi {

// buildAsync(nTrees, nJobs, onProgress?)
Napi::Value NativeIndex::build_async(const Napi::CallbackInfo& info) { return start_build(info, false); }

// buildAsync(nTrees, nJobs, onProgress?) or buildGraphAsync(degree, nJobs, onProgress?):
// cancelBuild() stops either.
Napi::Value NativeIndex::start_build(const Napi::CallbackInfo& info, bool graph) {
  const int64_t size = int_arg(info, 0, graph ? "degree" : "n_trees");
  const int64_t n_jobs = int_arg(info, 1, "n_jobs");
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto* worker = new BuildWorker(this, info.This().As<Napi::Object>(),
                                 graph ? BuildWorker::Kind::kGraph : BuildWorker::Kind::kTrees, size, n_jobs, cancel,
                                 info.Length() > 2 ? info[2] : info.Env().Undefined());
  cancel_ = cancel;
  worker->Queue();
  return worker->promise();
}

// cancelBuild(): asks a running buildAsync to stop; it then rejects with ANNOY_ABORTED.
Napi::Value NativeIndex::cancel_build(const Napi::CallbackInfo& info) {
  if (cancel_) cancel_->store(true);
  return info.Env().Undefined();
}

Napi::Value NativeIndex::load_async(const Napi::CallbackInfo& info) {
  auto* worker = new FileWorker(this, info.This().As<Napi::Object>(), FileWorker::Kind::kLoad,
                                string_arg(info, 0, "path"), load_mode_arg(info, 1));
  worker->Queue();
  return worker->promise();
}

Napi::Value NativeIndex::save_async(const Napi::CallbackInfo& info) {
  auto* worker =
      new FileWorker(this, info.This().As<Napi::Object>(), FileWorker::Kind::kSave, string_arg(info, 0, "path"),
                     bool_arg(info, 1, "prefault") ? annoy::LoadMode::kMapPrefault : annoy::LoadMode::kMap);
  worker->Queue();
  return worker->promise();
}

Napi::Value NativeIndex::serialize_async(const Napi::CallbackInfo& info) {
  auto* worker = new SerializeWorker(this, info.This().As<Napi::Object>());
  worker->Queue();
  return worker->promise();
}

// query(vectors, rowLength, k, searchK, threads, allow?, deny?, shared) -> Promise<{ids, distances, counts}>
// shared: lib/ found the rows in a SharedArrayBuffer, which cannot be detached: read in place.
Napi::Value NativeIndex::query_async(const Napi::CallbackInfo& info) {
  const FloatView v = float32_arg(info, 0, "vectors");
  const int64_t row_length = int_arg(info, 1, "row length");
  check_access(info.Env(), Access::kRead, "query");
  BatchArgs args = batch_args(info, 2, index_->n_items());
  const size_t rows = row_count(info, v.length, row_length);
  const bool shared = info.Length() > 7 && info[7].IsBoolean() && info[7].As<Napi::Boolean>().Value();
  std::vector<float> input = take_spare_input();
  if (!shared) input.assign(v.data, v.data + v.length);
  auto* worker =
      new QueryWorker(this, info.This().As<Napi::Object>(), false, std::move(input), static_cast<size_t>(row_length),
                      {}, rows, args.k, args.search, args.threads, std::move(args.filter));
  if (shared) worker->read_in_place(info[0].As<Napi::Object>(), v.data);
  worker->Queue();
  return worker->promise();
}

// queryByItems(ids, k, searchK, threads, allow?, deny?) -> Promise<{ids, distances, counts}>
Napi::Value NativeIndex::query_by_items_async(const Napi::CallbackInfo& info) {
  auto ids = typed_array_arg<Napi::Int32Array>(info, 0, "ids", napi_int32_array);
  check_access(info.Env(), Access::kRead, "queryByItems");
  BatchArgs args = batch_args(info, 1, index_->n_items());
  auto* worker = new QueryWorker(this, info.This().As<Napi::Object>(), true, {}, 0,
                                 std::vector<int32_t>(ids.Data(), ids.Data() + ids.ElementLength()),
                                 ids.ElementLength(), args.k, args.search, args.threads, std::move(args.filter));
  worker->Queue();
  return worker->promise();
}

}  // namespace annoy_napi
