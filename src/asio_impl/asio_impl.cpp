// The one translation unit that compiles Asio, Asio SSL and Beast (separate compilation).
// Every other target defines BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION
// and links this library, so these heavy bodies are built once. No threads of its own.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
