// POST /responses: the OpenAI Responses API for models that list it (see copilot_handlers.h).
// Worker-thread only.
#include "sim/api_common.h"
#include "sim/copilot_handlers.h"
#include "sim/responses_plan.h"
#include "sim/responses_render.h"

namespace cg::sim {

namespace {

struct ResponsesApi {
  static constexpr Endpoint kEndpoint = Endpoint::kResponses;
  static constexpr ErrorShape kShape = ErrorShape::kOpenAI;
  static constexpr size_t kFixedEvents = 24;
  static Result<ResponsesPlan> plan(std::string_view body, const Catalog& catalog) {
    return plan_responses(body, catalog);
  }
  static ResponsesIds ids(const ResponsesPlan& p) { return new_responses_ids(p); }
  static void render(const ResponsesPlan& p, const ResponsesIds& ids, std::string& out) {
    render_response(p, ids, out);
  }
  static void render_stream(const ResponsesPlan& p, const ResponsesIds& ids, int chunks,
                            std::string& out, std::vector<size_t>& ends) {
    render_response_stream(p, ids, chunks, out, ends);
  }
};

}  // namespace

Task<bool> handle_responses(Exchange& ex) {
  return serve_planned<ResponsesApi>(ex);
}

}  // namespace cg::sim
