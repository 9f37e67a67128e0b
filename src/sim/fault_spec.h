// Fault/behaviour overrides carried by a request: `[[sim:key=value,...]]` directives inside the
// prompt text and the `x-sim-fault: key=value;...` header. Parsing and merging only. Pure; any
// thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "sim/simulator.h"

namespace cg::sim {

// Each field is set only when the request mentioned it.
struct Overrides {
  std::optional<int> status;
  std::optional<int> retry_after_s;
  std::optional<int> first_byte_delay_ms;
  std::optional<int> chunk_delay_ms;
  std::optional<int> drop_after_chunks;
  std::optional<int> chunks;
  std::optional<bool> usage_on_finish;
  // Answer shaping (not faults): the tool a simulated tool call uses when the request offers it
  // and tool_choice names none (`tool=<name>`), and that call's arguments (`args=<JSON object>`,
  // kept as compact JSON text) instead of {"<first property>":"<text>"}.
  std::optional<std::string> tool;
  std::optional<std::string> args;
};

// Applies `key=value` pairs separated by ',' or ';' (spaces allowed). Unknown keys and values that
// are not integers are ignored. Keys: status, retry_after (retry_after_s), first_byte_delay_ms,
// chunk_delay_ms, drop_after (drop_after_chunks), chunks, usage_on_finish; `tool` takes a name and
// `args` a JSON object, which may itself hold ',' and ';' (one that does not parse as an object is
// ignored). A directive ends at the first "]]", so `args` cannot contain "]]".
void apply_pairs(std::string_view spec, Overrides& o);

// Applies every `[[sim:...]]` directive found in `text` to `o` and returns the text without the
// directives, trimmed of surrounding white space.
std::string strip_directives(std::string_view text, Overrides& o);

// What one completion request will actually do: the account fault with header overrides, then
// prompt overrides, applied on top.
struct Behaviour {
  Fault fault;
  int chunks = 20;
  bool usage_on_finish = false;
};
Behaviour merge_behaviour(const Fault& account, int default_chunks, const Overrides& header,
                          const Overrides& prompt);

}  // namespace cg::sim
