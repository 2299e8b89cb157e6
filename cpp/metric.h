// Metric names and ids shared by the core and its bindings.
#pragma once

#include <string>

#include "status.h"

namespace annoy {

// What a split says of an item: 0 left, 1 right, or undecided (a zero margin, for which Annoy
// flips a coin).
constexpr int kSideUndecided = 2;

enum class Metric { kAngular = 0, kEuclidean = 1, kManhattan = 2, kDot = 3, kHamming = 4 };

// Accepts the canonical names and their aliases, case-insensitively, ignoring surrounding spaces
// (docs/compatibility.md "Metric names").
Status parse_metric(const std::string& name, Metric* out);
const char* metric_name(Metric metric);

}  // namespace annoy
