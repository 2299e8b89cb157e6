// NativeIndex: the JavaScript-visible wrapper around one annoy::Index. Glue only: it converts
// arguments, calls the core (directly, or on a worker thread for the *Async methods), and turns
// Status values into exceptions through errors.h.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../cpp/index.h"
#include "release_queue.h"

namespace annoy_napi {

// What a piece of async work needs from the index while it runs: reading (queries, serialize)
// may overlap other reads; writing (build, load, save) excludes everything else.
enum class Access { kRead, kWrite };

class NativeIndex : public Napi::ObjectWrap<NativeIndex> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit NativeIndex(const Napi::CallbackInfo& info);
  ~NativeIndex() override;

  // Called on the JS thread only, so plain counters suffice. acquire throws ANNOY_BUSY when the
  // access conflicts with work in flight; async work holds its access until it settles.
  void check_access(Napi::Env env, Access access, const char* op) const;
  void acquire(Napi::Env env, Access access, const char* op);
  void release(Access access);
  // Async work shares ownership, so the index outlives its wrapper if that is collected first.
  std::shared_ptr<annoy::Index> shared_index() const { return index_; }
  // Async queries copy their input (the caller may change it meanwhile). The copy reuses the
  // last query's buffer, whose pages are already mapped: a fresh 30 MB buffer costs the event
  // loop as much in page faults as in copying.
  std::vector<float> take_spare_input();
  void return_spare_input(std::vector<float> buffer);

 private:
  Napi::Value add_item(const Napi::CallbackInfo& info);
  Napi::Value add_items(const Napi::CallbackInfo& info);
  Napi::Value build(const Napi::CallbackInfo& info);
  Napi::Value unbuild(const Napi::CallbackInfo& info);
  Napi::Value save(const Napi::CallbackInfo& info);
  Napi::Value load(const Napi::CallbackInfo& info);
  Napi::Value unload(const Napi::CallbackInfo& info);
  Napi::Value on_disk_build(const Napi::CallbackInfo& info);
  Napi::Value get_nns_by_item(const Napi::CallbackInfo& info);
  Napi::Value get_nns_by_vector(const Napi::CallbackInfo& info);
  Napi::Value copy_last_results(const Napi::CallbackInfo& info);
  Napi::Value query_sync(const Napi::CallbackInfo& info);
  Napi::Value query_by_items_sync(const Napi::CallbackInfo& info);
  Napi::Value get_distance(const Napi::CallbackInfo& info);
  Napi::Value get_item_vector(const Napi::CallbackInfo& info);
  Napi::Value serialize(const Napi::CallbackInfo& info);
  Napi::Value deserialize(const Napi::CallbackInfo& info);
  Napi::Value serialize_head(const Napi::CallbackInfo& info);
  Napi::Value copy_node_bytes(const Napi::CallbackInfo& info);
  Napi::Value file_checksum(const Napi::CallbackInfo& info);
  Napi::Value state(const Napi::CallbackInfo& info);
  Napi::Value set_seed(const Napi::CallbackInfo& info);
  Napi::Value set_verbosity(const Napi::CallbackInfo& info);
  Napi::Value drain_logs(const Napi::CallbackInfo& info);

  Napi::Value build_async(const Napi::CallbackInfo& info);
  Napi::Value start_build(const Napi::CallbackInfo& info, bool graph);
  Napi::Value cancel_build(const Napi::CallbackInfo& info);
  Napi::Value load_async(const Napi::CallbackInfo& info);
  Napi::Value save_async(const Napi::CallbackInfo& info);
  Napi::Value serialize_async(const Napi::CallbackInfo& info);
  Napi::Value query_async(const Napi::CallbackInfo& info);
  Napi::Value query_by_items_async(const Napi::CallbackInfo& info);

  // The neighbour graph (native_index_graph.cc).
  Napi::Value build_graph(const Napi::CallbackInfo& info);
  Napi::Value build_graph_async(const Napi::CallbackInfo& info);
  Napi::Value save_graph(const Napi::CallbackInfo& info);
  Napi::Value load_graph(const Napi::CallbackInfo& info);
  Napi::Value drop_graph(const Napi::CallbackInfo& info);
  Napi::Value serialize_graph(const Napi::CallbackInfo& info);

  Napi::Value write_neighbours(const Napi::CallbackInfo& info, size_t ids_arg, const annoy::Neighbours& found);

  std::shared_ptr<annoy::Index> index_;
  std::shared_ptr<ReleaseQueue> releases_;
  int readers_ = 0;
  bool writer_ = false;
  // Set by cancelBuild(); each buildAsync gets a fresh flag.
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::vector<float> spare_input_;
  // Verbose messages may come from build threads; they wait here until lib/ drains them.
  std::shared_ptr<std::mutex> log_mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::pair<int, std::string>>> logs_ =
      std::make_shared<std::vector<std::pair<int, std::string>>>();
};

}  // namespace annoy_napi
