// Keyed signatures the simulator hands out with reasoning and later verifies, the way the real
// API rejects thinking signatures and encrypted reasoning a gateway altered: Anthropic `thinking`
// block signatures and Responses `encrypted_content`. The key is random per process, so nothing
// signed by another simulator verifies. Pure after the key is made; any thread.
#pragma once
#include <string>
#include <string_view>

namespace cg::sim {

// "sig_" + 32 hex digits: a keyed hash over `thinking`.
std::string sign_thinking(std::string_view thinking);
bool verify_thinking(std::string_view thinking, std::string_view signature);

// An opaque base64 string carrying `text` (hidden by a keyed keystream) and a keyed tag, sealed
// to the reasoning item `item_id`.
std::string seal_reasoning(std::string_view item_id, std::string_view text);
// True when `sealed` came from seal_reasoning with this `item_id`.
bool verify_reasoning(std::string_view item_id, std::string_view sealed);

}  // namespace cg::sim
