// See charge_ledger.h. The Pool's owner thread only.
#include "pool/charge_ledger.h"

namespace cg::pool {

ChargeLedger::ChargeLedger(size_t capacity) : ids_(capacity < 1 ? 1 : capacity) {
  ring_.assign(ids_.max_entries(), 0);
}

bool ChargeLedger::first_charge(uint64_t request_id) {
  if (request_id == 0) return true;
  if (ids_.find(request_id)) return false;
  if (ids_.full()) ids_.erase(ring_[next_]);  // forget the oldest
  ids_.insert(request_id, Empty{});
  ring_[next_] = request_id;
  next_ = (next_ + 1) % ring_.size();
  return true;
}

}  // namespace cg::pool
