// See responses_render.h. Hand-written JSON emission into the caller's buffer.
#include "sim/responses_render.h"

#include <ctime>
#include <string_view>

#include "core/ids.h"
#include "core/json_escape.h"
#include "sim/chat_render.h"
#include "sim/signing.h"

namespace cg::sim {
namespace {

enum class Phase { kInProgress, kDone };

void append_int(std::string& out, int64_t v) {
  out += std::to_string(v);
}

void append_usage(const ResponsesPlan& plan, std::string& out) {
  const int reasoning = plan.reasoning ? static_cast<int>(plan.reasoning_text.size() / 4) + 1 : 0;
  const int output = static_cast<int>((plan.text.size() + plan.tool_args.size() +
                                       (plan.reasoning ? plan.reasoning_text.size() : 0)) /
                                      4) +
                     1;
  out += "{\"input_tokens\":";
  append_int(out, plan.input_tokens);
  out += ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":";
  append_int(out, output);
  out += ",\"output_tokens_details\":{\"reasoning_tokens\":";
  append_int(out, reasoning);
  out += "},\"total_tokens\":";
  append_int(out, plan.input_tokens + output);
  out += '}';
}

void append_summary_part(std::string_view text, std::string& out) {
  out += "{\"type\":\"summary_text\",\"text\":";
  append_json_string(out, text);
  out += '}';
}

void append_text_part(std::string_view text, std::string& out) {
  out += "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":";
  append_json_string(out, text);
  out += '}';
}

void append_reasoning_item(const ResponsesPlan& plan, const ResponsesIds& ids, Phase phase,
                           std::string& out) {
  out += "{\"id\":";
  append_json_string(out, ids.reasoning_id);
  out += ",\"type\":\"reasoning\",\"summary\":[";
  if (phase == Phase::kDone && plan.reasoning_summary)
    append_summary_part(plan.reasoning_text, out);
  out += ']';
  if (plan.encrypted) {
    out += ",\"encrypted_content\":";
    append_json_string(out, ids.encrypted);
  }
  out += '}';
}

void append_message_item(const ResponsesPlan& plan, const ResponsesIds& ids, Phase phase,
                         std::string& out) {
  out += "{\"id\":";
  append_json_string(out, ids.message_id);
  out += ",\"type\":\"message\",\"status\":\"";
  out += phase == Phase::kDone ? "completed" : "in_progress";
  out += "\",\"content\":[";
  if (phase == Phase::kDone) append_text_part(plan.text, out);
  out += "],\"role\":\"assistant\"}";
}

void append_call_item(const ResponsesPlan& plan, const ResponsesIds& ids, Phase phase,
                      std::string& out) {
  out += "{\"id\":";
  append_json_string(out, ids.call_item_id);
  out += ",\"type\":\"function_call\",\"status\":\"";
  out += phase == Phase::kDone ? "completed" : "in_progress";
  out += "\",\"arguments\":";
  append_json_string(out, phase == Phase::kDone ? std::string_view(plan.tool_args) : "");
  out += ",\"call_id\":";
  append_json_string(out, ids.call_id);
  out += ",\"name\":";
  append_json_string(out, plan.tool_name);
  out += '}';
}

// The response object; kInProgress: status in_progress, no output, usage null.
void append_response(const ResponsesPlan& plan, const ResponsesIds& ids, Phase phase,
                     std::string& out) {
  const bool done = phase == Phase::kDone;
  out += "{\"id\":";
  append_json_string(out, ids.response_id);
  out += ",\"object\":\"response\",\"created_at\":";
  append_int(out, ids.created_at);
  out += done ? ",\"status\":\"completed\"" : ",\"status\":\"in_progress\"";
  out += ",\"background\":false,\"error\":null,\"incomplete_details\":null,\"model\":";
  append_json_string(out, plan.model);
  out += ",\"output\":[";
  if (done) {
    if (plan.reasoning) {
      append_reasoning_item(plan, ids, phase, out);
      out += ',';
    }
    if (plan.tool_call) {
      append_call_item(plan, ids, phase, out);
    } else {
      append_message_item(plan, ids, phase, out);
    }
  }
  out += ']';
  out += plan.echo;
  out += ",\"usage\":";
  if (done) {
    append_usage(plan, out);
  } else {
    out += "null";
  }
  out += '}';
}

// Named SSE events: `event: <type>\ndata: {"type":"<type>","sequence_number":N,<fields>}\n\n`.
class EventWriter {
 public:
  EventWriter(std::string& out, std::vector<size_t>& ends) : out_(out), ends_(ends) {}

  // `fields` appends the members after sequence_number (each starting with ',').
  template <class F>
  void event(std::string_view type, F&& fields) {
    out_ += "event: ";
    out_ += type;
    out_ += "\ndata: {\"type\":\"";
    out_ += type;
    out_ += "\",\"sequence_number\":";
    append_int(out_, seq_++);
    fields();
    out_ += "}\n\n";
    ends_.push_back(out_.size());
  }
  // `,"item_id":"<id>","output_index":<n>`
  void item_ref(std::string_view item_id, int output_index) {
    out_ += ",\"item_id\":";
    append_json_string(out_, item_id);
    out_ += ",\"output_index\":";
    append_int(out_, output_index);
  }

 private:
  std::string& out_;
  std::vector<size_t>& ends_;
  int64_t seq_ = 0;
};

void stream_reasoning(const ResponsesPlan& plan, const ResponsesIds& ids, int index, int chunks,
                      EventWriter& w, std::string& out) {
  const std::string_view id = ids.reasoning_id;
  auto summary_ref = [&] {
    w.item_ref(id, index);
    out += ",\"summary_index\":0";
  };
  if (!plan.reasoning_summary) return;
  w.event("response.reasoning_summary_part.added", [&] {
    summary_ref();
    out += ",\"part\":";
    append_summary_part("", out);
  });
  for_each_part(plan.reasoning_text, chunks < 3 ? chunks : 3, [&](std::string_view part) {
    w.event("response.reasoning_summary_text.delta", [&] {
      summary_ref();
      out += ",\"delta\":";
      append_json_string(out, part);
    });
  });
  w.event("response.reasoning_summary_text.done", [&] {
    summary_ref();
    out += ",\"text\":";
    append_json_string(out, plan.reasoning_text);
  });
  w.event("response.reasoning_summary_part.done", [&] {
    summary_ref();
    out += ",\"part\":";
    append_summary_part(plan.reasoning_text, out);
  });
}

void stream_message(const ResponsesPlan& plan, const ResponsesIds& ids, int index, int chunks,
                    EventWriter& w, std::string& out) {
  auto part_ref = [&] {
    w.item_ref(ids.message_id, index);
    out += ",\"content_index\":0";
  };
  w.event("response.content_part.added", [&] {
    part_ref();
    out += ",\"part\":";
    append_text_part("", out);
  });
  for_each_part(plan.text, chunks, [&](std::string_view part) {
    w.event("response.output_text.delta", [&] {
      part_ref();
      out += ",\"delta\":";
      append_json_string(out, part);
      out += ",\"logprobs\":[]";
    });
  });
  w.event("response.output_text.done", [&] {
    part_ref();
    out += ",\"text\":";
    append_json_string(out, plan.text);
    out += ",\"logprobs\":[]";
  });
  w.event("response.content_part.done", [&] {
    part_ref();
    out += ",\"part\":";
    append_text_part(plan.text, out);
  });
}

void stream_call(const ResponsesPlan& plan, const ResponsesIds& ids, int index, int chunks,
                 EventWriter& w, std::string& out) {
  for_each_part(plan.tool_args, chunks < 3 ? 3 : chunks, [&](std::string_view part) {
    w.event("response.function_call_arguments.delta", [&] {
      w.item_ref(ids.call_item_id, index);
      out += ",\"delta\":";
      append_json_string(out, part);
    });
  });
  w.event("response.function_call_arguments.done", [&] {
    w.item_ref(ids.call_item_id, index);
    out += ",\"name\":";
    append_json_string(out, plan.tool_name);
    out += ",\"arguments\":";
    append_json_string(out, plan.tool_args);
  });
}

}  // namespace

ResponsesIds new_responses_ids(const ResponsesPlan& plan) {
  ResponsesIds ids;
  ids.response_id = new_token_id("resp_", 32);
  if (plan.tool_call) {
    ids.call_item_id = new_token_id("fc_", 32);
    ids.call_id = new_token_id("call_", 24);
  } else {
    ids.message_id = new_token_id("msg_", 32);
  }
  if (plan.reasoning) ids.reasoning_id = new_token_id("rs_", 32);
  if (plan.encrypted) ids.encrypted = seal_reasoning(ids.reasoning_id, plan.reasoning_text);
  ids.created_at = static_cast<int64_t>(std::time(nullptr));
  return ids;
}

void render_response(const ResponsesPlan& plan, const ResponsesIds& ids, std::string& out) {
  append_response(plan, ids, Phase::kDone, out);
}

void render_response_stream(const ResponsesPlan& plan, const ResponsesIds& ids, int chunks,
                            std::string& out, std::vector<size_t>& ends) {
  EventWriter w(out, ends);
  for (const char* type : {"response.created", "response.in_progress"}) {
    w.event(type, [&] {
      out += ",\"response\":";
      append_response(plan, ids, Phase::kInProgress, out);
    });
  }
  int index = 0;
  // One output item: added, its own events, done.
  auto item = [&](auto&& append_item, auto&& body) {
    w.event("response.output_item.added", [&] {
      out += ",\"output_index\":";
      append_int(out, index);
      out += ",\"item\":";
      append_item(Phase::kInProgress);
    });
    body();
    w.event("response.output_item.done", [&] {
      out += ",\"output_index\":";
      append_int(out, index);
      out += ",\"item\":";
      append_item(Phase::kDone);
    });
    ++index;
  };
  if (plan.reasoning) {
    item([&](Phase p) { append_reasoning_item(plan, ids, p, out); },
         [&] { stream_reasoning(plan, ids, index, chunks, w, out); });
  }
  if (plan.tool_call) {
    item([&](Phase p) { append_call_item(plan, ids, p, out); },
         [&] { stream_call(plan, ids, index, chunks, w, out); });
  } else {
    item([&](Phase p) { append_message_item(plan, ids, p, out); },
         [&] { stream_message(plan, ids, index, chunks, w, out); });
  }
  w.event("response.completed", [&] {
    out += ",\"response\":";
    append_response(plan, ids, Phase::kDone, out);
  });
}

}  // namespace cg::sim
