// The one translation unit that compiles Asio, Asio SSL and Beast (BOOST_*_SEPARATE_COMPILATION):
// the other transport sources only instantiate what they use.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <utility> // Boost 1.74's Asio misses it under GCC 12 (docs/design/STORAGE-SYNC-STYLE.md §4)
