// The simulator's routing table: (method, path) -> handler. Add endpoints here. Immutable; any
// thread.
#pragma once
#include <string_view>

#include "sim/exchange.h"

namespace cg::sim {

struct Route {
  http::verb verb;
  std::string_view path;
  SyncHandler sync = nullptr;  // exactly one of sync/async is set
  AsyncHandler async = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  bool path_known = false;       // some route has this path (-> 405 instead of 404)
};

RouteMatch find_route(http::verb verb, std::string_view path);

}  // namespace cg::sim
