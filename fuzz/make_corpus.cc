// Writes the seed corpus of every harness: valid Annoy files and snapshots made by the core
// itself (each metric, a small and a SIMD-sized f, built and unbuilt), and a few edge cases
// (empty, a lone node, header only). Run by scripts/fuzz-corpus.sh; the output is committed.
//   make_corpus OUT_DIR   (writes OUT_DIR/annoy_file, OUT_DIR/snapshot, OUT_DIR/snapshot_raw)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "index.h"

namespace {

using Bytes = std::vector<uint8_t>;

void write(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "make_corpus: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

Bytes read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void must(const annoy::Status& status, const char* what) {
  if (status.is_ok()) return;
  std::fprintf(stderr, "make_corpus: %s: %s\n", what, status.message().c_str());
  std::exit(1);
}

// The annoy_file harness's 8 bytes of choices (fuzz_annoy_file.cc) for this metric and f.
Bytes choices(annoy::Metric metric, int f) {
  return Bytes{static_cast<uint8_t>(metric), static_cast<uint8_t>(f - 1), 0, 1, 2, 3, 4, 5};
}

// n items of a fixed pseudo-random sequence (hamming: bits), the same on every run.
std::unique_ptr<annoy::Index> make_index(annoy::Metric metric, int f, int n) {
  auto index = annoy::Index::create(metric, f);
  index->set_seed(42);
  uint32_t x = 12345;
  std::vector<float> v(static_cast<size_t>(f));
  for (int i = 0; i < n; ++i) {
    for (float& c : v) {
      x = x * 1664525u + 1013904223u;
      c = metric == annoy::Metric::kHamming ? static_cast<float>(x >> 31)
                                            : static_cast<float>(x >> 8) / 16777216.0f - 0.5f;
    }
    must(index->add_item(i, v.data(), v.size()), "add_item");
  }
  return index;
}

void emit(const std::string& out, const std::string& name, annoy::Metric metric, int f, int n, int trees,
          const std::string& tmp) {
  auto index = make_index(metric, f, n);
  Bytes snapshot;
  if (trees == 0) {
    must(index->serialize(&snapshot), "serialize");
  } else {
    must(index->build(trees, 1), "build");
    must(index->serialize(&snapshot), "serialize");
    must(index->save(tmp, false), "save");
    index->unload();
    Bytes file = choices(metric, f);
    const Bytes nodes = read(tmp);
    file.insert(file.end(), nodes.begin(), nodes.end());
    write(out + "/annoy_file/" + name, file);
  }
  write(out + "/snapshot/" + name, snapshot);
  write(out + "/snapshot_raw/" + name, snapshot);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus OUT_DIR\n");
    return 2;
  }
  const std::string out = argv[1];
  const std::string tmp = out + "/.make_corpus.tmp";
  const struct {
    annoy::Metric metric;
    const char* name;
    int wide_f;  // past 8 floats (the SIMD kernels) or 64 bits (a second hamming word)
  } metrics[] = {{annoy::Metric::kAngular, "angular", 9},
                 {annoy::Metric::kEuclidean, "euclidean", 9},
                 {annoy::Metric::kManhattan, "manhattan", 9},
                 {annoy::Metric::kDot, "dot", 9},
                 {annoy::Metric::kHamming, "hamming", 70}};
  for (const auto& m : metrics) {
    const std::string base = m.name;
    emit(out, base + "-f3-n24-t3", m.metric, 3, 24, 3, tmp);
    emit(out, base + "-f" + std::to_string(m.wide_f) + "-n16-t2", m.metric, m.wide_f, 16, 2, tmp);
    emit(out, base + "-f3-n1-t1", m.metric, 3, 1, 1, tmp);
    emit(out, base + "-f3-n6-unbuilt", m.metric, 3, 6, 0, tmp);
  }
  unlink(tmp.c_str());

  // Edge cases: an empty file, a lone zero node, a file cut inside a node; an empty snapshot and
  // a snapshot cut to its header.
  Bytes empty = choices(annoy::Metric::kAngular, 3);
  write(out + "/annoy_file/edge-empty", empty);
  Bytes lone = empty;
  lone.resize(empty.size() + 24, 0);  // one angular f = 3 node: 12 + 4 x 3 bytes
  write(out + "/annoy_file/edge-lone-node", lone);
  lone.resize(lone.size() - 5);
  write(out + "/annoy_file/edge-cut-node", lone);

  auto blank = annoy::Index::create(annoy::Metric::kEuclidean, 4);
  Bytes snapshot;
  if (blank->serialize(&snapshot).is_ok()) {
    write(out + "/snapshot/edge-no-items", snapshot);
    write(out + "/snapshot_raw/edge-no-items", snapshot);
  }
  auto some = make_index(annoy::Metric::kDot, 3, 4);
  must(some->serialize(&snapshot), "serialize");
  snapshot.resize(64);
  write(out + "/snapshot/edge-header-only", snapshot);
  write(out + "/snapshot_raw/edge-header-only", snapshot);
  return 0;
}
