#include "batch_args.h"

#include <algorithm>
#include <string>

#include "convert.h"
#include "errors.h"

namespace annoy_napi {

BatchArgs batch_args(const Napi::CallbackInfo& info, size_t first, int32_t n_items) {
  BatchArgs args;
  args.k = int_arg(info, first, "k");
  args.search = search_arg(info, first + 1);
  args.threads = int_arg(info, first + 2, "threads");
  args.filter = filter_arg(info, first + 3, n_items);
  return args;
}

size_t row_count(const Napi::CallbackInfo& info, size_t length, int64_t row_length) {
  if (row_length <= 0 || length % static_cast<size_t>(row_length) != 0) {
    throw_invalid_argument(info.Env(), "vectors: expected a length that is a multiple of f (" +
                                           std::to_string(row_length) + "), received " + std::to_string(length));
  }
  return length / static_cast<size_t>(row_length);
}

annoy::BatchOutput batch_output(const Napi::CallbackInfo& info, size_t first, size_t rows, int64_t k) {
  auto ids = typed_array_arg<Napi::Int32Array>(info, first, "ids", napi_int32_array);
  auto distances = typed_array_arg<Napi::Float32Array>(info, first + 1, "distances", napi_float32_array);
  auto counts = typed_array_arg<Napi::Uint32Array>(info, first + 2, "counts", napi_uint32_array);
  const size_t slots = rows * static_cast<size_t>(std::max<int64_t>(k, 0));
  if (ids.ElementLength() < slots || distances.ElementLength() < slots || counts.ElementLength() < rows) {
    throw_invalid_argument(info.Env(), "result buffers are smaller than rows x k");
  }
  return annoy::BatchOutput{ids.Data(), distances.Data(), counts.Data()};
}

}  // namespace annoy_napi
