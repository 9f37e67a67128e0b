// Short aliases for the networking stack, used by every Asio-based module. Any thread.
#pragma once
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace cg {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

// Coroutines bound to a plain io_context executor (one io_context per worker thread).
template <class T = void>
using Task = net::awaitable<T, net::any_io_executor>;

// Completion token that turns errors into values: auto [ec, n] = co_await op(..., use_nothrow);
inline constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);
}  // namespace cg
