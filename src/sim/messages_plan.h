// Decides the simulated answer to a POST /v1/messages (Anthropic Messages) body: validates it,
// checks the model's supported endpoints, verifies the signatures of thinking blocks in the
// history and derives a deterministic answer from the last message. Pure; any thread.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "sim/catalog.h"
#include "sim/fault_spec.h"

namespace cg::sim {

struct MessagesPlan {
  std::string model;
  double multiplier = 0;  // the model's billing.multiplier (premium requests per answer)
  bool stream = false;
  std::string thinking;   // "Thinking about: <text>"; empty = no thinking block
  std::string signature;  // sign_thinking(thinking)
  std::string text;       // the text block (always present)
  bool tool_use = false;  // a tool_use block follows the text
  std::string tool_name;
  std::string tool_input;  // JSON object text
  int input_tokens = 1;    // ~ bytes/4 of system, text, tool_result and thinking text
  Overrides overrides;     // [[sim:...]] directives found in the last message
};

// Answer rules (also listed in src/sim/README.md), from the LAST message:
//  - user message with tool_result blocks -> "Tool result received: <their text>"
//  - tools offered, user message          -> "I'll use the <name> tool." + tool_use of the first
//                                            tool (or the one tool_choice {type:"tool"} names)
//  - otherwise                            -> "You said: <text>" / "Hello from the simulator."
// Without a tool_choice name, a [[sim:tool=<name>]] directive picks the tool; [[sim:args={...}]]
// gives the call's arguments.
// thinking {type:"enabled"|"adaptive"} adds a signed thinking block first. Errors are 400
// invalid_request_error with the code (model_not_supported, unsupported_api_for_model) at the
// start of the message.
Result<MessagesPlan> plan_messages(std::string_view body, const Catalog& catalog);

}  // namespace cg::sim
