// The store's error type and Result<T> / Status: what every AccountStore call returns instead of
// throwing. Messages name fields, ids, logins and aliases but never a token or a proxy URL, so
// they may be logged or shown to an admin as they are. Pure value types; any thread.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/api_error.h"

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
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for calls that return nothing: `return {};` is success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};
using Status = Result<void>;

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
