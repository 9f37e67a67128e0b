// See pool.h. The Pool's owner thread only.
#include "pool/pool.h"

#include "pool/quota_header.h"

namespace cg::pool {
namespace {

// Whether a request's in-flight counts bear on the account's eligibility (a cap applies).
bool capped(const AccountState& a, bool vision) {
  return a.config.max_concurrent != 0 || (vision && a.config.max_concurrent_vision != 0);
}

}  // namespace

Pool::Pool(PoolPolicy policy)
    : policy_(policy),
      affinity_(policy.affinity_max_entries, policy.affinity_ttl_ms, policy.affinity_seed),
      ledger_(policy.charge_ledger_size) {
  accounts_.reserve(kMaxAccounts);  // one allocation; states never move
}

bool Pool::id_clash(const AccountConfig& c, AccountIndex self) const {
  for (size_t k = 0; k < accounts_.size(); ++k) {
    if (k == self) continue;
    const AccountConfig& o = accounts_[k].config;
    if (o.id == c.id || o.alias == c.id) return true;
    if (!c.alias.empty() && (o.alias == c.alias || o.id == c.alias)) return true;
  }
  return false;
}

std::optional<AccountIndex> Pool::add_account(AccountConfig config) {
  if (accounts_.size() >= kMaxAccounts || config.id.empty() || id_clash(config, kNoAccount))
    return std::nullopt;
  accounts_.emplace_back().set_config(std::move(config));
  eligibility_.invalidate();
  return static_cast<AccountIndex>(accounts_.size() - 1);
}

bool Pool::update_account(AccountIndex i, AccountConfig config) {
  if (i >= accounts_.size() || config.id.empty() || id_clash(config, i)) return false;
  accounts_[i].set_config(std::move(config));
  eligibility_.invalidate();
  return true;
}

void Pool::set_enabled(AccountIndex i, bool enabled) {
  if (i >= accounts_.size()) return;
  accounts_[i].config.enabled = enabled;
  eligibility_.invalidate();
}

AccountIndex Pool::find(std::string_view id_or_alias) const {
  if (id_or_alias.empty()) return kNoAccount;
  for (size_t k = 0; k < accounts_.size(); ++k)
    if (accounts_[k].config.id == id_or_alias) return static_cast<AccountIndex>(k);
  for (size_t k = 0; k < accounts_.size(); ++k)
    if (accounts_[k].config.alias == id_or_alias) return static_cast<AccountIndex>(k);
  return kNoAccount;
}

void Pool::apply_quota(AccountIndex i, const QuotaSnapshot& snapshot, TimeMs now) {
  if (i >= accounts_.size()) return;
  accounts_[i].quota.apply(snapshot, now);
  changed(i, now);
}

bool Pool::apply_quota_header(AccountIndex i, std::string_view value, TimeMs now) {
  if (i >= accounts_.size()) return false;
  const bool replaced = accounts_[i].quota.apply(parse_quota_header(value), now);
  changed(i, now);
  return replaced;
}

bool Pool::charge_once(AccountIndex i, uint64_t request_id, double units) {
  if (i >= accounts_.size() || units <= 0) return false;
  if (!ledger_.first_charge(request_id)) return false;
  accounts_[i].quota.charge(units);
  return true;
}

bool Pool::charge(AccountIndex i, uint64_t request_id, double units) {
  const bool charged = charge_once(i, request_id, units);
  if (charged) changed(i, now_);
  return charged;
}

uint64_t Pool::eligible(const SelectRequest& req) {
  eligibility_.refresh(accounts_, advance(req.now));
  return eligibility_.candidates(req);
}

Selection Pool::select(const SelectRequest& req) {
  const uint64_t candidates = eligible(req);
  if (req.pinned != kNoAccount) {
    if (req.pinned < accounts_.size() && ((candidates >> req.pinned) & 1) != 0)
      return Selection{req.pinned};
    return explain_no_account(accounts_, req);
  }
  AffinityMap::Entry* remembered = nullptr;
  if (req.affinity_key != 0) {
    remembered = affinity_.find(req.affinity_key, req.now);
    if (remembered != nullptr && remembered->account < accounts_.size() &&
        ((candidates >> remembered->account) & 1) != 0) {
      affinity_.touch(*remembered, req.now);
      Selection s{remembered->account};
      s.affinity_hit = true;
      return s;
    }
  }
  if (candidates == 0) return explain_no_account(accounts_, req);
  const AccountIndex chosen = choose_account(accounts_, eligibility_.best_tier(candidates),
                                             policy_.selection, req, virtual_time_);
  if (req.affinity_key != 0) {
    if (remembered != nullptr) {
      affinity_.assign(*remembered, chosen, req.now);
    } else {
      affinity_.insert(req.affinity_key, chosen, req.now);
    }
  }
  return Selection{chosen};
}

Lease Pool::on_start(AccountIndex i, const SelectRequest& req) {
  Lease lease;
  if (i >= accounts_.size()) return lease;
  AccountState& a = accounts_[i];
  TimeMs until;
  if (a.health.gate(req.now, &until) == Gate::kProbe) {
    a.health.start_probe();
    lease.probe_ = true;
  }
  ++a.in_flight;
  if (req.vision) ++a.in_flight_vision;
  if (req.premium()) a.quota.add_pending(req.multiplier);
  lease.account_ = i;
  lease.vision_ = req.vision;
  lease.units_ = req.premium() ? req.multiplier : 0;
  lease.request_id_ = req.request_id;
  if (lease.probe_ || capped(a, req.vision)) {
    changed(i, req.now);
  } else {
    advance(req.now);  // the count alone cannot change the account's eligibility
  }
  return lease;
}

void Pool::on_finish(Lease& lease, const Outcome& outcome, TimeMs when) {
  if (!lease.active() || lease.account_ >= accounts_.size()) {
    lease.account_ = kNoAccount;
    return;
  }
  const TimeMs now = advance(when);
  AccountState& a = accounts_[lease.account_];
  const bool probe = lease.probe_;
  if (a.in_flight > 0) --a.in_flight;
  if (lease.vision_ && a.in_flight_vision > 0) --a.in_flight_vision;
  if (lease.units_ > 0) a.quota.remove_pending(lease.units_);

  // What eligibility reads of the quota, before the answer's snapshot (if any) is applied.
  const bool premium_before = a.quota.premium_available(now);
  const TimeMs back_before = a.quota.premium_back_at(now);
  bool snapshot = false;
  if (outcome.quota != nullptr) {
    snapshot = a.quota.apply(*outcome.quota, now);
  } else if (!outcome.quota_header.empty()) {
    snapshot = a.quota.apply(parse_quota_header(outcome.quota_header), now);
  }
  const bool billed = outcome.kind == OutcomeKind::kSuccess || outcome.billed;
  bool charged = false;
  if (billed && lease.units_ > 0) {
    if (snapshot) {
      ledger_.first_charge(lease.request_id_);  // counted in the snapshot: record, don't subtract
    } else {
      charged = charge_once(lease.account_, lease.request_id_, lease.units_);
    }
  }

  const HealthPolicy& hp = policy_.health;
  switch (outcome.kind) {
    case OutcomeKind::kSuccess:
    case OutcomeKind::kRejected:
      a.health.on_answer(probe);
      break;
    case OutcomeKind::kRateLimited:
      a.health.on_rate_limited(now, outcome.retry_after_ms, probe, hp);
      break;
    case OutcomeKind::kQuotaExhausted:
      a.health.on_answer(probe);
      a.quota.mark_exhausted(now, outcome.retry_after_ms, policy_.quota_block_fallback_ms);
      break;
    case OutcomeKind::kAuthFailed:
      a.health.on_auth_failure(now, outcome.reason, probe, hp);
      break;
    case OutcomeKind::kServerError:
    case OutcomeKind::kNetworkError:
      a.health.on_server_failure(now, probe, hp);
      break;
    case OutcomeKind::kCancelled:
      a.health.on_cancelled(probe);
      break;
  }
  // Eligibility changes only through health (a probe's end or an outcome other than an answer),
  // a concurrency cap, or premium availability (or when it may return) moved by a quota snapshot
  // or a charge. Copilot sends a snapshot with every answer; most change neither.
  const bool answered = outcome.kind == OutcomeKind::kSuccess ||
                        outcome.kind == OutcomeKind::kRejected ||
                        outcome.kind == OutcomeKind::kCancelled;
  const bool quota_moved = (snapshot || charged || outcome.has_quota()) &&
                           (a.quota.premium_available(now) != premium_before ||
                            a.quota.premium_back_at(now) != back_before);
  if (probe || !answered || capped(a, lease.vision_) || quota_moved) {
    changed(lease.account_, now);
  }
  lease.account_ = kNoAccount;
}

std::vector<AccountStatus> Pool::status(TimeMs now) const {
  std::vector<AccountStatus> out;
  out.reserve(accounts_.size());
  for (size_t k = 0; k < accounts_.size(); ++k)
    out.push_back(make_status(accounts_[k], static_cast<AccountIndex>(k), now,
                              policy_.selection.min_days_left));
  return out;
}

}  // namespace cg::pool
