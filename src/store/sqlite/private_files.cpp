// Directory and file creation with owner-only modes for the SQLite store. POSIX only; any thread.
#include "store/sqlite/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cg::store::sqlite {

namespace {

Error errno_error(std::string_view what, const std::string& path, int err) {
  return io_error(std::string(what) + " " + path + ": " + std::strerror(err));
}

}  // namespace

Status make_private_dirs(const std::string& dir) {
  if (dir.empty()) return {};
  // Walk the prefixes "/a", "/a/b", ... and create the missing ones.
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos < dir.size() && dir[pos] != '/') continue;
    const std::string prefix = dir.substr(0, pos);
    if (prefix.back() == '/') continue;  // "a//b"
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return io_error("not a directory: " + prefix);
      continue;
    }
    if (errno != ENOENT) return errno_error("stat", prefix, errno);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return errno_error("create directory", prefix, errno);
    }
    if (::chmod(prefix.c_str(), 0700) != 0) return errno_error("chmod", prefix, errno);
  }
  return {};
}

Result<bool> create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    return errno_error("create", path, errno);
  }
  const int rc = ::fchmod(fd, 0600);  // the umask may have removed owner bits
  const int err = errno;
  ::close(fd);
  if (rc != 0) return errno_error("chmod", path, err);
  return true;
}

Result<std::optional<mode_t>> restrict_to_owner(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<mode_t>();
    return errno_error("stat", path, errno);
  }
  const mode_t perms = st.st_mode & 07777;
  if ((perms & 077) == 0) return std::optional<mode_t>();
  if (::chmod(path.c_str(), 0600) != 0) return errno_error("chmod", path, errno);
  return std::optional<mode_t>(perms);
}

}  // namespace cg::store::sqlite
