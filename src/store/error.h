// The store's error type and Result<T> / Status: what every AccountStore call returns instead of
// throwing. Messages name fields, ids, logins and aliases but never a token or a proxy URL, so
// they may be logged or shown to an admin as they are. Pure value types; any thread.
#pragma once
#include <string>
#include <string_view>

#include "core/api_error.h"
#include "core/result.h"

namespace cg::store {

enum class ErrorCode {
  kInvalidArgument,  // a field out of range or malformed; nothing was written
  kNotFound,         // no account (or quota owner) with that id
  kConflict,         // duplicate login (same GHE domain) or duplicate alias
  kIncompatible,     // not a copilot-gateway database, or a schema newer than this binary
  kIo,               // the database failed (locked, disk full, permissions, corrupt file)
};

struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;
};

// "invalid_argument", "not_found", "conflict", "incompatible", "io".
std::string_view error_code_name(ErrorCode code);

// The admin API's rendering: 400, 404, 409, else 500; the message is kept.
ApiError to_api_error(const Error& error);

template <class T>
using Result = cg::Result<T, Error>;
using Status = cg::Result<void, Error>;  // `return {};` is success

inline Error invalid_argument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
inline Error not_found(std::string message) {
  return {ErrorCode::kNotFound, std::move(message)};
}
inline Error conflict(std::string message) {
  return {ErrorCode::kConflict, std::move(message)};
}
inline Error incompatible(std::string message) {
  return {ErrorCode::kIncompatible, std::move(message)};
}
inline Error io_error(std::string message) {
  return {ErrorCode::kIo, std::move(message)};
}

}  // namespace cg::store
