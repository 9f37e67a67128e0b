// Where the SQLite store lives unless configured otherwise:
// $XDG_DATA_HOME/copilot-gateway/gateway.db, else $HOME/.local/share/copilot-gateway/gateway.db.
// Any thread (reads the environment; pure in its two-argument form).
#pragma once
#include <string>
#include <string_view>

#include "store/error.h"

namespace cg::store::sqlite {

// From the process environment (::getenv of XDG_DATA_HOME and HOME).
Result<std::string> default_store_path();

// The same rule on given values: XDG_DATA_HOME counts only when absolute (the XDG rule: a
// relative one is ignored), HOME only when non-empty. kInvalidArgument when neither gives a
// directory.
Result<std::string> default_store_path(std::string_view xdg_data_home, std::string_view home);

}  // namespace cg::store::sqlite
