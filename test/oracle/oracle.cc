// The reference side of the differential test: builds or queries an index with the original
// Annoy 1.17 header (annoylib.h from Debian's r-cran-rcppannoy, unpacked and compiled at test
// time, never copied into this repository).
//
//   oracle build METRIC F SEED N_TREES ITEMS.f32 IDS.i32 OUT.ann
//   oracle query METRIC F FILE.ann QUERIES.f32 N SEARCH_K   (prints "id:distance ..." per query)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "annoylib.h"
#include "kissrandom.h"

namespace {

std::vector<char> read_file(const char* path) {
  std::vector<char> bytes;
  FILE* f = std::fopen(path, "rb");
  if (f == nullptr) {
    std::perror(path);
    std::exit(2);
  }
  char chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
  std::fclose(f);
  return bytes;
}

// Annoy's Python packing: component > 0.5 sets bit j of word i for component 64 * i + j.
std::vector<uint64_t> pack_bits(const float* v, int f) {
  std::vector<uint64_t> words((f + 63) / 64, 0);
  for (int b = 0; b < f; ++b) {
    if (v[b] > 0.5f) words[b / 64] |= uint64_t{1} << (b % 64);
  }
  return words;
}

template <class T, class D>
int run(int argc, char** argv, int f) {
  const bool hamming = std::is_same<T, uint64_t>::value;
  const int dim = hamming ? (f + 63) / 64 : f;
  AnnoyIndex<int32_t, T, D, Kiss64Random, AnnoyIndexSingleThreadedBuildPolicy> index(dim);
  const std::string mode = argv[1];
  auto as_node = [&](const float* v) {
    std::vector<T> node(dim);
    if (hamming) {
      std::vector<uint64_t> words = pack_bits(v, f);
      std::memcpy(node.data(), words.data(), words.size() * sizeof(uint64_t));
    } else {
      std::memcpy(node.data(), v, sizeof(float) * f);
    }
    return node;
  };
  if (mode == "build" && argc == 9) {
    const std::vector<char> items = read_file(argv[6]);
    const std::vector<char> ids = read_file(argv[7]);
    const size_t n = ids.size() / sizeof(int32_t);
    for (size_t i = 0; i < n; ++i) {
      int32_t id;
      std::memcpy(&id, ids.data() + i * sizeof id, sizeof id);
      index.add_item(id, as_node(reinterpret_cast<const float*>(items.data()) + i * f).data());
    }
    index.set_seed(std::strtoull(argv[4], nullptr, 10));
    index.build(std::atoi(argv[5]), 1);
    return index.save(argv[8]) ? 0 : 1;
  }
  if (mode == "query" && argc == 8) {
    if (!index.load(argv[4])) return 1;
    const std::vector<char> queries = read_file(argv[5]);
    const size_t count = queries.size() / sizeof(float) / f;
    for (size_t q = 0; q < count; ++q) {
      std::vector<int32_t> result;
      std::vector<T> distances;
      index.get_nns_by_vector(as_node(reinterpret_cast<const float*>(queries.data()) + q * f).data(),
                              std::atoi(argv[6]), std::atoi(argv[7]), &result, &distances);
      for (size_t i = 0; i < result.size(); ++i) {
        std::printf("%s%d:%.9g", i ? " " : "", result[i], static_cast<double>(distances[i]));
      }
      std::printf("\n");
    }
    return 0;
  }
  std::fprintf(stderr, "usage: see the comment at the top of oracle.cc\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: see the comment at the top of oracle.cc\n");
    return 2;
  }
  const std::string metric = argv[2];
  const int f = std::atoi(argv[3]);
  if (metric == "angular") return run<float, Angular>(argc, argv, f);
  if (metric == "euclidean") return run<float, Euclidean>(argc, argv, f);
  if (metric == "manhattan") return run<float, Manhattan>(argc, argv, f);
  if (metric == "dot") return run<float, DotProduct>(argc, argv, f);
  if (metric == "hamming") return run<uint64_t, Hamming>(argc, argv, f);
  std::fprintf(stderr, "unknown metric %s\n", metric.c_str());
  return 2;
}
