// GraphBuilder's steps (graph_build.h): the initial lists, one NN-descent round, and the final
// pruning with reverse edges.
#pragma once

#include <algorithm>
#include <numeric>
#include <vector>

#include "graph_build.h"

namespace annoy {

template <class M>
Status GraphBuilder<M>::initial_lists() {
  graph_detail::Leaves leaves;
  ANNOY_RETURN_IF_ERROR(graph_detail::collect_leaves<M>(view_, &leaves));
  std::vector<int32_t> items;
  for (int32_t v = 0; v < n_; ++v) {
    if (item(v)) items.push_back(v);
  }
  const size_t trees = view_.roots->size();
  const size_t n = static_cast<size_t>(n_);
  const int32_t want = lists_.capacity();
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t vi, size_t) {
    const int32_t v = static_cast<int32_t>(vi);
    if (!item(v)) return;
    Kiss64 rng = Kiss64::stream(options_.seed ^ kInitSalt, vi);
    auto offer = [&](int32_t u) { lists_.offer(v, u, distance(v, u, lists_.bound(v)), 0); };
    for (size_t t = 0; t < trees; ++t) {
      const int32_t leaf = leaves.of_item[t * n + vi];
      if (leaf < 0) continue;
      const size_t begin = leaves.starts[static_cast<size_t>(leaf)];
      const size_t count = leaves.starts[static_cast<size_t>(leaf) + 1] - begin;
      if (count <= static_cast<size_t>(kLeafSamples) + 1) {
        for (size_t i = 0; i < count; ++i) offer(leaves.items[begin + i]);
      } else {
        for (int32_t s = 0; s < kLeafSamples; ++s) offer(leaves.items[begin + rng.index(count)]);
      }
    }
    // Items the leaves left short (tiny forests, an item no tree holds) start from random ones.
    for (int32_t attempt = 0; lists_.size(v) < want && attempt < 2 * want && items.size() > 1; ++attempt) {
      offer(items[rng.index(items.size())]);
    }
  }));
  return Status::ok();
}

template <class M>
Status GraphBuilder<M>::descend(int32_t round, uint64_t* changed) {
  const size_t n = static_cast<size_t>(n_);
  const size_t cap = static_cast<size_t>(lists_.capacity());
  const size_t s = static_cast<size_t>(sample_);
  // Forward: each list's fresh candidates, sampled (and marked used), and its used ones.
  std::vector<int32_t> fresh(n * s), fresh_count(n, 0), used(n * cap), used_count(n, 0);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t vi, size_t) {
    const int32_t v = static_cast<int32_t>(vi);
    graph_detail::Candidate* list = lists_.begin(v);
    const int32_t size = lists_.size(v);
    // A list's heap layout depends on the order its offers arrived in, which depends on the
    // threads: sample from it in its total order instead, so that the sample (and the graph)
    // is the same for any nJobs. It is made a heap again below.
    std::sort(list, list + size, graph_detail::heap_order);
    int32_t n_fresh = 0, n_used = 0;
    int32_t fresh_slots[graph_detail::kMaxListCapacity];
    for (int32_t i = 0; i < size; ++i) {
      if (list[i].fresh) {
        fresh_slots[n_fresh++] = i;
      } else {
        used[vi * cap + static_cast<size_t>(n_used++)] = list[i].id;
      }
    }
    Kiss64 rng = Kiss64::stream(options_.seed + static_cast<uint64_t>(round) * 2, vi);
    int32_t chosen[graph_detail::kMaxListCapacity];
    const int32_t taken = sample_into(fresh_slots, n_fresh, sample_, rng, chosen);
    for (int32_t i = 0; i < taken; ++i) {
      graph_detail::Candidate& c = list[chosen[i]];
      c.fresh = false;
      fresh[vi * s + static_cast<size_t>(i)] = c.id;
    }
    std::make_heap(list, list + size, graph_detail::heap_order);
    fresh_count[vi] = taken;
    used_count[vi] = n_used;
  }));

  // Reverse: who lists v, in increasing order of the lister (a sequential pass: deterministic).
  auto reverse = [&](const std::vector<int32_t>& rows, const std::vector<int32_t>& counts, size_t width,
                     std::vector<size_t>* starts, std::vector<int32_t>* sources) {
    starts->assign(n + 1, 0);
    for (size_t v = 0; v < n; ++v) {
      for (int32_t i = 0; i < counts[v]; ++i) ++(*starts)[static_cast<size_t>(rows[v * width + i]) + 1];
    }
    std::partial_sum(starts->begin(), starts->end(), starts->begin());
    sources->resize((*starts)[n]);
    std::vector<size_t> fill(starts->begin(), starts->end() - 1);
    for (size_t v = 0; v < n; ++v) {
      for (int32_t i = 0; i < counts[v]; ++i) {
        (*sources)[fill[static_cast<size_t>(rows[v * width + i])]++] = static_cast<int32_t>(v);
      }
    }
  };
  std::vector<size_t> fresh_rev_starts, used_rev_starts;
  std::vector<int32_t> fresh_rev, used_rev;
  reverse(fresh, fresh_count, s, &fresh_rev_starts, &fresh_rev);
  reverse(used, used_count, cap, &used_rev_starts, &used_rev);

  // Joined: forward plus a sample of the reverse, without repeats.
  const size_t new_width = 2 * s, old_width = cap + s;
  std::vector<int32_t> news(n * new_width), news_count(n, 0), olds(n * old_width), olds_count(n, 0);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t vi, size_t) {
    Kiss64 rng = Kiss64::stream(options_.seed + static_cast<uint64_t>(round) * 2 + 1, vi);
    int32_t* nw = &news[vi * new_width];
    int32_t* ol = &olds[vi * old_width];
    int32_t nn = fresh_count[vi], no = used_count[vi];
    std::copy(&fresh[vi * s], &fresh[vi * s] + nn, nw);
    std::copy(&used[vi * cap], &used[vi * cap] + no, ol);
    auto holds = [](const int32_t* row, int32_t count, int32_t id) {
      return std::find(row, row + count, id) != row + count;
    };
    int32_t picked[graph_detail::kMaxListCapacity];
    const int32_t rn =
        sample_into(fresh_rev.data() + fresh_rev_starts[vi],
                    static_cast<int32_t>(fresh_rev_starts[vi + 1] - fresh_rev_starts[vi]), sample_, rng, picked);
    for (int32_t i = 0; i < rn; ++i) {
      if (!holds(nw, nn, picked[i])) nw[nn++] = picked[i];
    }
    const int32_t ro =
        sample_into(used_rev.data() + used_rev_starts[vi],
                    static_cast<int32_t>(used_rev_starts[vi + 1] - used_rev_starts[vi]), sample_, rng, picked);
    for (int32_t i = 0; i < ro; ++i) {
      if (!holds(ol, no, picked[i]) && !holds(nw, nn, picked[i])) ol[no++] = picked[i];
    }
    news_count[vi] = nn;
    olds_count[vi] = no;
  }));

  for (size_t begin = 0; begin < n; begin += kBlock) {
    if (check_cancel().kind() == ErrorKind::kAborted) break;
    ANNOY_RETURN_IF_ERROR(local_join(round, begin, std::min(n, begin + kBlock), news, news_count, olds, olds_count,
                                     new_width, old_width));
  }

  std::vector<uint64_t> changed_by(options_.threads, 0);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t vi, size_t worker) {
    const graph_detail::Candidate* list = lists_.begin(static_cast<int32_t>(vi));
    for (int32_t i = 0; i < lists_.size(static_cast<int32_t>(vi)); ++i) changed_by[worker] += list[i].added == round;
  }));
  *changed = std::accumulate(changed_by.begin(), changed_by.end(), uint64_t{0});
  return Status::ok();
}

template <class M>
Status GraphBuilder<M>::local_join(int32_t round, size_t block_begin, size_t block_end,
                                   const std::vector<int32_t>& news, const std::vector<int32_t>& news_count,
                                   const std::vector<int32_t>& olds, const std::vector<int32_t>& olds_count,
                                   size_t new_width, size_t old_width) {
  const size_t parts = options_.threads;
  // updates[worker][part]: what one worker found for the lists of one part (target % parts);
  // kept between blocks, so their memory is reused.
  auto& updates = updates_;
  if (updates.size() != parts) updates.assign(parts, std::vector<std::vector<Update>>(parts));
  ANNOY_RETURN_IF_ERROR(parallel_for(block_end - block_begin, [&](size_t i, size_t worker) {
    const size_t v = block_begin + i;
    const int32_t* nw = &news[v * new_width];
    const int32_t* ol = &olds[v * old_width];
    auto consider = [&](int32_t a, int32_t b) {
      const float bound_a = lists_.bound(a), bound_b = lists_.bound(b);
      const float d = distance(a, b, std::max(bound_a, bound_b));
      if (d < bound_a) updates[worker][static_cast<size_t>(a) % parts].push_back(Update{a, b, d});
      if (d < bound_b) updates[worker][static_cast<size_t>(b) % parts].push_back(Update{b, a, d});
    };
    for (int32_t x = 0; x < news_count[v]; ++x) {
      for (int32_t y = x + 1; y < news_count[v]; ++y) consider(nw[x], nw[y]);
      for (int32_t y = 0; y < olds_count[v]; ++y) {
        if (nw[x] != ol[y]) consider(nw[x], ol[y]);
      }
    }
  }));
  ANNOY_RETURN_IF_ERROR(parallel_for(
      parts,
      [&](size_t part, size_t) {
        for (size_t w = 0; w < parts; ++w) {
          for (const Update& u : updates[w][part]) lists_.offer(u.target, u.id, u.distance, round);
          updates[w][part].clear();
        }
      },
      1));
  return Status::ok();
}

template <class M>
Status GraphBuilder<M>::diversify_and_reverse(std::vector<int32_t>* rows) {
  const size_t n = static_cast<size_t>(n_);
  const size_t d = static_cast<size_t>(k_);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t v, size_t) { lists_.sort(static_cast<int32_t>(v)); }));
  // Relative-neighbourhood pruning: c stays in v's row unless a nearer kept neighbour r of v is
  // closer to c than v is.
  std::vector<int32_t> kept(n * d, kNoNeighbour), kept_count(n, 0);
  std::vector<float> kept_distance(n * d, 0);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t v, size_t) {
    const graph_detail::Candidate* list = lists_.begin(static_cast<int32_t>(v));
    int32_t* row = &kept[v * d];
    int32_t count = 0;
    for (int32_t i = 0; i < lists_.size(static_cast<int32_t>(v)) && static_cast<size_t>(count) < d; ++i) {
      const graph_detail::Candidate& c = list[i];
      bool keep = true;
      // The rule needs a metric: the dot product's -<x, y> is not one (an item is not its own
      // nearest), and pruning with it kept test/graph/recall.test.ts's clustered dot case below
      // recall 0.999 at any ef, so dot rows keep
      // their nearest candidates, as inner-product graphs do (Morozov and Babenko, "Non-metric
      // similarity graphs for maximum inner product search", NeurIPS 2018).
      if constexpr (M::kMetric != Metric::kDot) {
        for (int32_t r = 0; r < count && keep; ++r) keep = !(distance(c.id, row[r], c.distance) < c.distance);
      }
      if (!keep) continue;
      kept_distance[v * d + static_cast<size_t>(count)] = c.distance;
      row[count++] = c.id;
    }
    // Pruning alone leaves Fashion-MNIST's rows at ~7 neighbours, too few for the beam to find
    // its way; the nearest pruned candidates fill each row back to half the degree
    // (docs/graph.md "Building" gives the two benchmark runs, before and after).
    const int32_t fill_to = static_cast<int32_t>(d / 2);
    for (int32_t i = 0; i < lists_.size(static_cast<int32_t>(v)) && count < fill_to; ++i) {
      const graph_detail::Candidate& c = list[i];
      if (std::find(row, row + count, c.id) != row + count) continue;
      kept_distance[v * d + static_cast<size_t>(count)] = c.distance;
      row[count++] = c.id;
    }
    kept_count[v] = count;
  }));
  // Reverse edges, nearest first, fill what pruning left free.
  std::vector<size_t> starts(n + 1, 0);
  for (size_t v = 0; v < n; ++v) {
    for (int32_t i = 0; i < kept_count[v]; ++i) ++starts[static_cast<size_t>(kept[v * d + i]) + 1];
  }
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  std::vector<graph_detail::Candidate> sources(starts[n]);
  std::vector<size_t> fill(starts.begin(), starts.end() - 1);
  for (size_t v = 0; v < n; ++v) {
    for (size_t i = 0; i < static_cast<size_t>(kept_count[v]); ++i) {
      sources[fill[static_cast<size_t>(kept[v * d + i])]++] =
          graph_detail::Candidate{kept_distance[v * d + i], static_cast<int32_t>(v), 0, false};
    }
  }
  rows->assign(n * d, kNoNeighbour);
  ANNOY_RETURN_IF_ERROR(parallel_for(n, [&](size_t u, size_t) {
    int32_t* row = &(*rows)[u * d];
    int32_t count = kept_count[u];
    std::copy(&kept[u * d], &kept[u * d] + count, row);
    std::sort(sources.begin() + static_cast<std::ptrdiff_t>(starts[u]),
              sources.begin() + static_cast<std::ptrdiff_t>(starts[u + 1]), graph_detail::heap_order);
    for (size_t i = starts[u]; i < starts[u + 1] && static_cast<size_t>(count) < d; ++i) {
      if (std::find(row, row + count, sources[i].id) == row + count) row[count++] = sources[i].id;
    }
  }));
  return Status::ok();
}

}  // namespace annoy
