// The canonical form every wire format is parsed into and emitted from: one request, one
// complete response and one stream-event vocabulary shared by OpenAI Chat Completions, OpenAI
// Responses and Anthropic Messages. Parsers (`from_*`) build these; emitters (`to_*`) and stream
// encoders write a wire format from them. Plain values, no I/O, no clocks: ids and timestamps are
// injected by the caller. Pure; any thread.
#pragma once
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::translate {

enum class Role : uint8_t { kSystem, kDeveloper, kUser, kAssistant, kTool };

// One piece of message content. Which fields matter depends on `kind`.
//
// `text` holds JSON-escaped string contents (the bytes between the quotes of a JSON string, as
// the client or upstream sent them), not plain text: most of a request's bytes are text, and
// moving it between two JSON formats then costs a copy instead of an unescape and an escape.
// Emitters write it between quotes unchanged; code that reads its meaning (token counting)
// unescapes it (json_unescaped). Parsers built on a DOM store json_escaped(value). Joining two
// texts with a blank line puts the four bytes `\n\n` between them. The other strings are plain.
struct Block {
  enum class Kind : uint8_t {
    kText,              // text
    kImage,             // image_url: a data: URL (or a remote URL, refused by emitters that
                        // cannot fetch it); detail optional
    kToolCall,          // id, name, arguments (JSON text of the input object)
    kToolResult,        // id (the call answered), text or parts (text/image), is_error
    kThinking,          // text (readable thinking), signature (Anthropic) / opaque (Copilot)
    kRedactedThinking,  // signature holds the opaque `data`
    kReasoning,         // a Responses reasoning item: id, text (summary), signature holds
                        // encrypted_content (passed back unchanged)
  };
  Kind kind = Kind::kText;
  std::string text;  // escaped (see above)
  std::string id;
  std::string name;
  std::string arguments;
  std::string signature;
  std::string image_url;
  std::string detail;
  std::vector<Block> parts;  // kToolResult content when it is not plain text
  bool is_error = false;
  bool cache_control = false;  // an Anthropic cache breakpoint on this block
};

struct Message {
  Role role = Role::kUser;
  std::vector<Block> content;
};

struct Tool {
  std::string name;
  std::string description;  // escaped, like Block::text
  // The JSON schema object as JSON text, the bytes the client sent (empty = none). Kept as text:
  // every emitter writes it unchanged, and a DOM of a large schema costs more than the rest of
  // the request.
  std::string parameters;
  std::optional<bool> strict;
};

struct ToolChoice {
  enum class Mode : uint8_t { kUnset, kAuto, kNone, kRequired, kNamed };
  Mode mode = Mode::kUnset;
  std::string name;  // kNamed
};

struct Request {
  std::string model;
  std::vector<Message> messages;  // system/developer instructions are leading kSystem messages
  std::vector<Tool> tools;
  ToolChoice tool_choice;
  std::optional<bool> parallel_tool_calls;
  std::optional<int64_t> max_tokens;
  std::optional<double> temperature, top_p;
  std::vector<std::string> stop;
  bool stream = false;
  std::string user;  // end-user id (Anthropic metadata.user_id, OpenAI user)
  // Reasoning: Anthropic thinking budget, OpenAI effort and summary mode.
  std::optional<int64_t> thinking_budget;
  std::string reasoning_effort;   // "low" | "medium" | "high" | ...; empty = unset
  std::string reasoning_summary;  // Responses reasoning.summary; empty = unset
  bool include_encrypted_reasoning = false;
  // Structured output: a JSON schema the answer must follow (JSON text of an object, empty =
  // none), its name and strictness; json_object = any JSON object.
  std::string response_schema;
  std::string response_schema_name;
  bool json_object = false;
  std::string prompt_cache_key;
  bool include_usage = false;  // Chat stream_options.include_usage: a final usage chunk
};

enum class FinishReason : uint8_t {
  kNone,           // not finished (yet)
  kStop,           // natural end
  kLength,         // max tokens
  kToolCalls,      // stopped to call tools
  kContentFilter,  // filtered
  kStopSequence,   // a stop sequence matched (Anthropic says which)
  kRefusal,
  kPauseTurn,
};

struct Usage {
  int64_t input_tokens = 0;  // the whole prompt, cached parts included
  int64_t output_tokens = 0;
  int64_t cache_read_tokens = 0;
  int64_t cache_creation_tokens = 0;
  int64_t reasoning_tokens = 0;
  bool known = false;  // false when the upstream reported nothing
};

// A complete (non-streamed) answer.
struct Response {
  std::string id;
  std::string model;
  std::vector<Block> content;  // kThinking / kReasoning, kText, kToolCall, in answer order
  FinishReason finish = FinishReason::kNone;
  std::string stop_sequence;  // kStopSequence: the one that matched, when known
  Usage usage;
};

// One step of a streamed answer. Strings are views valid only during the call that delivers
// the event, and are JSON-escaped string contents (the bytes between the quotes of a JSON string),
// so that relaying text between two JSON formats costs no unescape/escape round trip.
struct StreamEvent {
  enum class Kind : uint8_t {
    kStart,          // the answer begins: id, model (escaped), usage when known
    kText,           // text fragment
    kThinking,       // readable thinking fragment
    kSignature,      // the signature of the current thinking (complete, not a fragment)
    kRedacted,       // a redacted thinking block: text = its data
    kReasoningItem,  // a Responses reasoning item: id, text = encrypted_content (may be empty)
    kToolCall,       // a tool call starts: index (upstream's), id, name
    kToolArgs,       // arguments fragment of tool call `index`
    kFinish,         // finish reason (usage may follow in a kUsage)
    kUsage,          // usage (cumulative; the last one wins)
  };
  Kind kind = Kind::kText;
  int index = 0;
  std::string_view id;
  std::string_view name;
  std::string_view text;
  FinishReason finish = FinishReason::kNone;
  const Usage* usage = nullptr;
};

std::string_view to_string(Role role);

}  // namespace cg::translate
