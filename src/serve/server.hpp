#pragma once
// merit serve's network layer: HTTP/1.1 on Boost.Beast over a pool of
// threads, feeding whole requests to service::handle. It owns what needs a
// socket: the body limit while reading (413), the read timeout, keep-alive,
// and the signals (SIGTERM/SIGINT drain, SIGHUP reload).

#include "service.hpp"

#include <memory>
#include <string>

namespace merit::serve {

class server {
 public:
  /// Binds `listen` ("host:port", "[v6]:port"; port 0 picks a free one).
  /// Throws input_error (errc::value or errc::io) naming the address.
  server(service& svc, const std::string& listen, unsigned threads);
  ~server();
  /// The address actually bound, "host:port".
  std::string address() const;
  /// Serves until SIGTERM or SIGINT, then stops accepting, lets running
  /// requests finish (at most drain_timeout) and returns 0.
  int run();

  static constexpr auto drain_timeout = std::chrono::milliseconds(4500);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace merit::serve
