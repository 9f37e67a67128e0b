// See messages_render.h. Hand-written JSON emission into the caller's buffer.
#include "sim/messages_render.h"

#include <string_view>

#include "core/ids.h"
#include "core/json_escape.h"
#include "sim/chat_render.h"

namespace cg::sim {
namespace {

void append_int(std::string& out, int64_t v) {
  out += std::to_string(v);
}

void append_usage(const MessagesPlan& plan, int output_tokens, std::string& out) {
  out += "{\"input_tokens\":";
  append_int(out, plan.input_tokens);
  out += ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":";
  append_int(out, output_tokens);
  out += '}';
}

// The message object up to (not including) `content`.
void append_head(const MessagesPlan& plan, const MessagesIds& ids, std::string& out) {
  out += "{\"id\":";
  append_json_string(out, ids.message_id);
  out += ",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
  append_json_string(out, plan.model);
}

std::string_view stop_reason(const MessagesPlan& plan) {
  return plan.tool_use ? "tool_use" : "end_turn";
}

// Named SSE events: `event: <type>\ndata: {"type":"<type>",<fields>}\n\n`.
class EventWriter {
 public:
  EventWriter(std::string& out, std::vector<size_t>& ends) : out_(out), ends_(ends) {}

  // `fields` appends the members after "type" (each starting with ',').
  template <class F>
  void event(std::string_view type, F&& fields) {
    out_ += "event: ";
    out_ += type;
    out_ += "\ndata: {\"type\":\"";
    out_ += type;
    out_ += '"';
    fields();
    out_ += "}\n\n";
    ends_.push_back(out_.size());
  }
  void block_start(int index, std::string_view block_json) {
    event("content_block_start", [&] {
      index_field(index);
      out_ += ",\"content_block\":";
      out_ += block_json;
    });
  }
  // A delta of `delta_type` whose `field` is the string `value`.
  void delta(int index, std::string_view delta_type, std::string_view field,
             std::string_view value) {
    event("content_block_delta", [&] {
      index_field(index);
      out_ += ",\"delta\":{\"type\":\"";
      out_ += delta_type;
      out_ += "\",\"";
      out_ += field;
      out_ += "\":";
      append_json_string(out_, value);
      out_ += '}';
    });
  }
  void block_stop(int index) {
    event("content_block_stop", [&] { index_field(index); });
  }

 private:
  void index_field(int index) {
    out_ += ",\"index\":";
    append_int(out_, index);
  }
  std::string& out_;
  std::vector<size_t>& ends_;
};

}  // namespace

MessagesIds new_messages_ids(const MessagesPlan& plan) {
  MessagesIds ids;
  ids.message_id = new_token_id("msg_", 24);
  if (plan.tool_use) ids.tool_use_id = new_token_id("toolu_", 24);
  return ids;
}

int messages_output_tokens(const MessagesPlan& plan) {
  return static_cast<int>((plan.thinking.size() + plan.text.size() + plan.tool_input.size()) / 4) +
         1;
}

void render_message(const MessagesPlan& plan, const MessagesIds& ids, std::string& out) {
  append_head(plan, ids, out);
  out += ",\"content\":[";
  if (!plan.thinking.empty()) {
    out += "{\"type\":\"thinking\",\"thinking\":";
    append_json_string(out, plan.thinking);
    out += ",\"signature\":";
    append_json_string(out, plan.signature);
    out += "},";
  }
  out += "{\"type\":\"text\",\"text\":";
  append_json_string(out, plan.text);
  out += '}';
  if (plan.tool_use) {
    out += ",{\"type\":\"tool_use\",\"id\":";
    append_json_string(out, ids.tool_use_id);
    out += ",\"name\":";
    append_json_string(out, plan.tool_name);
    out += ",\"input\":";
    out += plan.tool_input;
    out += '}';
  }
  out += "],\"stop_reason\":\"";
  out += stop_reason(plan);
  out += "\",\"stop_sequence\":null,\"usage\":";
  append_usage(plan, messages_output_tokens(plan), out);
  out += '}';
}

void render_message_stream(const MessagesPlan& plan, const MessagesIds& ids, int chunks,
                           std::string& out, std::vector<size_t>& ends) {
  EventWriter w(out, ends);
  w.event("message_start", [&] {
    out += ",\"message\":";
    append_head(plan, ids, out);
    out += ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":";
    append_usage(plan, 1, out);
    out += '}';
  });
  w.event("ping", [] {});
  int index = 0;
  if (!plan.thinking.empty()) {
    w.block_start(index, R"({"type":"thinking","thinking":"","signature":""})");
    for_each_part(plan.thinking, chunks < 3 ? chunks : 3, [&](std::string_view part) {
      w.delta(index, "thinking_delta", "thinking", part);
    });
    w.delta(index, "signature_delta", "signature", plan.signature);
    w.block_stop(index++);
  }
  w.block_start(index, R"({"type":"text","text":""})");
  for_each_part(plan.text, chunks,
                [&](std::string_view part) { w.delta(index, "text_delta", "text", part); });
  w.block_stop(index++);
  if (plan.tool_use) {
    std::string block = "{\"type\":\"tool_use\",\"id\":";
    append_json_string(block, ids.tool_use_id);
    block += ",\"name\":";
    append_json_string(block, plan.tool_name);
    block += ",\"input\":{}}";
    w.block_start(index, block);
    for_each_part(plan.tool_input, chunks < 3 ? 3 : chunks, [&](std::string_view part) {
      w.delta(index, "input_json_delta", "partial_json", part);
    });
    w.block_stop(index++);
  }
  w.event("message_delta", [&] {
    out += ",\"delta\":{\"stop_reason\":\"";
    out += stop_reason(plan);
    out += "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":";
    append_int(out, messages_output_tokens(plan));
    out += '}';
  });
  w.event("message_stop", [] {});
}

}  // namespace cg::sim
