// Helpers shared by the config/ unit tests: a fake environment and temporary TOML files.
// Test thread only.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "config/load.h"

namespace cg::config_test {

inline EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A file removed when the object goes out of scope.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    static int counter = 0;
    path_ =
        (std::filesystem::temp_directory_path() / ("cg_config_test_" + std::to_string(::getpid()) +
                                                   "_" + std::to_string(++counter) + ".toml"))
            .string();
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace cg::config_test
