// Test-only helper (included by *_test.cpp, never by library code): a deterministic ~88 KB
// OpenAI chat request shaped like a Claude Code agent turn (long system prompt with \n and \"
// escapes, a dozen tools with large JSON Schemas, a tool-use conversation). Single-threaded.
#pragma once
#include <string>

namespace cg::wire::testing {

inline std::string make_agent_request_body() {
  std::string prose;
  const char* kSentences[] = {
      "You are an interactive CLI tool that helps users with software engineering tasks.",
      "Use the instructions below and the tools available to you to assist the user.",
      "IMPORTANT: Refuse to write code or explain code that may be used maliciously.",
      "When the user says \\\"run the tests\\\", use the Bash tool with the project's runner.",
      "Keep your responses short, since they will be displayed on a command line interface.",
      "Prefer editing existing files to creating new ones; never create documentation files.",
  };
  std::string out = "{\"model\":\"claude-sonnet-4.5\",\"stream\":true,\"max_tokens\":32000,";
  out += "\"messages\":[{\"role\":\"system\",\"content\":\"";
  for (int i = 0; out.size() < 29'000; ++i) {
    out += kSentences[i % 6];
    out += (i % 3 == 2) ? "\\n\\n" : " ";
  }
  out +=
      "\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>\\nThis "
      "is a reminder.\\n</system-reminder>\"},{\"type\":\"text\",\"text\":\"Fix the failing "
      "test in src/sse/framer.cpp and run \\\"make test\\\".\"}]}";
  // A short tool loop.
  for (int t = 0; t < 8; ++t) {
    std::string id = "toolu_0" + std::to_string(t);
    out +=
        ",{\"role\":\"assistant\",\"content\":\"Let me look at that.\",\"tool_calls\":[{\"id\":\"" +
        id +
        "\",\"type\":\"function\",\"function\":{\"name\":\"Read\",\"arguments\":\"{\\\"file_"
        "path\\\":"
        "\\\"/work/src/sse/framer.cpp\\\",\\\"limit\\\":200}\"}}]}";
    out += ",{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"";
    for (int l = 1; l <= 20; ++l) {
      out += "    " + std::to_string(l) + "\\t  if (p[e + 1] == '\\\\n') next = e + 2;\\n";
    }
    out += "\"}";
  }
  out += ",{\"role\":\"user\",\"content\":\"continue\"}],\"tools\":[";
  const char* kNames[] = {"Task", "Bash",      "Glob",  "Grep",     "LS",        "Read",
                          "Edit", "MultiEdit", "Write", "WebFetch", "TodoWrite", "WebSearch"};
  for (int t = 0; t < 12; ++t) {
    if (t > 0) out += ',';
    out += "{\"type\":\"function\",\"function\":{\"name\":\"";
    out += kNames[t];
    out += "\",\"description\":\"";
    for (int i = 0; i < 18; ++i) {
      out += kSentences[(i + t) % 6];
      out += "\\n - ";
    }
    out += "\",\"parameters\":{\"type\":\"object\",\"properties\":{";
    for (int p = 0; p < 10; ++p) {
      if (p > 0) out += ',';
      out += "\"param_" + std::to_string(p) + "\":{\"type\":\"";
      out += (p % 3 == 0) ? "string" : (p % 3 == 1) ? "number" : "array";
      out += "\",\"description\":\"";
      out += kSentences[(p + t + 1) % 6];
      out += "\"";
      if (p % 3 == 2) {
        out +=
            ",\"items\":{\"type\":\"object\",\"properties\":{\"content\":{\"type\":\"string\","
            "\"minLength\":1},\"status\":{\"type\":\"string\",\"enum\":[\"pending\","
            "\"in_progress\",\"completed\"]},\"id\":{\"type\":\"string\"}},\"required\":["
            "\"content\",\"status\",\"id\"],\"additionalProperties\":false}";
      }
      if (p % 3 == 1) out += ",\"minimum\":0,\"maximum\":600000,\"exclusiveMinimum\":1.5e-3";
      out += "}";
    }
    out +=
        "},\"required\":[\"param_0\"],\"additionalProperties\":false,\"$schema\":"
        "\"http://json-schema.org/draft-07/schema#\"}}}";
  }
  out +=
      "],\"tool_choice\":\"auto\",\"temperature\":1,\"stream_options\":{\"include_usage\":true}}";
  return out;
}

}  // namespace cg::wire::testing
