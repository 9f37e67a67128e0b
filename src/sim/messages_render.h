// Renders a MessagesPlan as an Anthropic `message` JSON body or as the named SSE events of a
// Messages stream (message_start, ping, content_block_start/delta/stop per block,
// message_delta, message_stop). Pure; any thread.
#pragma once
#include <string>
#include <vector>

#include "sim/messages_plan.h"

namespace cg::sim {

// Per-answer random values, injected so tests can be exact.
struct MessagesIds {
  std::string message_id;   // "msg_..."
  std::string tool_use_id;  // "toolu_..." (tool_use answers only)
};
MessagesIds new_messages_ids(const MessagesPlan& plan);

// usage.output_tokens: ~ bytes/4 of the thinking, text and tool input.
int messages_output_tokens(const MessagesPlan& plan);

// Appends the non-streaming response body.
void render_message(const MessagesPlan& plan, const MessagesIds& ids, std::string& out);

// Appends every event (`event: <type>\ndata: <json>\n\n`) to `out` and the offset just past each
// to `ends`. `chunks` = number of text deltas (fewer when the text is shorter); thinking gets up
// to 3 deltas, tool input at least 3.
void render_message_stream(const MessagesPlan& plan, const MessagesIds& ids, int chunks,
                           std::string& out, std::vector<size_t>& ends);

}  // namespace cg::sim
