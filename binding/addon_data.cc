#include "addon_data.h"

namespace annoy_napi {

AddonData& addon_data(Napi::Env env) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (data == nullptr) {
    data = new AddonData();
    data->releases = ReleaseQueue::create(env);
    env.SetInstanceData(data);
  }
  return *data;
}

}  // namespace annoy_napi
