// Builds the neighbour graph over a built forest (docs/graph.md "Building"): candidate lists
// seeded from the items that share a leaf in each tree, refined by NN-descent (Dong, Charikar and
// Li, WWW 2011: local joins over new and old neighbours, sampled, with reverse neighbours, until
// fewer than delta * n * K lists change), then diversified by relative-neighbourhood pruning and
// filled with reverse edges up to the degree.
//
// Deterministic for a given seed and data, whatever the thread count: every random choice comes
// from a stream per (round, item), work is cut into fixed blocks, and a list keeps the best K of
// its offers by a total order, which does not depend on the order the offers arrive in.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "graph_candidates.h"
#include "kiss64.h"
#include "neighbour_graph.h"
#include "parallel_for.h"
#include "searcher.h"

namespace annoy {

constexpr int32_t kDefaultGraphDegree = 32;
constexpr const char* kGraphOutOfMemory = "buildGraph: out of memory";

struct GraphBuildOptions {
  int32_t degree = kDefaultGraphDegree;
  size_t threads = 1;
  bool background = false;
  uint64_t seed = Kiss64::kDefaultSeed;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int64_t done, int64_t total)> on_step;
  std::function<void(const std::string&)> log;
};

template <class M>
class GraphBuilder {
 public:
  GraphBuilder(const ForestView& view, const GraphBuildOptions& options)
      : view_(view),
        options_(options),
        n_(view.n_items),
        k_(options.degree),
        lists_(view.n_items, std::min(std::max(options.degree * 3 / 2, kMinListSize), graph_detail::kMaxListCapacity)),
        sample_(std::max<int32_t>(8, lists_.capacity() / 2)) {}

  Status run(std::unique_ptr<NeighbourGraph>* out) {
    const int64_t rounds = max_rounds();
    const int64_t total = rounds + 2;
    ANNOY_RETURN_IF_ERROR(initial_lists());
    step(1, total);
    for (int32_t r = 1; r <= rounds; ++r) {
      ANNOY_RETURN_IF_ERROR(check_cancel());
      uint64_t changed = 0;
      ANNOY_RETURN_IF_ERROR(descend(r, &changed));
      if (options_.log) {
        options_.log("graph: NN-descent round " + std::to_string(r) + " changed " + std::to_string(changed) +
                     " list entries");
      }
      step(1 + r, total);
      if (static_cast<double>(changed) <= kDelta * static_cast<double>(n_) * lists_.capacity()) break;
    }
    ANNOY_RETURN_IF_ERROR(check_cancel());
    std::vector<int32_t> rows;
    ANNOY_RETURN_IF_ERROR(diversify_and_reverse(&rows));
    ANNOY_RETURN_IF_ERROR(check_cancel());
    *out = std::make_unique<NeighbourGraph>(n_, k_, std::move(rows));
    step(total, total);
    return Status::ok();
  }

 private:
  static constexpr double kDelta = 0.001;  // the paper's early-termination threshold
  // NN-descent's lists hold 1.5 times the degree: pruning picks each row from them, so longer
  // lists give better rows, while a local join's cost grows with the square of the list
  // (docs/graph.md "Building" names the benchmark runs before and after). At least this many,
  // though: short lists converge to poor neighbourhoods.
  static constexpr int32_t kMinListSize = 16;
  // Each tree's leaf offers an item this many random leaf-mates to start from.
  static constexpr int32_t kLeafSamples = 8;
  static constexpr int32_t kBlock = 4096;  // items per local-join block
  static constexpr uint64_t kInitSalt = 0x9E3779B97F4A7C15ULL;

  struct Update {
    int32_t target;
    int32_t id;
    float distance;
  };

  // PyNNDescent's default: max(5, round(log2(n))) rounds at most.
  int64_t max_rounds() const {
    return std::max<int64_t>(5, std::llround(std::log2(std::max<double>(2.0, static_cast<double>(n_)))));
  }
  void step(int64_t done, int64_t total) const {
    if (options_.on_step) options_.on_step(done, total);
  }
  Status check_cancel() const {
    if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
      return Status::error(ErrorKind::kAborted, "buildGraph: aborted");
    }
    return Status::ok();
  }
  const uint8_t* node(int32_t id) const { return view_.nodes + static_cast<size_t>(id) * view_.node_size; }
  bool item(int32_t id) const { return is_item(view_, id); }
  float distance(int32_t a, int32_t b, float limit) const {
    if constexpr (M::kBoundedDistance) {
      return M::distance(node(a), node(b), view_.dim, *view_.kernels, limit);
    } else {
      (void)limit;
      return M::distance(node(a), node(b), view_.dim, *view_.kernels);
    }
  }

  // work(i, worker) for every i in [0, count), on the build's threads; worker < options_.threads.
  template <class Work>
  Status parallel_for(size_t count, Work&& work, size_t chunk = 64) const {
    return annoy::parallel_for(count, options_.threads, options_.background, kGraphOutOfMemory, work, chunk);
  }

  // Up to `want` of the `count` values at from[0..count) into to, chosen by rng (all when they fit).
  static int32_t sample_into(const int32_t* from, int32_t count, int32_t want, Kiss64& rng, int32_t* to) {
    if (count <= want) {
      std::copy(from, from + count, to);
      return count;
    }
    std::vector<int32_t>& pool = pool_scratch();
    pool.assign(from, from + count);
    for (int32_t i = 0; i < want; ++i) {
      const size_t j = static_cast<size_t>(i) + rng.index(static_cast<size_t>(count - i));
      std::swap(pool[static_cast<size_t>(i)], pool[j]);
      to[i] = pool[static_cast<size_t>(i)];
    }
    return want;
  }
  static std::vector<int32_t>& pool_scratch() {
    thread_local std::vector<int32_t> pool;
    return pool;
  }

  Status initial_lists();
  Status descend(int32_t round, uint64_t* changed);
  Status local_join(int32_t round, size_t block_begin, size_t block_end, const std::vector<int32_t>& news,
                    const std::vector<int32_t>& news_count, const std::vector<int32_t>& olds,
                    const std::vector<int32_t>& olds_count, size_t new_width, size_t old_width);
  Status diversify_and_reverse(std::vector<int32_t>* rows);

  // A copy: callers pass Forest::view(), a temporary.
  const ForestView view_;
  const GraphBuildOptions& options_;
  const int32_t n_;
  const int32_t k_;
  graph_detail::CandidateLists lists_;
  const int32_t sample_;
  std::vector<std::vector<std::vector<Update>>>
      updates_;  // how many new and how many reverse candidates a local join takes
};

}  // namespace annoy

#include "graph_build_steps.h"  // NOLINT(build/include_order): the member definitions
