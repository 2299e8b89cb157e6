// The core alone under ASan + UBSan (scripts/sanitize.sh): every public operation of cpp/index.h
// on every metric, at the SIMD level this process runs (ANNOY_NAPI_SIMD lowers it; the script
// runs this once per level). Besides what the sanitizers see, it checks that the ways of reaching
// the same index agree: built, saved and loaded, serialized and deserialized, built on disk,
// queried one by one and in batches, with and without the neighbour graph. Prints one "ok - " or "not ok - " line per
// metric and f, and exits 1 on any failure.
//   annoy_core_check [TMP_DIR]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "index.h"
#include "kernels.h"

namespace {

int failures = 0;
std::string current;

bool check(bool ok, const std::string& what) {
  if (!ok) {
    std::printf("#   %s: %s failed\n", current.c_str(), what.c_str());
    ++failures;
  }
  return ok;
}

bool ok(const annoy::Status& status, const std::string& what) {
  return check(status.is_ok(), what + (status.is_ok() ? "" : " (" + status.message() + ")"));
}

std::vector<float> items(annoy::Metric metric, int f, int n) {
  std::vector<float> out(static_cast<size_t>(f) * n);
  uint32_t x = 2026;
  for (float& c : out) {
    x = x * 1664525u + 1013904223u;
    c = metric == annoy::Metric::kHamming ? static_cast<float>(x >> 31)
                                          : static_cast<float>(x >> 8) / 16777216.0f - 0.5f;
  }
  return out;
}

// The answers of a fixed set of queries, by item and by vector, to compare indexes with.
std::vector<annoy::Neighbours> answers(const annoy::Index& index, const std::vector<float>& data, int f, int n) {
  std::vector<annoy::Neighbours> out;
  for (int i = 0; i < n; i += 7) {
    annoy::Neighbours by_item, by_vector;
    ok(index.get_nns_by_item(i, 10, -1, nullptr, &by_item), "get_nns_by_item");
    ok(index.get_nns_by_vector(&data[static_cast<size_t>(i) * f], f, 10, 200, nullptr, &by_vector),
       "get_nns_by_vector");
    out.push_back(by_item);
    out.push_back(by_vector);
  }
  return out;
}

// Graph searches (ef 60) by vector, and the same queries on the trees alone.
std::vector<annoy::Neighbours> graph_answers(const annoy::Index& index, const std::vector<float>& data, int f, int n) {
  std::vector<annoy::Neighbours> out;
  annoy::SearchParams on_graph(-1);
  on_graph.ef = 60;
  annoy::SearchParams on_trees(-1);
  on_trees.graph = false;
  for (int i = 0; i < n; i += 11) {
    annoy::Neighbours walked, tree;
    ok(index.get_nns_by_vector(&data[static_cast<size_t>(i) * f], f, 10, on_graph, nullptr, &walked), "graph search");
    ok(index.get_nns_by_vector(&data[static_cast<size_t>(i) * f], f, 10, on_trees, nullptr, &tree), "tree search");
    out.push_back(walked);
    out.push_back(tree);
  }
  return out;
}

bool same(const std::vector<annoy::Neighbours>& a, const std::vector<annoy::Neighbours>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].ids != b[i].ids) return false;
    for (size_t j = 0; j < a[i].distances.size(); ++j) {
      if (a[i].distances[j] != b[i].distances[j] && !(std::isnan(a[i].distances[j]) && std::isnan(b[i].distances[j]))) {
        return false;
      }
    }
  }
  return true;
}

// The graph built on one and two threads, searched, saved beside the file (save() writes the
// sidecar), loaded back with it, carried by a snapshot, and dropped: every route answers alike.
void run_graph_case(annoy::Metric metric, int f, const std::vector<float>& data, int n, const std::string& path) {
  auto index = annoy::Index::create(metric, f);
  index->set_seed(7);
  ok(index->add_items(0, data.data(), n, f), "add_items");
  ok(index->build(5, 1), "build");
  annoy::GraphSettings settings;
  settings.degree = 12;
  settings.n_jobs = 2;
  int64_t steps = 0;
  annoy::GraphControl control;
  control.on_step = [&steps](int64_t, int64_t) { ++steps; };
  if (!ok(index->build_graph(settings, control), "build_graph on 2 threads")) return;
  check(steps > 0, "build_graph reports progress");
  const annoy::GraphSummary summary = index->graph_summary();
  check(summary.present && summary.degree == 12 && summary.edges > 0, "graph summary");
  const auto expected = graph_answers(*index, data, f, n);
  for (size_t i = 0; i < expected.size(); ++i) check(expected[i].ids.size() == 10, "graph search answers 10");

  settings.n_jobs = 1;
  auto single = annoy::Index::create(metric, f);
  single->set_seed(7);
  ok(single->add_items(0, data.data(), n, f), "add_items");
  ok(single->build(5, 1), "build");
  ok(single->build_graph(settings, annoy::GraphControl{}), "build_graph on 1 thread");
  check(same(expected, graph_answers(*single, data, f, n)), "1- and 2-thread graphs answer alike");

  std::vector<uint8_t> snapshot;
  ok(index->serialize(&snapshot), "serialize with a graph");
  ok(index->save(path, false), "save with a graph");
  check(same(expected, graph_answers(*index, data, f, n)), "graph answers after save");
  check(index->graph_summary().in_sidecar, "saved graph is the sidecar");

  auto loaded = annoy::Index::create(metric, f);
  ok(loaded->load(path, annoy::LoadMode::kMap), "load with its sidecar");
  check(loaded->graph_summary().present, "load maps the sidecar");
  check(same(expected, graph_answers(*loaded, data, f, n)), "loaded graph answers equal built");
  loaded->drop_graph();
  ok(loaded->load_graph(path + ".graph"), "load_graph");
  check(same(expected, graph_answers(*loaded, data, f, n)), "load_graph answers equal built");
  loaded->unload();

  auto restored = annoy::Index::create(metric, 0);
  ok(restored->deserialize(snapshot.data(), snapshot.size()), "deserialize with a graph");
  check(same(expected, graph_answers(*restored, data, f, n)), "deserialized graph answers equal built");
  restored->drop_graph();
  check(!restored->graph_summary().present, "drop_graph");
  unlink((path + ".graph").c_str());
  unlink(path.c_str());
}

void run_case(annoy::Metric metric, int f, const std::string& dir) {
  current = std::string(annoy::metric_name(metric)) + " f=" + std::to_string(f);
  const int before = failures;
  const int n = 300;
  const std::vector<float> data = items(metric, f, n);
  const std::string path = dir + "/core_check_" + annoy::metric_name(metric) + "_" + std::to_string(f) + ".ann";

  auto built = annoy::Index::create(metric, f);
  built->set_seed(7);
  ok(built->add_items(0, data.data(), n, f), "add_items");
  ok(built->build(5, 1), "build");
  const auto expected = answers(*built, data, f, n);

  // Trees built on two threads differ from one thread's (each thread has its own random
  // sequence), so this build is only checked to answer every query in full.
  auto threaded = annoy::Index::create(metric, f);
  ok(threaded->add_items(0, data.data(), n, f), "add_items");
  ok(threaded->build(5, 2), "build on 2 threads");
  for (const annoy::Neighbours& got : answers(*threaded, data, f, n))
    check(got.ids.size() == 10, "threaded build answers 10");

  // Batches, on two threads, with a filter, must answer each row as a single query does.
  const int rows = 20;
  std::vector<int32_t> ids(static_cast<size_t>(rows) * 10);
  std::vector<float> distances(ids.size());
  std::vector<uint32_t> counts(rows);
  const annoy::BatchOutput batch{ids.data(), distances.data(), counts.data()};
  std::vector<int32_t> deny = {0, 1, 2, 299, 5000, -4};
  const annoy::IdFilter filter(built->n_items(), nullptr, 0, false, deny.data(), deny.size());
  if (ok(built->query_batch(data.data(), rows, f, 10, -1, 2, &filter, batch), "query_batch")) {
    for (int r = 0; r < rows; ++r) {
      annoy::Neighbours single;
      ok(built->get_nns_by_vector(&data[static_cast<size_t>(r) * f], f, 10, -1, &filter, &single), "filtered query");
      const std::vector<int32_t> row(ids.begin() + r * 10, ids.begin() + r * 10 + counts[r]);
      check(row == single.ids, "batch row " + std::to_string(r) + " equals its single query");
    }
  }
  std::vector<int32_t> which = {0, 17, 299};
  ok(built->query_batch_by_items(which.data(), which.size(), 10, -1, 2, nullptr, batch), "query_batch_by_items");

  float distance = 0;
  ok(built->get_distance(3, 4, &distance), "get_distance");
  std::vector<float> vector;
  ok(built->get_item_vector(9, &vector), "get_item_vector");
  check(vector.size() == static_cast<size_t>(f), "get_item_vector length");
  annoy::Neighbours none;
  check(!built->get_nns_by_item(n, 10, -1, nullptr, &none).is_ok(), "an id past the end is refused");

  std::vector<uint8_t> snapshot;
  ok(built->serialize(&snapshot), "serialize");
  ok(built->save(path, false), "save");
  check(same(expected, answers(*built, data, f, n)), "answers after save (now serving the file)");
  uint32_t crc = 0;
  ok(built->file_checksum(&crc), "file_checksum");

  auto loaded = annoy::Index::create(metric, f);
  ok(loaded->load(path, annoy::LoadMode::kMapPrefault), "load");
  check(same(expected, answers(*loaded, data, f, n)), "loaded answers equal built answers");
  loaded->unload();
  auto copied = annoy::Index::create(metric, f);
  ok(copied->load(path, annoy::LoadMode::kCopy), "load a copy");
  check(same(expected, answers(*copied, data, f, n)), "copied answers equal built answers");

  // The snapshot copied to an odd offset: deserialize() is handed buffers at any alignment
  // (a Node Buffer can be a slice of a pool).
  std::vector<uint8_t> shifted(snapshot.size() + 1);
  std::copy(snapshot.begin(), snapshot.end(), shifted.begin() + 1);
  auto restored = annoy::Index::create(metric, 0);
  ok(restored->deserialize(shifted.data() + 1, snapshot.size()), "deserialize at an odd address");
  check(same(expected, answers(*restored, data, f, n)), "deserialized answers equal built answers");
  ok(restored->unbuild(), "unbuild a deserialized index");
  restored->set_seed(7);
  ok(restored->build(5, 1), "rebuild");
  check(same(expected, answers(*restored, data, f, n)), "rebuilt answers (same seed) equal built answers");

  auto on_disk = annoy::Index::create(metric, f);
  on_disk->set_seed(7);
  ok(on_disk->on_disk_build(path + ".disk"), "on_disk_build");
  ok(on_disk->add_items(0, data.data(), n, f), "add_items on disk");
  ok(on_disk->build(5, 1), "build on disk");
  check(same(expected, answers(*on_disk, data, f, n)), "on-disk answers equal built answers");
  on_disk->unload();

  unlink(path.c_str());
  unlink((path + ".disk").c_str());
  run_graph_case(metric, f, data, n, path);
  std::printf("%s - core %s at %s\n", failures == before ? "ok" : "not ok", current.c_str(),
              annoy::simd_level_name(annoy::active_simd_level()));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  const annoy::Metric metrics[] = {annoy::Metric::kAngular, annoy::Metric::kEuclidean, annoy::Metric::kManhattan,
                                   annoy::Metric::kDot, annoy::Metric::kHamming};
  for (annoy::Metric metric : metrics) {
    // Under 8 floats (scalar kernels), a SIMD width and a remainder; hamming: one and two words.
    const std::vector<int> dims =
        metric == annoy::Metric::kHamming ? std::vector<int>{3, 70} : std::vector<int>{5, 8, 19};
    for (int f : dims) run_case(metric, f, dir);
  }
  return failures == 0 ? 0 : 1;
}
