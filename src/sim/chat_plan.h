// Decides the simulated answer to a POST /chat/completions body: validates the JSON, looks the
// model up in the catalog and derives a deterministic answer from the last message. Pure; any
// thread.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "sim/catalog.h"
#include "sim/fault_spec.h"

namespace cg::sim {

struct ChatPlan {
  std::string model;
  double multiplier = 0;  // the model's billing.multiplier (premium requests per answer)
  bool stream = false;
  bool claude = false;
  bool tool_call = false;  // answer is a call to `tool_name` with `tool_args`
  std::string text;        // assistant text ("I'll use the X tool." for claude tool calls)
  std::string tool_name;
  std::string tool_args;       // JSON object text
  std::string reasoning_text;  // empty = no reasoning emitted
  int prompt_tokens = 1;       // ~ bytes/4 of all message text
  Overrides overrides;         // [[sim:...]] directives found in the last message
};

// Answer rules (also listed in src/sim/README.md):
//  - last message role `tool`           -> "Tool result received: <content>"
//  - tools offered, last message `user` -> call the first tool (or the one tool_choice names)
//  - otherwise                          -> "You said: <text>" / "Hello from the simulator."
// Without a tool_choice name, a [[sim:tool=<name>]] directive picks the tool; [[sim:args={...}]]
// gives the call's arguments.
// Errors: 400 invalid_request_body, model_not_supported, unsupported_api_for_model.
Result<ChatPlan> plan_chat(std::string_view body, const Catalog& catalog);

}  // namespace cg::sim
