// The client TLS context shared read-only by every worker: system CA store plus an optional extra
// bundle, peer verification, TLS >= 1.2, and a hook that hands new client sessions to the owning
// Client's per-worker cache (resumption). Built once at startup on any thread; afterwards only
// used (never modified) concurrently by the workers, which OpenSSL allows.
#pragma once
#include <memory>

#include "asio_impl/net.h"
#include "upstream/client_options.h"

namespace cg::upstream {

// Throws boost::system::system_error if opts.ca_bundle cannot be loaded (startup only).
std::shared_ptr<ssl::context> make_tls_context(const ClientOptions& opts);

}  // namespace cg::upstream
