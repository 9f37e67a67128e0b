// Route handlers for the GitHub side: device flow (github.com/login/...), Copilot token exchange
// and the quota snapshot (api.github.com/copilot_internal/...). Worker-thread only.
#pragma once
#include "sim/exchange.h"

namespace cg::sim {

void handle_device_code(Exchange& ex);    // POST /login/device/code
void handle_device_page(Exchange& ex);    // GET  /login/device
void handle_access_token(Exchange& ex);   // POST /login/oauth/access_token
void handle_copilot_token(Exchange& ex);  // GET  /copilot_internal/v2/token
void handle_copilot_user(Exchange& ex);   // GET  /copilot_internal/user

}  // namespace cg::sim
