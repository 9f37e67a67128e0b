// Renders a ResponsesPlan as an OpenAI `response` JSON body or as the named SSE events of a
// Responses stream (response.created ... response.completed, with sequence_number from 0).
// Pure; any thread.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/responses_plan.h"

namespace cg::sim {

// Per-answer random values, injected so tests can be exact.
struct ResponsesIds {
  std::string response_id;   // "resp_..."
  std::string message_id;    // "msg_..." (text answers)
  std::string call_item_id;  // "fc_..." (function_call answers)
  std::string call_id;       // "call_..."
  std::string reasoning_id;  // "rs_..." (when reasoning)
  std::string encrypted;     // seal_reasoning(reasoning_id, reasoning_text) when plan.encrypted
  int64_t created_at = 0;    // unix seconds
};
ResponsesIds new_responses_ids(const ResponsesPlan& plan);

// Appends the non-streaming response body (status completed, output items, usage).
void render_response(const ResponsesPlan& plan, const ResponsesIds& ids, std::string& out);

// Appends every event (`event: <type>\ndata: <json>\n\n`) to `out` and the offset just past each
// to `ends`. `chunks` = number of output_text deltas (fewer when the text is shorter); summary
// text gets up to 3 deltas, function arguments at least 3.
void render_response_stream(const ResponsesPlan& plan, const ResponsesIds& ids, int chunks,
                            std::string& out, std::vector<size_t>& ends);

}  // namespace cg::sim
