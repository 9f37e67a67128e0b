// The default database path from XDG_DATA_HOME / HOME. Any thread.
#include "store/sqlite/default_path.h"

#include <cstdlib>

namespace cg::store::sqlite {

namespace {

constexpr std::string_view kRelative = "copilot-gateway/gateway.db";

std::string join(std::string_view dir, std::string_view rest) {
  std::string out(dir);
  while (out.size() > 1 && out.back() == '/')
    out.pop_back();
  if (out != "/") out += '/';
  out += rest;
  return out;
}

}  // namespace

Result<std::string> default_store_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  return default_store_path(xdg ? xdg : "", home ? home : "");
}

Result<std::string> default_store_path(std::string_view xdg_data_home, std::string_view home) {
  if (!xdg_data_home.empty() && xdg_data_home.front() == '/') return join(xdg_data_home, kRelative);
  if (!home.empty()) return join(join(home, ".local/share"), kRelative);
  return invalid_argument(
      "no default database path: neither XDG_DATA_HOME (absolute) nor HOME is set; give a path");
}

}  // namespace cg::store::sqlite
