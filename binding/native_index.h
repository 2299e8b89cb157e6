// NativeIndex: the JavaScript-visible wrapper around one annoy::Index. Glue only: it converts
// arguments, calls the core, and turns Status values into exceptions through errors.h.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../cpp/index.h"

namespace annoy_napi {

class NativeIndex : public Napi::ObjectWrap<NativeIndex> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit NativeIndex(const Napi::CallbackInfo& info);

 private:
  Napi::Value add_item(const Napi::CallbackInfo& info);
  Napi::Value build(const Napi::CallbackInfo& info);
  Napi::Value unbuild(const Napi::CallbackInfo& info);
  Napi::Value save(const Napi::CallbackInfo& info);
  Napi::Value load(const Napi::CallbackInfo& info);
  Napi::Value unload(const Napi::CallbackInfo& info);
  Napi::Value on_disk_build(const Napi::CallbackInfo& info);
  Napi::Value get_nns_by_item(const Napi::CallbackInfo& info);
  Napi::Value get_nns_by_vector(const Napi::CallbackInfo& info);
  Napi::Value get_distance(const Napi::CallbackInfo& info);
  Napi::Value get_item_vector(const Napi::CallbackInfo& info);
  Napi::Value serialize(const Napi::CallbackInfo& info);
  Napi::Value deserialize(const Napi::CallbackInfo& info);
  Napi::Value serialize_head(const Napi::CallbackInfo& info);
  Napi::Value copy_node_bytes(const Napi::CallbackInfo& info);
  Napi::Value state(const Napi::CallbackInfo& info);
  Napi::Value set_seed(const Napi::CallbackInfo& info);
  Napi::Value set_verbosity(const Napi::CallbackInfo& info);
  Napi::Value drain_logs(const Napi::CallbackInfo& info);

  Napi::Value write_neighbours(const Napi::CallbackInfo& info, size_t ids_arg, const annoy::Neighbours& found);

  std::unique_ptr<annoy::Index> index_;
  // Verbose messages may come from build threads; they wait here until lib/ drains them.
  std::shared_ptr<std::mutex> log_mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::pair<int, std::string>>> logs_ =
      std::make_shared<std::vector<std::pair<int, std::string>>>();
};

}  // namespace annoy_napi
