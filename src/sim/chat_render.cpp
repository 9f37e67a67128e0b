// See chat_render.h. Hand-written JSON emission into the caller's buffer.
#include "sim/chat_render.h"

#include <ctime>

#include "core/ids.h"
#include "core/json_escape.h"

namespace cg::sim {
namespace {

int completion_tokens(const ChatPlan& plan) {
  return static_cast<int>((plan.text.size() + plan.tool_args.size() + plan.reasoning_text.size()) /
                          4) +
         1;
}

void append_usage(const ChatPlan& plan, std::string& out) {
  const int completion = completion_tokens(plan);
  out += "{\"prompt_tokens\":";
  out += std::to_string(plan.prompt_tokens);
  out += ",\"completion_tokens\":";
  out += std::to_string(completion);
  out += ",\"total_tokens\":";
  out += std::to_string(plan.prompt_tokens + completion);
  out += ",\"prompt_tokens_details\":{\"cached_tokens\":0}}";
}

void append_head(const ChatPlan& plan, const RenderIds& ids, std::string_view object,
                 std::string& out) {
  out += "{\"id\":";
  append_json_string(out, ids.completion_id);
  out += ",\"object\":\"";
  out += object;
  out += "\",\"created\":";
  out += std::to_string(ids.created);
  out += ",\"model\":";
  append_json_string(out, plan.model);
}

void append_tool_call(const ChatPlan& plan, const RenderIds& ids, std::string& out) {
  out += "[{\"id\":";
  append_json_string(out, ids.call_id);
  out += ",\"type\":\"function\",\"function\":{\"name\":";
  append_json_string(out, plan.tool_name);
  out += ",\"arguments\":";
  append_json_string(out, plan.tool_args);
  out += "}}]";
}

void append_reasoning(const ChatPlan& plan, const RenderIds& ids, std::string& out) {
  if (plan.reasoning_text.empty()) return;
  out += ",\"reasoning_text\":";
  append_json_string(out, plan.reasoning_text);
  out += ",\"reasoning_opaque\":";
  append_json_string(out, ids.opaque);
}

// Streaming: one chunk with a single choice-0 delta (`delta` is the inner JSON of the object).
class StreamWriter {
 public:
  StreamWriter(const ChatPlan& plan, const RenderIds& ids, std::string& out,
               std::vector<size_t>& ends)
      : plan_(plan), ids_(ids), out_(out), ends_(ends) {}

  template <class F>
  void delta(F&& body, std::string_view finish = {}, bool with_usage = false) {
    out_ += "data: ";
    append_head(plan_, ids_, "chat.completion.chunk", out_);
    out_ += ",\"choices\":[{\"index\":0,\"delta\":{";
    body();
    out_ += "},\"finish_reason\":";
    if (finish.empty()) {
      out_ += "null";
    } else {
      append_json_string(out_, finish);
    }
    out_ += ",\"logprobs\":null}]";
    if (with_usage) {
      out_ += ",\"usage\":";
      append_usage(plan_, out_);
    }
    end();
  }
  void string_delta(std::string_view field, std::string_view value) {
    delta([&] {
      out_ += '"';
      out_ += field;
      out_ += "\":";
      append_json_string(out_, value);
    });
  }
  void usage_only() {
    out_ += "data: ";
    append_head(plan_, ids_, "chat.completion.chunk", out_);
    out_ += ",\"choices\":[],\"usage\":";
    append_usage(plan_, out_);
    end();
  }
  void done() {
    out_ += "data: [DONE]";
    end(false);
  }
  std::string& out() { return out_; }

 private:
  void end(bool close_object = true) {
    out_ += close_object ? "}\n\n" : "\n\n";
    ends_.push_back(out_.size());
  }
  const ChatPlan& plan_;
  const RenderIds& ids_;
  std::string& out_;
  std::vector<size_t>& ends_;
};

}  // namespace

RenderIds new_render_ids(const ChatPlan& plan) {
  RenderIds ids;
  ids.completion_id = new_token_id("chatcmpl-", 24);
  if (plan.tool_call) ids.call_id = new_token_id("call_", 24);
  if (!plan.reasoning_text.empty()) ids.opaque = new_token_id("sig_", 12);
  ids.created = static_cast<int64_t>(std::time(nullptr));
  return ids;
}

void render_completion(const ChatPlan& plan, const RenderIds& ids, std::string& out) {
  append_head(plan, ids, "chat.completion", out);
  out += ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":";
  if (plan.text.empty()) {
    out += "null";
  } else {
    append_json_string(out, plan.text);
  }
  append_reasoning(plan, ids, out);
  if (plan.tool_call && plan.claude) {
    // Copilot splits Claude answers: text in choice 0, the tool call in choice 1.
    out +=
        "},\"finish_reason\":\"tool_calls\",\"logprobs\":null},"
        "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":";
    append_tool_call(plan, ids, out);
  } else if (plan.tool_call) {
    out += ",\"tool_calls\":";
    append_tool_call(plan, ids, out);
  }
  out += "},\"finish_reason\":\"";
  out += plan.tool_call ? "tool_calls" : "stop";
  out += "\",\"logprobs\":null}],\"usage\":";
  append_usage(plan, out);
  out += '}';
}

void render_stream(const ChatPlan& plan, const RenderIds& ids, int chunks, bool usage_on_finish,
                   std::string& out, std::vector<size_t>& ends) {
  StreamWriter w(plan, ids, out, ends);
  w.delta([&] { out += "\"role\":\"assistant\",\"content\":\"\""; });
  if (!plan.reasoning_text.empty()) {
    for_each_part(plan.reasoning_text, chunks < 3 ? chunks : 3,
                  [&](std::string_view part) { w.string_delta("reasoning_text", part); });
    w.string_delta("reasoning_opaque", ids.opaque);
  }
  for_each_part(plan.text, chunks, [&](std::string_view part) { w.string_delta("content", part); });
  if (plan.tool_call) {
    w.delta([&] {
      out += "\"tool_calls\":[{\"index\":0,\"id\":";
      append_json_string(out, ids.call_id);
      out += ",\"type\":\"function\",\"function\":{\"name\":";
      append_json_string(out, plan.tool_name);
      out += ",\"arguments\":\"\"}}]";
    });
    for_each_part(plan.tool_args, chunks < 3 ? 3 : chunks, [&](std::string_view part) {
      w.delta([&] {
        out += "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":";
        append_json_string(out, part);
        out += "}}]";
      });
    });
  }
  w.delta([] {}, plan.tool_call ? "tool_calls" : "stop", usage_on_finish);
  if (!usage_on_finish) w.usage_only();
  w.done();
}

}  // namespace cg::sim
