#include "metric.h"

#include <cctype>

namespace annoy {

namespace {

struct Alias {
  const char* name;
  Metric metric;
};

constexpr Alias kAliases[] = {
    {"angular", Metric::kAngular},
    {"cosine", Metric::kAngular},
    {"euclidean", Metric::kEuclidean},
    {"euclid", Metric::kEuclidean},
    {"l2", Metric::kEuclidean},
    {"lstsq", Metric::kEuclidean},
    {"manhattan", Metric::kManhattan},
    {"cityblock", Metric::kManhattan},
    {"taxicab", Metric::kManhattan},
    {"l1", Metric::kManhattan},
    {"dot", Metric::kDot},
    {"dotproduct", Metric::kDot},
    {"inner_product", Metric::kDot},
    {"innerproduct", Metric::kDot},
    {"inner", Metric::kDot},
    {"ip", Metric::kDot},
    {".", Metric::kDot},
    {"@", Metric::kDot},
    {"hamming", Metric::kHamming},
    {"ham", Metric::kHamming},
};

std::string normalize_name(const std::string& name) {
  size_t begin = 0, end = name.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(name[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(name[end - 1]))) --end;
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return out;
}

}  // namespace

Status parse_metric(const std::string& name, Metric* out) {
  const std::string wanted = normalize_name(name);
  for (const Alias& alias : kAliases) {
    if (wanted == alias.name) {
      *out = alias.metric;
      return Status::ok();
    }
  }
  return Status::error(ErrorKind::kUnknownMetric,
                       "metric: expected one of angular, euclidean, manhattan, dot, hamming (or an "
                       "alias such as cosine, l2, l1, inner_product), received \"" +
                           name + "\"");
}

const char* metric_name(Metric metric) {
  // In the enum's order.
  constexpr const char* kNames[] = {"angular", "euclidean", "manhattan", "dot", "hamming"};
  const size_t index = static_cast<size_t>(metric);
  return index < sizeof kNames / sizeof kNames[0] ? kNames[index] : "unknown";
}

}  // namespace annoy
