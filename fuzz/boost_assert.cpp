// BOOST_ASSERT handler of the fuzz build (BOOST_ENABLE_ASSERT_HANDLER, set by fuzz/flags.cmake;
// this library is linked into every target of that build). Every failed Boost assertion aborts,
// like assert() does, EXCEPT one known wrong assertion of Boost 1.81's Beast: basic_parser's
// parse_chunk_header asserts `n >= 5` when it resumes a chunked body's final "0\r\n" with fewer
// bytes buffered, which a byte-by-byte arrival legitimately produces; the code after it handles
// that case (need_more) and the assertion was corrected upstream (boostorg/beast PR #2861,
// Boost 1.86). Skipping it behaves as a release (NDEBUG) build does.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file,
                          long line) {
  if (std::strcmp(expr, "n >= 5") == 0 && std::strstr(file, "beast/http/impl/basic_parser.ipp"))
    return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed%s%s.\n", file, line, function, expr,
               msg ? ": " : "", msg ? msg : "");
  std::abort();
}

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  assertion_failed_msg(expr, nullptr, function, file, line);
}

}  // namespace boost
