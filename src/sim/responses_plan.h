// Decides the simulated answer to a POST /responses (OpenAI Responses API) body: validates it,
// checks the model's supported endpoints, verifies the encrypted content of reasoning items in
// the input and derives a deterministic answer from the last input item. Pure; any thread.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "sim/catalog.h"
#include "sim/fault_spec.h"

namespace cg::sim {

struct ResponsesPlan {
  std::string model;
  double multiplier = 0;  // the model's billing.multiplier (premium requests per answer)
  bool stream = false;
  bool reasoning = false;          // a reasoning output item comes first
  bool reasoning_summary = false;  // ... with one summary_text (reasoning.summary was set)
  bool encrypted = false;          // ... with encrypted_content (include asked for it)
  std::string reasoning_text;      // "Thinking about: <text>" (when reasoning)
  bool tool_call = false;          // the answer is a function_call item
  std::string tool_name;
  std::string tool_args;  // JSON object text
  std::string text;       // the message item's output_text (when not tool_call)
  int input_tokens = 1;   // ~ bytes/4 of instructions and input text
  Overrides overrides;    // [[sim:...]] directives found in the last input item
  // The request's settings echoed in the response object, as JSON members each starting with
  // ',': instructions, max_output_tokens, parallel_tool_calls, previous_response_id, reasoning,
  // store, temperature, text, tool_choice, tools, top_p, truncation, user, metadata.
  std::string echo;
};

// Answer rules (also listed in src/sim/README.md), from the LAST input item (a string input is
// one user message):
//  - function_call_output              -> "Tool result received: <output>"
//  - user message and function tools   -> function_call of the first tool (or the one
//    (flat, or inside a namespace)        tool_choice {type:"function",name} names)
//  - otherwise                         -> "You said: <text>" / "Hello from the simulator."
// Without a tool_choice name, a [[sim:tool=<name>]] directive picks the tool; [[sim:args={...}]]
// gives the call's arguments.
// Errors: 400 model_not_supported, unsupported_api_for_model, previous_response_not_found,
// invalid_encrypted_content, missing_required_parameter, invalid_request_body.
Result<ResponsesPlan> plan_responses(std::string_view body, const Catalog& catalog);

}  // namespace cg::sim
