// See router.h.
#include "sim/router.h"

#include "sim/control_handlers.h"
#include "sim/copilot_handlers.h"
#include "sim/github_handlers.h"

namespace cg::sim {
namespace {

using http::verb;

const Route kRoutes[] = {
    // Copilot API (hot paths first).
    {verb::post, "/chat/completions", nullptr, &handle_chat},
    {verb::get, "/models", &handle_models},
    {verb::post, "/v1/messages", nullptr, &handle_messages},
    {verb::post, "/responses", nullptr, &handle_responses},
    {verb::post, "/embeddings", nullptr, &handle_embeddings},
    // GitHub.
    {verb::get, "/copilot_internal/v2/token", &handle_copilot_token},
    {verb::get, "/copilot_internal/user", &handle_copilot_user},
    {verb::post, "/login/device/code", &handle_device_code},
    {verb::get, "/login/device", &handle_device_page},
    {verb::post, "/login/oauth/access_token", &handle_access_token},
    // Control surface.
    {verb::get, "/_sim/stats", &handle_sim_stats},
    {verb::post, "/_sim/reset", &handle_sim_reset},
    {verb::post, "/_sim/fault", &handle_sim_fault},
    {verb::post, "/_sim/revoke", &handle_sim_revoke},
    {verb::post, "/_sim/token_lifetime", &handle_sim_token_lifetime},
    {verb::post, "/_sim/quota", &handle_sim_quota},
};

}  // namespace

RouteMatch find_route(http::verb v, std::string_view path) {
  RouteMatch m;
  for (const Route& r : kRoutes) {
    if (r.path != path) continue;
    m.path_known = true;
    if (r.verb == v) {
      m.route = &r;
      return m;
    }
  }
  return m;
}

}  // namespace cg::sim
