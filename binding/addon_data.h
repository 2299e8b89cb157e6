// What the addon keeps per environment (the main thread and each worker thread load it apart):
// lib/'s AnnoyError class and the queue that frees large indexes. Deleted by node-addon-api
// when its environment goes away.
#pragma once

#include <napi.h>

#include <memory>

#include "release_queue.h"

namespace annoy_napi {

struct AddonData {
  Napi::FunctionReference error_class;
  std::shared_ptr<ReleaseQueue> releases;
};

// Made on first use (module init), with its release queue.
AddonData& addon_data(Napi::Env env);

}  // namespace annoy_napi
