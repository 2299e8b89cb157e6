#include "async_workers.h"

#include "../cpp/allocation_guard.h"

#include <utility>

#include "convert.h"
#include "errors.h"

namespace annoy_napi {

IndexWorker::IndexWorker(NativeIndex* owner, const Napi::Object& receiver, Access access, const char* op)
    : Napi::AsyncWorker(receiver.Env(), op),
      owner_(owner),
      receiver_(Napi::Persistent(receiver)),
      access_(access),
      index_(owner->shared_index()),
      deferred_(Napi::Promise::Deferred::New(receiver.Env())) {
  owner_->acquire(receiver.Env(), access, op);
}

// When a worker thread's environment is being torn down (worker.terminate(), process.exit() in
// a worker), settling a promise or making an error object fails with a pending-exception
// Napi::Error; nobody can observe the promise any more, so that one failure is dropped rather
// than escape as std::terminate.
void IndexWorker::OnOK() {
  Napi::Env env = Env();
  finishing(env);
  owner_->release(access_);
  settled();
  try {
    if (status_.is_ok()) {
      deferred_.Resolve(result(env));
    } else {
      deferred_.Reject(make_error(env, status_));
    }
  } catch (const Napi::Error&) {
  }
}

void IndexWorker::OnError(const Napi::Error& error) {
  owner_->release(access_);
  settled();
  try {
    deferred_.Reject(error.Value());
  } catch (const Napi::Error&) {
  }
}

BuildWorker::BuildWorker(NativeIndex* owner, const Napi::Object& receiver, Kind kind, int64_t size, int64_t n_jobs,
                         std::shared_ptr<std::atomic<bool>> cancel, Napi::Value on_progress)
    : IndexWorker(owner, receiver, Access::kWrite,
                  kind == Kind::kTrees ? "annoy-napi:buildAsync" : "annoy-napi:buildGraphAsync"),
      kind_(kind),
      size_(size),
      n_jobs_(n_jobs),
      cancel_(std::move(cancel)) {
  if (on_progress.IsFunction()) {
    progress_ =
        Napi::ThreadSafeFunction::New(receiver.Env(), on_progress.As<Napi::Function>(), "annoy-napi:progress", 0, 1);
    final_progress_ = Napi::Persistent(on_progress.As<Napi::Function>());
    has_progress_ = true;
  }
  // A process or worker that exits while this runs must not wait for the rest of the build.
  napi_add_env_cleanup_hook(receiver.Env(), cancel_on_exit, cancel_.get());
}

void BuildWorker::cancel_on_exit(void* flag) { static_cast<std::atomic<bool>*>(flag)->store(true); }

void BuildWorker::report(int64_t done, int64_t total) {
  auto* counts = new std::pair<int64_t, int64_t>(done, total);
  const napi_status queued =
      progress_.NonBlockingCall(counts, [](Napi::Env env, Napi::Function callback, std::pair<int64_t, int64_t>* n) {
        const double first = static_cast<double>(n->first), second = static_cast<double>(n->second);
        delete n;
        if (env == nullptr || callback == nullptr) return;
        // Fails only while the environment is torn down (see OnOK); lib/ catches the user's errors.
        try {
          callback.Call({Napi::Number::New(env, first), Napi::Number::New(env, second)});
        } catch (const Napi::Error&) {
        }
      });
  if (queued != napi_ok) delete counts;
}

annoy::Status BuildWorker::run() {
  if (kind_ == Kind::kGraph) {
    annoy::GraphControl control;
    control.cancel = cancel_.get();
    control.background = true;
    if (has_progress_) {
      control.on_step = [this](int64_t done, int64_t total) {
        steps_total_.store(total);
        report(done, total);
      };
    }
    annoy::GraphSettings settings;
    settings.degree = size_;
    settings.n_jobs = n_jobs_;
    return index()->build_graph(settings, control);
  }
  annoy::BuildControl control;
  control.cancel = cancel_.get();
  control.background = true;
  if (has_progress_) control.on_tree = [this](int64_t trees_built) { report(trees_built, -1); };
  return index()->build(size_, n_jobs_, control);
}

// The last progress report is made here, while the index is still held for writing: whatever
// the callback calls on this index is ANNOY_BUSY, as during the build (issue #10, W2). Reports
// the thread-safe function delivers later carry no more progress, and lib/ ignores them.
void BuildWorker::finishing(Napi::Env env) {
  if (!has_progress_ || !status().is_ok()) return;
  const bool graph = kind_ == Kind::kGraph;
  const double done = graph ? static_cast<double>(steps_total_.load()) : static_cast<double>(index()->n_trees());
  try {
    final_progress_.Call({Napi::Number::New(env, done), Napi::Number::New(env, graph ? done : -1.0)});
  } catch (const Napi::Error&) {
    // Only while the environment is torn down (see OnOK); lib/ catches the user's errors.
  }
}

void BuildWorker::settled() {
  napi_remove_env_cleanup_hook(Env(), cancel_on_exit, cancel_.get());
  if (has_progress_) progress_.Release();
}

FileWorker::FileWorker(NativeIndex* owner, const Napi::Object& receiver, Kind kind, std::string path,
                       annoy::LoadMode mode)
    : IndexWorker(owner, receiver, Access::kWrite,
                  kind == Kind::kLoad ? "annoy-napi:loadAsync" : "annoy-napi:saveAsync"),
      kind_(kind),
      path_(std::move(path)),
      mode_(mode) {}

annoy::Status FileWorker::run() {
  return kind_ == Kind::kLoad ? index()->load(path_, mode_)
                              : index()->save(path_, mode_ == annoy::LoadMode::kMapPrefault);
}

SerializeWorker::SerializeWorker(NativeIndex* owner, const Napi::Object& receiver)
    : IndexWorker(owner, receiver, Access::kRead, "annoy-napi:serializeAsync") {}

annoy::Status SerializeWorker::run() { return index()->serialize(&bytes_); }

// The Buffer takes the snapshot's memory over: no copy.
Napi::Value SerializeWorker::result(Napi::Env env) { return adopt_bytes(env, std::move(bytes_)); }

QueryWorker::QueryWorker(NativeIndex* owner, const Napi::Object& receiver, bool by_items, std::vector<float> vectors,
                         size_t row_length, std::vector<int32_t> ids, size_t rows, int64_t k,
                         const annoy::SearchParams& search, int64_t threads, std::unique_ptr<annoy::IdFilter> filter)
    : IndexWorker(owner, receiver, Access::kRead, "annoy-napi:query"),
      by_items_(by_items),
      vectors_(std::move(vectors)),
      row_length_(row_length),
      ids_(std::move(ids)),
      rows_(rows),
      k_(k),
      search_(search),
      threads_(threads),
      filter_(std::move(filter)) {}

annoy::Status QueryWorker::run() {
  const size_t slots = rows_ * static_cast<size_t>(k_ > 0 ? k_ : 0);
  ANNOY_RETURN_IF_ERROR(annoy::guard_allocations("query: no memory for the results", [&] {
    out_ids_.assign(slots, -1);
    out_distances_.assign(slots, 0.0f);
    out_counts_.assign(rows_, 0);
    return annoy::Status::ok();
  }));
  const annoy::BatchOutput out{out_ids_.data(), out_distances_.data(), out_counts_.data()};
  if (by_items_)
    return index()->query_batch_by_items(ids_.data(), rows_, k_, search_, threads_, filter_.get(), out, true);
  const float* rows = shared_data_ != nullptr ? shared_data_ : vectors_.data();
  return index()->query_batch(rows, rows_, row_length_, k_, search_, threads_, filter_.get(), out, true);
}

Napi::Value QueryWorker::result(Napi::Env env) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("ids", adopt_vector(env, std::move(out_ids_)));
  out.Set("distances", adopt_vector(env, std::move(out_distances_)));
  out.Set("counts", adopt_vector(env, std::move(out_counts_)));
  return out;
}

}  // namespace annoy_napi
