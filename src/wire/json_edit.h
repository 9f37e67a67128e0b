// Small in-place edits of a JSON object's text without a DOM, for bodies that are otherwise
// forwarded unchanged. Pure; any thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cg::wire {

// `body` with the top-level member `key` set to the string `value` (replaced where it is, or
// added first when absent). nullopt when the body is not a JSON object.
std::optional<std::string> set_top_level_string(std::string_view body, std::string_view key,
                                                std::string_view value);

}  // namespace cg::wire
