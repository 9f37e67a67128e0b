// Helpers for the SQLite store tests: a private temporary directory (mkdtemp, removed with its
// contents), file modes and bytes, raw SQLite access beside the store, and a sample account.
// Test thread only.
#pragma once
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/log.h"
#include "store/account.h"

namespace cg::store::sqlite::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/cg_store_test_XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    if (!made) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Permission bits of `path`, or nullopt when it does not exist.
inline std::optional<mode_t> mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_mode & 07777;
}

inline bool exists(const std::string& path) {
  return mode_of(path).has_value();
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A raw connection beside the store, for building old databases and reading what the store wrote.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      std::abort();
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Runs `sql`; returns SQLite's error message, empty on success.
  std::string exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
    std::string out = err ? err : "error";
    sqlite3_free(err);
    return out;
  }

  // Every row of `sql` as "a|b|c" lines (NULL as "NULL").
  std::string rows(const std::string& sql) {
    std::string out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      return std::string("prepare failed: ") + sqlite3_errmsg(db_);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i) out += '|';
        const auto* t = sqlite3_column_text(st, i);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out += '\n';
    }
    sqlite3_finalize(st);
    return out;
  }

  std::string scalar(const std::string& sql) {
    std::string r = rows(sql);
    if (!r.empty() && r.back() == '\n') r.pop_back();
    return r;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Collects every log line while alive (instead of stderr).
class LogCapture {
 public:
  LogCapture() {
    log::set_sink_for_tests([this](std::string_view line) { lines.emplace_back(line); });
  }
  ~LogCapture() { log::set_sink_for_tests({}); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::vector<std::string> lines;
};

// A token-shaped secret that must never show up in messages or logs.
inline constexpr const char* kSecretToken = "ghu_S3cr3tT0kenValue0123456789abcdefXYZ";

// An account with every field set to a non-default value.
inline Account sample_account(const std::string& login = "octocat", const std::string& alias = "",
                              const std::string& token = kSecretToken) {
  Account a;
  a.github_login = login;
  a.alias = alias;
  a.github_token = token;
  a.account_type = AccountType::kBusiness;
  a.ghe_domain = "";
  a.plan = "business";
  a.enabled = true;
  a.priority = 3;
  a.weight = 2;
  a.max_concurrency = 8;
  a.max_vision_concurrency = 2;
  a.egress_proxy = "http://user:pw@proxy.internal:3128";
  return a;
}

}  // namespace cg::store::sqlite::testing
