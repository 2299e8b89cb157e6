// The public face of the core: one Annoy index of any metric. Nothing here depends on Node;
// every fallible call returns a Status, and queries are const and safe to run concurrently.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "id_filter.h"
#include "metric.h"
#include "status.h"

namespace annoy {

// How load() serves a file: mapped (pages read on first use), mapped and read in at once, or
// copied into memory, which no later change to the file can affect: a file truncated by another
// process while mapped ends the process with SIGBUS on the next read of a lost page, and a copy
// is the way out for files that cannot be trusted to stay put (docs/reliability.md).
enum class LoadMode { kMap, kMapPrefault, kCopy };

// Receives verbose messages (level 1 = info, 2 = debug), possibly from build threads.
using LogSink = std::function<void(int level, const std::string& message)>;

struct Neighbours {
  std::vector<int32_t> ids;
  std::vector<float> distances;
};

// Cancellation and progress for build(). on_tree runs on build threads after each finished tree.
struct BuildControl {
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int64_t trees_built)> on_tree;
  // Build on threads of our own at a lower OS priority, the calling thread only waiting: for
  // work started from an event loop, which then keeps its CPU.
  bool background = false;
};

// How a query searches. With a graph (build_graph or a loaded sidecar) queries walk it unless
// graph is false; search_k is Annoy's tree-search budget (-1 = n x trees) and ef the graph's
// beam width (0 = the default, kDefaultEf; always at least n). An int converts to the search_k of
// a tree-or-graph search, as the calls took before graphs existed.
struct SearchParams {
  SearchParams(int64_t k = -1) : search_k(k) {}  // NOLINT(runtime/explicit): an int is a search_k
  int64_t search_k;
  int64_t ef = 0;
  bool graph = true;
};
constexpr int64_t kDefaultEf = 40;

// build_graph's settings: degree 0 means the default (graph_build.h kDefaultGraphDegree).
struct GraphSettings {
  int64_t degree = 0;
  int64_t n_jobs = -1;
};

// Progress and cancellation for build_graph: on_step(done, total) after each phase.
struct GraphControl {
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int64_t done, int64_t total)> on_step;
  bool background = false;
};

struct GraphSummary {
  bool present = false;
  int32_t degree = 0;
  uint64_t edges = 0;
  size_t memory_bytes = 0;
  // Whether it is the sidecar beside the index's file (so a disk state that names the file
  // brings it back).
  bool in_sidecar = false;
};

// Where a batch query writes: rows x k ids and distances (unused slots -1 and NaN) and, per
// row, how many results were found.
struct BatchOutput {
  int32_t* ids;
  float* distances;
  uint32_t* counts;
};

class Index {
 public:
  // f = 0 leaves the dimension to be fixed by the first vector (add_item or deserialize).
  static std::unique_ptr<Index> create(Metric metric, int f);
  virtual ~Index() = default;

  virtual Metric metric() const = 0;
  virtual int f() const = 0;

  virtual Status add_item(int64_t id, const float* vector, size_t length) = 0;
  // rows vectors of row_length floats, one after another, as ids start_id, start_id + 1, ...;
  // all are checked before any is added.
  virtual Status add_items(int64_t start_id, const float* vectors, size_t rows, size_t row_length) = 0;
  // n_trees >= 1, or -1 (until nodes >= 2 x items); n_jobs >= 1, or -1 (all cores).
  virtual Status build(int64_t n_trees, int64_t n_jobs, const BuildControl& control) = 0;
  Status build(int64_t n_trees, int64_t n_jobs) { return build(n_trees, n_jobs, BuildControl()); }
  virtual Status unbuild() = 0;
  virtual Status save(const std::string& path, bool prefault) = 0;
  virtual Status load(const std::string& path, LoadMode mode) = 0;
  virtual void unload() = 0;
  virtual Status on_disk_build(const std::string& path) = 0;

  // search.search_k = -1 means n x trees; 0 finds nothing. filter may be null.
  virtual Status get_nns_by_item(int64_t id, int64_t n, const SearchParams& search, const IdFilter* filter,
                                 Neighbours* out) const = 0;
  virtual Status get_nns_by_vector(const float* vector, size_t length, int64_t n, const SearchParams& search,
                                   const IdFilter* filter, Neighbours* out) const = 0;
  // Many queries at once, rows spread over threads (-1 = all cores); each row's answer is what
  // get_nns_by_vector / get_nns_by_item gives for it.
  // background: as BuildControl::background.
  virtual Status query_batch(const float* vectors, size_t rows, size_t row_length, int64_t k,
                             const SearchParams& search, int64_t threads, const IdFilter* filter, BatchOutput out,
                             bool background = false) const = 0;
  virtual Status query_batch_by_items(const int32_t* ids, size_t rows, int64_t k, const SearchParams& search,
                                      int64_t threads, const IdFilter* filter, BatchOutput out,
                                      bool background = false) const = 0;
  virtual Status get_distance(int64_t i, int64_t j, float* out) const = 0;
  // out receives f floats (hamming: 0/1 per bit).
  virtual Status get_item_vector(int64_t id, std::vector<float>* out) const = 0;

  virtual Status serialize(std::vector<uint8_t>* out) const = 0;
  // serialize() in pieces, for callers that stream it: the head (header and roots), then the
  // node bytes, which copy_node_bytes hands out by range.
  virtual Status serialize_head(std::vector<uint8_t>* out) const = 0;
  // The graph's image (empty without a graph), which follows the nodes in serialize()'s output.
  virtual Status serialize_graph(std::vector<uint8_t>* out) const = 0;
  virtual size_t node_bytes() const = 0;
  virtual Status copy_node_bytes(size_t offset, uint8_t* out, size_t length) const = 0;
  // For an index served from a file (loaded, saved or built on disk): checks that its path still
  // names that file, and returns the CRC-32 of the nodes it serves (the file's bytes).
  virtual Status file_checksum(uint32_t* crc) const = 0;
  virtual Status deserialize(const uint8_t* data, size_t length) = 0;

  // The neighbour graph (docs/graph.md): built over a built or loaded forest, saved beside its
  // file (save() writes both; load() maps a sidecar that belongs to the file), dropped by unbuild.
  virtual Status build_graph(const GraphSettings& settings, const GraphControl& control) = 0;
  virtual Status save_graph(const std::string& path) const = 0;
  // Strict: a sidecar that does not belong to this index is an error here (load() skips it).
  virtual Status load_graph(const std::string& path) = 0;
  virtual void drop_graph() = 0;
  virtual GraphSummary graph_summary() const = 0;

  virtual int32_t n_items() const = 0;
  virtual int32_t n_trees() const = 0;
  virtual bool is_built() const = 0;
  virtual bool is_loaded() const = 0;   // serving a read-only file or snapshot
  virtual bool is_on_disk() const = 0;  // items and trees live in on_disk_path()
  // The file this index was loaded from, saved to or built into; empty when none.
  virtual const std::string& on_disk_path() const = 0;
  virtual size_t memory_usage() const = 0;

  virtual void set_seed(uint64_t seed) = 0;
  virtual uint64_t seed() const = 0;
  virtual void set_verbosity(int level) = 0;
  virtual int verbosity() const = 0;
  virtual void set_log_sink(LogSink sink) = 0;
};

}  // namespace annoy
