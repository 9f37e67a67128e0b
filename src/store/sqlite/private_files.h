// Owner-only files for the database: directories created 0700, the database file created 0600,
// and group/other permission bits removed from an existing database file and its -wal/-shm
// companions (the database holds GitHub tokens). POSIX calls only; any thread, but the store
// calls these from its own thread while opening.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

#include "store/error.h"

namespace cg::store::sqlite {

// Creates `dir` and every missing parent with mode 0700 (set with chmod, so the umask cannot
// widen or narrow it). Directories that already exist are left as they are: they may be the
// user's own (a home directory, /tmp), and the files inside are owner-only anyway.
Status make_private_dirs(const std::string& dir);

// Creates `path` as an empty regular file with mode 0600 when it does not exist (an empty file is
// a valid new SQLite database). true when it was created, false when it already existed.
Result<bool> create_private_file(const std::string& path);

// When `path` exists and group or others have any permission on it, sets its mode to 0600 and
// returns the previous permission bits; nullopt when it was missing or already owner-only.
Result<std::optional<mode_t>> restrict_to_owner(const std::string& path);

}  // namespace cg::store::sqlite
