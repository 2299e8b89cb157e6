// NativeIndex's neighbour-graph methods (docs/graph.md): argument conversion only.
#include <memory>
#include <utility>
#include <vector>

#include "async_workers.h"
#include "convert.h"
#include "errors.h"
#include "native_index.h"

namespace annoy_napi {

// buildGraph(degree, nJobs)
Napi::Value NativeIndex::build_graph(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "buildGraph");
  annoy::GraphSettings settings;
  settings.degree = int_arg(info, 0, "degree");
  settings.n_jobs = int_arg(info, 1, "nJobs");
  return undefined_or_throw(info.Env(), index_->build_graph(settings, annoy::GraphControl()));
}

// buildGraphAsync(degree, nJobs, onProgress?) -> Promise; cancelBuild() stops it.
Napi::Value NativeIndex::build_graph_async(const Napi::CallbackInfo& info) { return start_build(info, true); }

Napi::Value NativeIndex::save_graph(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "saveGraph");
  return undefined_or_throw(info.Env(), index_->save_graph(string_arg(info, 0, "path")));
}

Napi::Value NativeIndex::load_graph(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "loadGraph");
  return undefined_or_throw(info.Env(), index_->load_graph(string_arg(info, 0, "path")));
}

Napi::Value NativeIndex::drop_graph(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kWrite, "dropGraph");
  index_->drop_graph();
  return info.Env().Undefined();
}

// serializeGraph() -> the graph's image (empty without a graph), which follows the nodes in a
// snapshot that lib/persistence.ts assembles in chunks.
Napi::Value NativeIndex::serialize_graph(const Napi::CallbackInfo& info) {
  check_access(info.Env(), Access::kRead, "serialize");
  std::vector<uint8_t> image;
  throw_if_error(info.Env(), index_->serialize_graph(&image));
  return adopt_bytes(info.Env(), std::move(image));
}

}  // namespace annoy_napi
