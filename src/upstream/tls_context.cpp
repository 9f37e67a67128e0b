// See tls_context.h. The new-session callback runs on the worker thread that is reading from the
// SSL connection, and only touches that connection's own Client (see connection.h).
#include "upstream/tls_context.h"

#include <openssl/ssl.h>

#include "upstream/connection.h"

namespace cg::upstream {
namespace {

int on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* conn = static_cast<Connection*>(SSL_get_ex_data(ssl, detail::connection_ex_index()));
  if (conn != nullptr) conn->remember_session(session);
  return 0;  // we did not keep OpenSSL's reference (remember_session stores a duplicate)
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const ClientOptions& opts) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_default_verify_paths();
  if (!opts.ca_bundle.empty()) ctx->load_verify_file(opts.ca_bundle);  // throws on a bad file
  ctx->set_verify_mode(ssl::verify_peer);
  // Client-side caching only through our callback; OpenSSL's internal store is server-oriented.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(native, &on_new_session);
  (void)detail::connection_ex_index();  // allocate the index before any worker starts
  return ctx;
}

}  // namespace cg::upstream
