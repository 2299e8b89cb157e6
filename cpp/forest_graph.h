// Forest<M>'s neighbour graph (docs/graph.md): building it, choosing graph or tree search per
// query, and the sidecar and snapshot images, each checked completely before it is used.
// Included at the end of forest.h; the class is declared there.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "forest.h"
#include "graph_build.h"
#include "graph_file.h"
#include "graph_search.h"

namespace annoy {

template <class M>
Status Forest<M>::find(const uint8_t* query, int64_t n, const SearchParams& params, const IdFilter* filter,
                       Neighbours* out) const {
  if (graph_ != nullptr && params.graph) {
    const int64_t ef = std::max(params.ef > 0 ? params.ef : kDefaultEf, n);
    // A short allow list is searched exactly, as without a graph (search() does so when the
    // list is no longer than its budget).
    if (filter != nullptr && filter->has_allow_list() && static_cast<int64_t>(filter->allowed_ids().size()) <= ef) {
      return search<M>(view(), query, n, static_cast<int64_t>(filter->allowed_ids().size()), filter, out);
    }
    ANNOY_RETURN_IF_ERROR(graph_search<M>(view(), *graph_, query, n, ef, filter, out));
    if (static_cast<int64_t>(out->ids.size()) >= n) return Status::ok();
    // The graph reached fewer than n allowed items (a disconnected part, a strict filter):
    // the trees, which widen until they have n, answer instead.
  }
  return search<M>(view(), query, n, params.search_k, filter, out);
}

template <class M>
Status Forest<M>::build_graph(const GraphSettings& settings, const GraphControl& control) {
  if (!built_) return not_built("buildGraph");
  if (settings.degree < 0 || settings.degree > kMaxGraphDegree) {
    return detail::invalid("degree: expected 0 (default) or 1 to " + std::to_string(kMaxGraphDegree) + ", received " +
                           std::to_string(settings.degree));
  }
  ANNOY_RETURN_IF_ERROR(check_threads(settings.n_jobs));
  GraphBuildOptions options;
  options.degree = settings.degree == 0 ? kDefaultGraphDegree : static_cast<int32_t>(settings.degree);
  options.threads =
      settings.n_jobs == -1 ? std::max(1u, platform::hardware_threads()) : static_cast<size_t>(settings.n_jobs);
  options.background = control.background;
  options.seed = seed_;
  options.cancel = control.cancel;
  options.on_step = control.on_step;
  options.log = [this](const std::string& message) { log(2, message); };
  std::unique_ptr<NeighbourGraph> graph;
  GraphBuilder<M> builder(view(), options);
  ANNOY_RETURN_IF_ERROR(builder.run(&graph));
  graph_ = std::move(graph);
  graph_in_sidecar_ = false;
  log(1, "graph: degree " + std::to_string(graph_->degree()) + ", " + std::to_string(graph_->edges()) + " edges");
  return Status::ok();
}

template <class M>
GraphSummary Forest<M>::graph_summary() const {
  GraphSummary summary;
  if (graph_ == nullptr) return summary;
  summary.present = true;
  summary.degree = graph_->degree();
  summary.edges = graph_->edges();
  summary.memory_bytes = graph_->memory_bytes();
  summary.in_sidecar = graph_in_sidecar_;
  return summary;
}

template <class M>
GraphOwner Forest<M>::graph_owner(const ForestView& forest) const {
  GraphOwner owner;
  owner.metric = M::kMetric;
  owner.f = f_;
  owner.n_items = forest.n_items;
  owner.ann_bytes = static_cast<uint64_t>(forest.n_nodes) * forest.node_size;
  owner.ann_crc = crc32(forest.nodes, static_cast<size_t>(owner.ann_bytes));
  return owner;
}

template <class M>
Status Forest<M>::save_graph(const std::string& path) const {
  if (graph_ == nullptr) {
    return Status::error(ErrorKind::kInvalidState, "saveGraph: the index has no graph; call buildGraph() first");
  }
  if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
  std::vector<uint8_t> image;
  write_graph_image(graph_owner(view()), *graph_, &image);
  return platform::write_file_atomically(path, image.data(), image.size());
}

template <class M>
Status Forest<M>::load_graph(const std::string& path) {
  if (!built_) return not_built("loadGraph");
  if (path.empty()) return detail::invalid("path: expected a file path, received an empty string");
  std::unique_ptr<NeighbourGraph> graph;
  ANNOY_RETURN_IF_ERROR(read_graph_file(view(), path, LoadMode::kMap, true, &graph));
  graph_ = std::move(graph);
  graph_in_sidecar_ = loaded_ && platform::same_file(path, graph_path_for(path_));
  return Status::ok();
}

template <class M>
Status Forest<M>::read_graph_file(const ForestView& forest, const std::string& path, LoadMode mode, bool strict,
                                  std::unique_ptr<NeighbourGraph>* out) const {
  int fd = -1;
  uint64_t size = 0;
  const Status opened = platform::open_readonly(path, &fd, &size);
  if (!opened.is_ok()) {
    // No sidecar: none there, or a file name too long for one (255 bytes plus ".graph").
    if (!strict && (opened.sys_errno() == ENOENT || opened.sys_errno() == ENAMETOOLONG)) return Status::ok();
    return opened;
  }
  uint8_t* data = nullptr;
  std::vector<uint8_t> copy;
  Status read;
  if (mode == LoadMode::kCopy) {
    copy.resize(static_cast<size_t>(size));
    read = platform::read_exactly(fd, copy.data(), copy.size(), path);
    data = copy.data();
  } else if (size > 0) {
    read = platform::map_file(fd, static_cast<size_t>(size), false, path, &data);
  }
  platform::close_file(fd);
  ANNOY_RETURN_IF_ERROR(read);
  uint8_t* mapping = mode == LoadMode::kCopy ? nullptr : data;
  return adopt_graph(forest, path, data, static_cast<size_t>(size), strict, mapping, out);
}

template <class M>
Status Forest<M>::adopt_graph(const ForestView& forest, const std::string& source, const uint8_t* data, size_t length,
                              bool strict, uint8_t* mapping, std::unique_ptr<NeighbourGraph>* out) const {
  auto release = [&] {
    if (mapping != nullptr) platform::unmap(mapping, length);
  };
  auto fail = [&](const Status& why) {
    release();
    return Status::error(why.kind(), "graph '" + source + "': " + why.message(), 0, source);
  };
  GraphHeader header;
  const Status read = read_graph_header(data, length, &header);
  if (!read.is_ok()) return fail(read);
  std::string why;
  if (!graph_belongs(header.owner, graph_owner(forest), &why)) {
    release();
    if (strict) {
      return Status::error(ErrorKind::kInvalidFile, "loadGraph: '" + source + "' is the graph of another index: " + why,
                           0, source);
    }
    log(1, "graph: ignoring '" + source + "', which belongs to another index: " + why);
    return Status::ok();
  }
  const Status rows = validate_graph_rows(header, data, length, [&](int32_t id) { return is_item(forest, id); });
  if (!rows.is_ok()) return fail(rows);
  const uint8_t* first_row = data + kGraphHeaderSize;
  if (mapping != nullptr) {
    // A mapping is page-aligned, so its rows (64 bytes in) are aligned for int32 reads.
    *out = std::make_unique<NeighbourGraph>(header.owner.n_items, header.degree, mapping, length,
                                            reinterpret_cast<const int32_t*>(first_row));
  } else {
    // A snapshot's image may sit at any offset of the caller's buffer: copied bytewise.
    std::vector<int32_t> rows_copy((length - kGraphHeaderSize) / sizeof(int32_t));
    if (!rows_copy.empty()) std::memcpy(rows_copy.data(), first_row, rows_copy.size() * sizeof(int32_t));
    *out = std::make_unique<NeighbourGraph>(header.owner.n_items, header.degree, std::move(rows_copy));
  }
  log(1, "graph: using '" + source + "' (degree " + std::to_string(header.degree) + ")");
  return Status::ok();
}

// save()'s part: the sidecar beside the file just written, or, without a graph, no stale one.
template <class M>
Status Forest<M>::write_sidecar(const std::string& path) const {
  const std::string sidecar = graph_path_for(path);
  if (graph_ == nullptr) {
    // No sidecar, or a name too long for one to exist (a 255-byte file name plus ".graph").
    if (std::remove(sidecar.c_str()) != 0 && errno != ENOENT && errno != ENAMETOOLONG) {
      return Status::error(ErrorKind::kIo, "save: cannot remove the stale graph '" + sidecar + "'", errno, sidecar);
    }
    return Status::ok();
  }
  return save_graph(sidecar);
}

}  // namespace annoy
