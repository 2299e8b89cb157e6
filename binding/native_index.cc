#include "native_index.h"

#include "../cpp/argument_checks.h"
#include "addon_data.h"
#include "async_workers.h"
#include "batch_args.h"
#include "convert.h"
#include "errors.h"

namespace annoy_napi {

namespace {

thread_local annoy::Neighbours neighbours;

}  // namespace

Napi::Function NativeIndex::define(Napi::Env env) {
  return DefineClass(env, "NativeIndex",
                     {
                         InstanceMethod<&NativeIndex::add_item>("addItem"),
                         InstanceMethod<&NativeIndex::add_items>("addItems"),
                         InstanceMethod<&NativeIndex::build>("build"),
                         InstanceMethod<&NativeIndex::unbuild>("unbuild"),
                         InstanceMethod<&NativeIndex::save>("save"),
                         InstanceMethod<&NativeIndex::load>("load"),
                         InstanceMethod<&NativeIndex::unload>("unload"),
                         InstanceMethod<&NativeIndex::on_disk_build>("onDiskBuild"),
                         InstanceMethod<&NativeIndex::get_nns_by_item>("getNnsByItem"),
                         InstanceMethod<&NativeIndex::get_nns_by_vector>("getNnsByVector"),
                         InstanceMethod<&NativeIndex::copy_last_results>("copyLastResults"),
                         InstanceMethod<&NativeIndex::query_sync>("querySync"),
                         InstanceMethod<&NativeIndex::query_by_items_sync>("queryByItemsSync"),
                         InstanceMethod<&NativeIndex::get_distance>("getDistance"),
                         InstanceMethod<&NativeIndex::get_item_vector>("getItemVector"),
                         InstanceMethod<&NativeIndex::serialize>("serialize"),
                         InstanceMethod<&NativeIndex::deserialize>("deserialize"),
                         InstanceMethod<&NativeIndex::serialize_head>("serializeHead"),
                         InstanceMethod<&NativeIndex::copy_node_bytes>("copyNodeBytes"),
                         InstanceMethod<&NativeIndex::file_checksum>("fileChecksum"),
                         InstanceMethod<&NativeIndex::state>("state"),
                         InstanceMethod<&NativeIndex::set_seed>("setSeed"),
                         InstanceMethod<&NativeIndex::set_verbosity>("setVerbosity"),
                         InstanceMethod<&NativeIndex::drain_logs>("drainLogs"),
                         InstanceMethod<&NativeIndex::build_async>("buildAsync"),
                         InstanceMethod<&NativeIndex::cancel_build>("cancelBuild"),
                         InstanceMethod<&NativeIndex::load_async>("loadAsync"),
                         InstanceMethod<&NativeIndex::save_async>("saveAsync"),
                         InstanceMethod<&NativeIndex::serialize_async>("serializeAsync"),
                         InstanceMethod<&NativeIndex::query_async>("query"),
                         InstanceMethod<&NativeIndex::query_by_items_async>("queryByItems"),
                         InstanceMethod<&NativeIndex::build_graph>("buildGraph"),
                         InstanceMethod<&NativeIndex::build_graph_async>("buildGraphAsync"),
                         InstanceMethod<&NativeIndex::save_graph>("saveGraph"),
                         InstanceMethod<&NativeIndex::load_graph>("loadGraph"),
                         InstanceMethod<&NativeIndex::drop_graph>("dropGraph"),
                         InstanceMethod<&NativeIndex::serialize_graph>("serializeGraph"),
                     });
}

// new NativeIndex(metric: string, f: number)
NativeIndex::NativeIndex(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeIndex>(info) {
  annoy::Metric metric;
  throw_if_error(info.Env(), annoy::parse_metric(string_arg(info, 0, "metric"), &metric));
  const int64_t f = int_arg(info, 1, "f");
  if (f < 0 || f > annoy::kMaxDimension)
    throw_invalid_argument(info.Env(), "f: expected an integer from 0 to 67108864, received " + std::to_string(f));
  index_ = annoy::Index::create(metric, static_cast<int>(f));
  releases_ = addon_data(info.Env()).releases;
  auto mutex = log_mutex_;
  auto logs = logs_;
  index_->set_log_sink([mutex, logs](int level, const std::string& message) {
    std::lock_guard<std::mutex> lock(*mutex);
    logs->emplace_back(level, message);
  });
}

// Runs when the wrapper is garbage collected, on the event loop, or when its environment is
// torn down. Unmapping hundreds of megabytes takes tens of milliseconds, so a large index is let
// go on the environment's release thread (release_queue.h says why not a thread of its own).
NativeIndex::~NativeIndex() {
  constexpr size_t kReleaseInBackground = size_t{16} << 20;
  if (!index_ || !releases_ || index_.use_count() > 1 || index_->memory_usage() < kReleaseInBackground) return;
  releases_->release(std::move(index_));
}

void NativeIndex::check_access(Napi::Env env, Access access, const char* op) const {
  if (writer_) {
    throw_busy(env, std::string(op) + ": the index is busy with buildAsync, loadAsync or saveAsync; await it first");
  }
  if (access == Access::kWrite && readers_ > 0) {
    throw_busy(env, std::string(op) + ": " + std::to_string(readers_) +
                        " asynchronous queries or serializations are still running on this index; await them first");
  }
}

void NativeIndex::acquire(Napi::Env env, Access access, const char* op) {
  check_access(env, access, op);
  if (access == Access::kWrite) {
    writer_ = true;
  } else {
    ++readers_;
  }
}

void NativeIndex::release(Access access) {
  if (access == Access::kWrite) {
    writer_ = false;
  } else {
    --readers_;
  }
}

std::vector<float> NativeIndex::take_spare_input() { return std::move(spare_input_); }

void NativeIndex::return_spare_input(std::vector<float> buffer) {
  constexpr size_t kMaxKeptFloats = size_t{64} << 20 >> 2;  // keep at most 64 MiB
  if (buffer.capacity() <= kMaxKeptFloats && buffer.capacity() > spare_input_.capacity())
    spare_input_ = std::move(buffer);
}

Napi::Value NativeIndex::add_item(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "add_item");
  const int64_t id = int_arg(info, 0, "i");
  const FloatView v = float32_arg(info, 1, "vector");
  return undefined_or_throw(info.Env(), index_->add_item(id, v.data, v.length));
}

// addItems(startId, flat, rowLength)
Napi::Value NativeIndex::add_items(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "addItems");
  const int64_t start = int_arg(info, 0, "startId");
  const FloatView v = float32_arg(info, 1, "vectors");
  const int64_t row_length = int_arg(info, 2, "row length");
  return undefined_or_throw(info.Env(), index_->add_items(start, v.data, row_count(info, v.length, row_length),
                                                          static_cast<size_t>(row_length)));
}

Napi::Value NativeIndex::build(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "build");
  return undefined_or_throw(info.Env(), index_->build(int_arg(info, 0, "n_trees"), int_arg(info, 1, "n_jobs")));
}

Napi::Value NativeIndex::unbuild(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "unbuild");
  return undefined_or_throw(info.Env(), index_->unbuild());
}

Napi::Value NativeIndex::save(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "save");
  return undefined_or_throw(info.Env(), index_->save(string_arg(info, 0, "path"), bool_arg(info, 1, "prefault")));
}

Napi::Value NativeIndex::load(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "load");
  return undefined_or_throw(info.Env(), index_->load(string_arg(info, 0, "path"), load_mode_arg(info, 1)));
}

Napi::Value NativeIndex::unload(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "unload");
  index_->unload();
  return info.Env().Undefined();
}

Napi::Value NativeIndex::on_disk_build(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "on_disk_build");
  return undefined_or_throw(info.Env(), index_->on_disk_build(string_arg(info, 0, "path")));
}

// Results go into the caller's reusable Int32Array/Float32Array (no allocation per query); the
// return value is how many were found. When they do not fit, nothing is written: the caller
// grows its buffers and fetches them with copyLastResults().
Napi::Value NativeIndex::write_neighbours(const Napi::CallbackInfo& info, size_t ids_arg,
                                          const annoy::Neighbours& found) {
  Napi::Int32Array ids = typed_array_arg<Napi::Int32Array>(info, ids_arg, "ids", napi_int32_array);
  Napi::Float32Array distances =
      typed_array_arg<Napi::Float32Array>(info, ids_arg + 1, "distances", napi_float32_array);
  const size_t count = found.ids.size();
  if (ids.ElementLength() >= count && distances.ElementLength() >= count) {
    std::copy(found.ids.begin(), found.ids.end(), ids.Data());
    std::copy(found.distances.begin(), found.distances.end(), distances.Data());
  }
  return Napi::Number::New(info.Env(), static_cast<double>(count));
}

// copyLastResults(ids, distances): the last getNnsBy* answer on this thread, again.
Napi::Value NativeIndex::copy_last_results(const Napi::CallbackInfo& info) {
  const size_t count = neighbours.ids.size();
  Napi::Int32Array ids = typed_array_arg<Napi::Int32Array>(info, 0, "ids", napi_int32_array);
  Napi::Float32Array distances = typed_array_arg<Napi::Float32Array>(info, 1, "distances", napi_float32_array);
  if (ids.ElementLength() < count || distances.ElementLength() < count) {
    throw_invalid_argument(info.Env(), "result buffers are smaller than the last result");
  }
  return write_neighbours(info, 0, neighbours);
}

// getNnsByItem(i, n, searchK, idsOut, distancesOut, allow?, deny?) -> count
Napi::Value NativeIndex::get_nns_by_item(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "get_nns_by_item");
  auto filter = filter_arg(info, 5, index_->n_items());
  throw_if_error(info.Env(), index_->get_nns_by_item(int_arg(info, 0, "i"), int_arg(info, 1, "n"), search_arg(info, 2),
                                                     filter.get(), &neighbours));
  return write_neighbours(info, 3, neighbours);
}

// getNnsByVector(vector, n, searchK, idsOut, distancesOut, allow?, deny?) -> count
Napi::Value NativeIndex::get_nns_by_vector(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "get_nns_by_vector");
  const FloatView v = float32_arg(info, 0, "vector");
  auto filter = filter_arg(info, 5, index_->n_items());
  throw_if_error(info.Env(), index_->get_nns_by_vector(v.data, v.length, int_arg(info, 1, "n"), search_arg(info, 2),
                                                       filter.get(), &neighbours));
  return write_neighbours(info, 3, neighbours);
}

// querySync(vectors, rowLength, k, searchK, threads, allow?, deny?, idsOut, distancesOut, countsOut)
Napi::Value NativeIndex::query_sync(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "querySync");
  const FloatView v = float32_arg(info, 0, "vectors");
  const int64_t row_length = int_arg(info, 1, "row length");
  BatchArgs args = batch_args(info, 2, index_->n_items());
  const size_t rows = row_count(info, v.length, row_length);
  const annoy::BatchOutput out = batch_output(info, 7, rows, args.k);
  return undefined_or_throw(info.Env(), index_->query_batch(v.data, rows, static_cast<size_t>(row_length), args.k,
                                                            args.search, args.threads, args.filter.get(), out));
}

// queryByItemsSync(ids, k, searchK, threads, allow?, deny?, idsOut, distancesOut, countsOut)
Napi::Value NativeIndex::query_by_items_sync(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "queryByItemsSync");
  auto ids = typed_array_arg<Napi::Int32Array>(info, 0, "ids", napi_int32_array);
  BatchArgs args = batch_args(info, 1, index_->n_items());
  const annoy::BatchOutput out = batch_output(info, 6, ids.ElementLength(), args.k);
  return undefined_or_throw(
      info.Env(), index_->query_batch_by_items(ids.Data(), ids.ElementLength(), args.k, args.search, args.threads,
                                               args.filter.get(), out));
}

Napi::Value NativeIndex::get_distance(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "get_distance");
  float d = 0;
  throw_if_error(info.Env(), index_->get_distance(int_arg(info, 0, "i"), int_arg(info, 1, "j"), &d));
  return Napi::Number::New(info.Env(), d);
}

// getItemVector(i, out?): fills out (a Float32Array of length f) when given, else returns a new one.
Napi::Value NativeIndex::get_item_vector(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "get_item_vector");
  std::vector<float> v;
  throw_if_error(info.Env(), index_->get_item_vector(int_arg(info, 0, "i"), &v));
  Napi::Float32Array out;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    out = typed_array_arg<Napi::Float32Array>(info, 1, "out", napi_float32_array);
    if (out.ElementLength() != v.size()) {
      throw_invalid_argument(info.Env(), "out: expected a Float32Array of length " + std::to_string(v.size()) +
                                             ", received length " + std::to_string(out.ElementLength()));
    }
  } else {
    out = Napi::Float32Array::New(info.Env(), v.size());
  }
  std::copy(v.begin(), v.end(), out.Data());
  return out;
}

// The snapshot's bytes are handed to JS without a copy: the Buffer owns the vector.
Napi::Value NativeIndex::serialize(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "serialize");
  std::vector<uint8_t> bytes;
  throw_if_error(info.Env(), index_->serialize(&bytes));
  return adopt_bytes(info.Env(), std::move(bytes));
}

Napi::Value NativeIndex::deserialize(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "deserialize");
  Napi::Uint8Array bytes = typed_array_arg<Napi::Uint8Array>(info, 0, "bytes", napi_uint8_array);
  return undefined_or_throw(info.Env(), index_->deserialize(bytes.Data(), bytes.ElementLength()));
}

Napi::Value NativeIndex::serialize_head(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "serialize");
  std::vector<uint8_t> head;
  throw_if_error(info.Env(), index_->serialize_head(&head));
  return Napi::Buffer<uint8_t>::Copy(info.Env(), head.data(), head.size());
}

// copyNodeBytes(offset, out): fills out with the node bytes starting at offset.
Napi::Value NativeIndex::copy_node_bytes(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "serialize");
  const int64_t offset = int_arg(info, 0, "offset");
  Napi::Uint8Array out = typed_array_arg<Napi::Uint8Array>(info, 1, "out", napi_uint8_array);
  if (offset < 0) throw_invalid_argument(info.Env(), "offset: expected a non-negative integer");
  return undefined_or_throw(info.Env(),
                            index_->copy_node_bytes(static_cast<size_t>(offset), out.Data(), out.ElementLength()));
}

// fileChecksum() -> CRC-32 of the file this index serves (ANNOY_IO / ANNOY_FILE_CHANGED when its
// path no longer names that file).
Napi::Value NativeIndex::file_checksum(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "toState");
  uint32_t crc = 0;
  throw_if_error(info.Env(), index_->file_checksum(&crc));
  return Napi::Number::New(info.Env(), crc);
}

// One call for every property lib/ reports, so info() costs one crossing. While exclusive async
// work runs, the index's fields are being changed on another thread: only `busy` is reported.
Napi::Value NativeIndex::state(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_access(env, Access::kRead, "state");
  Napi::Object s = Napi::Object::New(env);
  s.Set("f", Napi::Number::New(env, index_->f()));
  s.Set("metric", Napi::String::New(env, annoy::metric_name(index_->metric())));
  s.Set("nItems", Napi::Number::New(env, index_->n_items()));
  s.Set("nTrees", Napi::Number::New(env, index_->n_trees()));
  s.Set("built", Napi::Boolean::New(env, index_->is_built()));
  s.Set("loaded", Napi::Boolean::New(env, index_->is_loaded()));
  s.Set("onDisk", Napi::Boolean::New(env, index_->is_on_disk()));
  const std::string& path = index_->on_disk_path();
  s.Set("path", path.empty() ? env.Null() : Napi::String::New(env, path));
  s.Set("memoryUsage", Napi::Number::New(env, static_cast<double>(index_->memory_usage())));
  s.Set("nodeBytes", Napi::Number::New(env, static_cast<double>(index_->node_bytes())));
  s.Set("seed", Napi::BigInt::New(env, index_->seed()));
  s.Set("busy", Napi::Boolean::New(env, readers_ > 0));
  const annoy::GraphSummary graph = index_->graph_summary();
  if (graph.present) {
    Napi::Object g = Napi::Object::New(env);
    g.Set("degree", Napi::Number::New(env, graph.degree));
    g.Set("edges", Napi::Number::New(env, static_cast<double>(graph.edges)));
    g.Set("memoryUsage", Napi::Number::New(env, static_cast<double>(graph.memory_bytes)));
    g.Set("inSidecar", Napi::Boolean::New(env, graph.in_sidecar));
    s.Set("graph", g);
  } else {
    s.Set("graph", env.Null());
  }
  return s;
}

Napi::Value NativeIndex::set_seed(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "set_seed");
  if (info.Length() < 1 || !info[0].IsBigInt()) throw_invalid_argument(info.Env(), "seed: expected a bigint");
  bool lossless = false;
  const uint64_t seed = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw_invalid_argument(info.Env(), "seed: expected an integer from 0 to 2^64 - 1");
  index_->set_seed(seed);
  return info.Env().Undefined();
}

Napi::Value NativeIndex::set_verbosity(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "verbose");
  index_->set_verbosity(static_cast<int>(int_arg(info, 0, "level")));
  return info.Env().Undefined();
}

// [[level, message], ...] collected since the last call.
Napi::Value NativeIndex::drain_logs(const Napi::CallbackInfo& info) {
  std::vector<std::pair<int, std::string>> pending;
  {
    std::lock_guard<std::mutex> lock(*log_mutex_);
    pending.swap(*logs_);
  }
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    Napi::Array entry = Napi::Array::New(env, 2);
    entry.Set(0u, Napi::Number::New(env, pending[i].first));
    entry.Set(1u, Napi::String::New(env, pending[i].second));
    out.Set(static_cast<uint32_t>(i), entry);
  }
  return out;
}

}  // namespace annoy_napi
