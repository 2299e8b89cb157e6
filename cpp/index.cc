#include "index.h"

#include "forest.h"
#include "guarded_index.h"
#include "metric_hamming.h"
#include "metrics_float.h"

namespace annoy {

namespace {

std::unique_ptr<Index> create_forest(Metric metric, int f) {
  switch (metric) {
    case Metric::kAngular:
      return std::make_unique<Forest<Angular>>(f);
    case Metric::kEuclidean:
      return std::make_unique<Forest<Euclidean>>(f);
    case Metric::kManhattan:
      return std::make_unique<Forest<Manhattan>>(f);
    case Metric::kDot:
      return std::make_unique<Forest<Dot>>(f);
    case Metric::kHamming:
      return std::make_unique<Forest<Hamming>>(f);
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<Index> Index::create(Metric metric, int f) {
  return std::make_unique<GuardedIndex>(create_forest(metric, f));
}

}  // namespace annoy
