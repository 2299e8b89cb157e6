// Benchmark driver for the ORIGINAL Annoy C++ library (Spotify, 1.17 as shipped in Debian's
// r-cran-rcppannoy). This file is ours; annoylib.h and kissrandom.h are NOT in this repository:
// bench/original/build.js unpacks them into bench/.cache and compiles this file against them with
//   g++ -O3 -march=native -DANNOYLIB_MULTITHREADED_BUILD -std=c++14 -pthread
//
// Modes (all output is one JSON object on stdout):
//   build --metric M --dim D --base F --trees T --threads N --runs R --out INDEX
//       adds every row of F (float32, row-major), builds R times (fresh index each run), saves the
//       last one to INDEX. Reports add/build/save seconds and the file size.
//   query --metric M --dim D --index INDEX --queries F --nq N --k K --search-k a,b,c --runs R
//         [--batch-search-k S --batch-threads 1,2]
//       loads INDEX (mmap, no prefault), runs N single queries per search_k R times, reports
//       queries/s per run and the ids of the first run; then a batch of N queries split over
//       threads; resident memory before and after load and after the query pass.
#include "annoylib.h"
#include "kissrandom.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

typedef AnnoyIndexInterface<int32_t, float> Iface;

static double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

static long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, 6, "VmRSS:") == 0) return std::atol(line.c_str() + 6);
  return -1;
}

static std::vector<float> read_f32(const std::string& path, size_t max_floats = 0) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) { std::perror(path.c_str()); std::exit(2); }
  std::fseek(f, 0, SEEK_END);
  size_t n = std::ftell(f) / 4;
  std::fseek(f, 0, SEEK_SET);
  if (max_floats && max_floats < n) n = max_floats;
  std::vector<float> v(n);
  if (std::fread(v.data(), 4, n, f) != n) { std::fprintf(stderr, "short read %s\n", path.c_str()); std::exit(2); }
  std::fclose(f);
  return v;
}

static std::vector<long> parse_list(const std::string& s) {
  std::vector<long> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) if (!item.empty()) out.push_back(std::atol(item.c_str()));
  return out;
}

static Iface* make_index(const std::string& metric, int dim) {
  if (metric == "euclidean")
    return new AnnoyIndex<int32_t, float, Euclidean, Kiss64Random, AnnoyIndexMultiThreadedBuildPolicy>(dim);
  if (metric == "angular")
    return new AnnoyIndex<int32_t, float, Angular, Kiss64Random, AnnoyIndexMultiThreadedBuildPolicy>(dim);
  std::fprintf(stderr, "unknown metric %s\n", metric.c_str());
  std::exit(2);
}

template <typename V> static std::string json_list(const V& v) {
  std::ostringstream o;
  o.precision(9);
  o << "[";
  for (size_t i = 0; i < v.size(); i++) o << (i ? "," : "") << v[i];
  o << "]";
  return o.str();
}

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: annoy_bench build|query --opt value ...\n"); return 2; }
  std::string mode = argv[1];
  std::map<std::string, std::string> opt;
  for (int i = 2; i + 1 < argc; i += 2) opt[argv[i] + 2] = argv[i + 1];
  auto get = [&](const char* k, const char* d) { return opt.count(k) ? opt[k] : std::string(d); };
  const std::string metric = get("metric", "euclidean");
  const int dim = std::atoi(get("dim", "0").c_str());
  char* err = nullptr;

  if (mode == "build") {
    const int trees = std::atoi(get("trees", "10").c_str());
    const int threads = std::atoi(get("threads", "1").c_str());
    const int runs = std::atoi(get("runs", "1").c_str());
    std::vector<float> base = read_f32(get("base", ""));
    const size_t rows = base.size() / dim;
    std::vector<double> add_s, build_s;
    std::unique_ptr<Iface> index;
    for (int r = 0; r < runs; r++) {
      index.reset(make_index(metric, dim));
      double t0 = now();
      for (size_t i = 0; i < rows; i++) index->add_item((int32_t)i, base.data() + i * dim);
      double t1 = now();
      if (!index->build(trees, threads, &err)) { std::fprintf(stderr, "build: %s\n", err); return 1; }
      double t2 = now();
      add_s.push_back(t1 - t0);
      build_s.push_back(t2 - t1);
    }
    const std::string out = get("out", "");
    double t0 = now();
    if (!index->save(out.c_str(), false, &err)) { std::fprintf(stderr, "save: %s\n", err); return 1; }
    double save_s = now() - t0;
    std::ifstream f(out, std::ios::binary | std::ios::ate);
    std::printf("{\"add_s\":%s,\"build_s\":%s,\"save_s\":%.6f,\"size_bytes\":%lld,\"rss_kib\":%ld}\n",
                json_list(add_s).c_str(), json_list(build_s).c_str(), save_s, (long long)f.tellg(), rss_kib());
    return 0;
  }

  if (mode == "query") {
    const int k = std::atoi(get("k", "10").c_str());
    const int runs = std::atoi(get("runs", "3").c_str());
    const size_t nq = std::atol(get("nq", "1000").c_str());
    std::vector<float> queries = read_f32(get("queries", ""), nq * dim);
    const size_t n = queries.size() / dim;
    const long rss_before = rss_kib();
    std::unique_ptr<Iface> index(make_index(metric, dim));
    double t0 = now();
    if (!index->load(get("index", "").c_str(), false, &err)) { std::fprintf(stderr, "load: %s\n", err); return 1; }
    const double load_s = now() - t0;
    const long rss_load = rss_kib();
    std::ostringstream sweep;
    sweep << "[";
    std::vector<long> sks = parse_list(get("search-k", "-1"));
    long rss_first = -1;
    for (size_t s = 0; s < sks.size(); s++) {
      std::vector<double> qps;
      std::vector<int32_t> ids;
      for (int r = 0; r < runs; r++) {
        std::vector<int32_t> res;
        double t = now();
        for (size_t q = 0; q < n; q++) {
          res.clear();
          index->get_nns_by_vector(queries.data() + q * dim, k, (int)sks[s], &res, nullptr);
          if (r == 0) { for (int j = 0; j < k; j++) ids.push_back(j < (int)res.size() ? res[j] : -1); }
        }
        qps.push_back(n / (now() - t));
      }
      if (s == 0) rss_first = rss_kib();
      sweep << (s ? "," : "") << "{\"search_k\":" << sks[s] << ",\"qps\":" << json_list(qps)
            << ",\"ids\":" << json_list(ids) << "}";
    }
    sweep << "]";
    const long rss_query = rss_kib();
    std::ostringstream batch;
    batch << "[";
    if (opt.count("batch-search-k")) {
      const int bsk = std::atoi(get("batch-search-k", "-1").c_str());
      std::vector<long> tcounts = parse_list(get("batch-threads", "1"));
      for (size_t ti = 0; ti < tcounts.size(); ti++) {
        const int nt = (int)tcounts[ti];
        std::vector<double> qps;
        for (int r = 0; r < runs; r++) {
          double t = now();
          std::vector<std::thread> pool;
          for (int w = 0; w < nt; w++)
            pool.emplace_back([&, w]() {
              std::vector<int32_t> res;
              for (size_t q = w; q < n; q += nt) {
                res.clear();
                index->get_nns_by_vector(queries.data() + q * dim, k, bsk, &res, nullptr);
              }
            });
          for (auto& th : pool) th.join();
          qps.push_back(n / (now() - t));
        }
        batch << (ti ? "," : "") << "{\"threads\":" << nt << ",\"search_k\":" << bsk << ",\"qps\":" << json_list(qps) << "}";
      }
    }
    batch << "]";
    std::printf("{\"load_s\":%.6f,\"rss_kib\":{\"before_load\":%ld,\"after_load\":%ld,\"after_first_pass\":%ld,\"after_queries\":%ld},"
                "\"n_trees\":%d,\"n_items\":%d,\"sweep\":%s,\"batch\":%s}\n",
                load_s, rss_before, rss_load, rss_first, rss_query, index->get_n_trees(), index->get_n_items(),
                sweep.str().c_str(), batch.str().c_str());
    return 0;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
