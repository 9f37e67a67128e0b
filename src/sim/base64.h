// Standard base64 (RFC 4648 alphabet, `=` padding) for the simulator's embeddings and opaque
// reasoning blobs. Pure; any thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cg::sim {

void append_base64(std::string& out, std::string_view bytes);
// The decoded bytes, or nullopt for anything but canonical padded base64.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace cg::sim
