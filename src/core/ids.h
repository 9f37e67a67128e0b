// Random identifiers (request ids, completion ids) from a per-thread generator. Any thread;
// each thread has its own generator state, so no locks.
#pragma once
#include <string>
#include <string_view>

namespace cg {

// A random RFC 4122 version-4 UUID, lower-case hex with dashes.
std::string new_uuid();

// `prefix` followed by `n` random alphanumeric characters (e.g. "chatcmpl-" + 24).
std::string new_token_id(std::string_view prefix, size_t n);

}  // namespace cg
