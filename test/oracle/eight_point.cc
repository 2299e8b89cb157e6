// Builds the 8-point fixture (docs/format.md "The 8-point fixture") with our core and saves one
// file per metric.
// python-flags.test.ts compiles it with the flags Python's annoy is built with, to show that the
// published SHA-256 values (taken from a Python build) are reproduced bit for bit.
//   eight_point OUT_DIR
#include <cstdio>
#include <string>

#include "index.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const float points[8][2] = {{2, 2}, {3, 2}, {3, 3}, {-1, 0}, {0, -1}, {5, 1}, {1, 5}, {-2, -3}};
  const struct {
    const char* name;
    annoy::Metric metric;
  } metrics[] = {{"euclidean", annoy::Metric::kEuclidean},
                 {"angular", annoy::Metric::kAngular},
                 {"manhattan", annoy::Metric::kManhattan},
                 {"dot", annoy::Metric::kDot}};
  for (const auto& m : metrics) {
    auto index = annoy::Index::create(m.metric, 2);
    for (int i = 0; i < 8; ++i) index->add_item(i, points[i], 2);
    if (!index->build(2, 1).is_ok()) return 1;
    const annoy::Status saved = index->save(std::string(argv[1]) + "/" + m.name + ".ann", false);
    if (!saved.is_ok()) {
      std::fprintf(stderr, "%s\n", saved.message().c_str());
      return 1;
    }
  }
  return 0;
}
