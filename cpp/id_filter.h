// Which ids a query may return: an optional allow list and an optional deny list, as a bitset over
// the index's ids (allowed = (no allow list or listed) and not denied). Ids outside
// [0, n_items) can never be results, so they are ignored.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace annoy {

class IdFilter {
 public:
  IdFilter(int32_t n_items, const int32_t* allow, size_t n_allow, bool has_allow, const int32_t* deny, size_t n_deny)
      : has_allow_(has_allow), words_((static_cast<size_t>(n_items) + 63) / 64, has_allow ? 0 : ~uint64_t{0}) {
    auto in_range = [n_items](int32_t id) { return id >= 0 && id < n_items; };
    if (has_allow) {
      for (size_t i = 0; i < n_allow; ++i) {
        if (in_range(allow[i])) set(allow[i]);
      }
    }
    for (size_t i = 0; i < n_deny; ++i) {
      if (in_range(deny[i])) clear(deny[i]);
    }
    if (has_allow) {
      for (size_t w = 0; w < words_.size(); ++w) {
        for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
          allowed_.push_back(static_cast<int32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
        }
      }
    }
  }

  bool allows(int32_t id) const { return ((words_[static_cast<size_t>(id) >> 6] >> (id & 63)) & 1) != 0; }
  bool has_allow_list() const { return has_allow_; }
  // The allowed ids in increasing order (only with an allow list).
  const std::vector<int32_t>& allowed_ids() const { return allowed_; }

 private:
  void set(int32_t id) { words_[static_cast<size_t>(id) >> 6] |= uint64_t{1} << (id & 63); }
  void clear(int32_t id) { words_[static_cast<size_t>(id) >> 6] &= ~(uint64_t{1} << (id & 63)); }

  bool has_allow_;
  std::vector<uint64_t> words_;
  std::vector<int32_t> allowed_;
};

}  // namespace annoy
