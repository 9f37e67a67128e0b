// Names and the admin API rendering of store errors. Pure; any thread.
#include "store/error.h"

namespace cg::store {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kIncompatible:
      return "incompatible";
    case ErrorCode::kIo:
      return "io";
  }
  return "io";
}

ApiError to_api_error(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return ApiError::bad_request(error.message);
    case ErrorCode::kNotFound:
      return ApiError::not_found(error.message);
    case ErrorCode::kConflict:
      return {409, "invalid_request_error", "conflict", error.message, {}, {}};
    case ErrorCode::kIncompatible:
    case ErrorCode::kIo:
      break;
  }
  return ApiError::internal(error.message);
}

}  // namespace cg::store
