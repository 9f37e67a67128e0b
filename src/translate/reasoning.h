// How much thinking an OpenAI reasoning effort asks of a Claude model, shared by the emitters
// that turn efforts into Anthropic / Copilot thinking budgets. Pure; any thread.
#pragma once
#include <cstdint>
#include <string_view>

namespace cg::translate {

// The thinking budget (tokens) for a reasoning effort: 0 for none/minimal/unset, 1024 low,
// 2048 medium, 4096 high, 8192 above.
inline int64_t thinking_budget_for_effort(std::string_view effort) {
  if (effort.empty() || effort == "none" || effort == "minimal") return 0;
  if (effort == "low") return 1024;
  if (effort == "medium") return 2048;
  if (effort == "high") return 4096;
  return 8192;  // xhigh, max, ...
}

}  // namespace cg::translate
