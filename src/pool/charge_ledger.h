// ChargeLedger: the request ids whose premium charge was already counted, so that one request is
// never charged twice (a retried attempt, a second report of the same request). Remembers the
// last `capacity` ids (first in, first out) in a fixed table and ring; no allocation once warm.
// Single-threaded: owned by the Pool and touched only by its owner thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pool/fixed_table.h"

namespace cg::pool {

class ChargeLedger {
 public:
  explicit ChargeLedger(size_t capacity);

  // True the first time `request_id` is offered (it is then remembered); false while it is
  // remembered. Id 0 means "no id": always true, nothing remembered.
  bool first_charge(uint64_t request_id);
  bool contains(uint64_t request_id) { return request_id != 0 && ids_.find(request_id); }
  size_t size() const { return ids_.size(); }

 private:
  struct Empty {};
  FixedTable<Empty> ids_;
  std::vector<uint64_t> ring_;  // insertion order, for eviction
  size_t next_ = 0;
};

}  // namespace cg::pool
