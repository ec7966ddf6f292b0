#include "server.hpp"

#include <merit/errors.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace merit::serve {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

/// Fields and request line together; a client that needs more is not an ATS.
constexpr std::uint32_t max_header_bytes = 16 * 1024;

struct shared_state {
  explicit shared_state(service& s) : svc(s) {}
  service& svc;
  std::atomic<bool> draining{false};
  std::atomic<int> live{0};          ///< open connections
  std::function<void()> on_last_closed;  ///< called when draining and `live` reaches 0
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, shared_state& st)
      : stream_(std::move(socket)), linger_(stream_.get_executor()), st_(st) {
    ++st_.live;
  }
  ~session() {
    if (--st_.live == 0 && st_.draining) st_.on_last_closed();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  /// Closes the connection if it waits for a request (drain); a request being
  /// handled finishes first and then closes, because draining turns keep-alive off.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void read() {
    if (st_.draining) return close();
    parser_.emplace();
    parser_->body_limit(st_.svc.limits().max_body_bytes);
    parser_->header_limit(max_header_bytes);
    stream_.expires_after(st_.svc.limits().request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  /// A request has begun: from here a drain lets it finish, body included.
  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    busy_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return close();
    busy_ = true;
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return write(st_.svc.refuse(413, "body_too_large",
                                  "the body is larger than " + std::to_string(st_.svc.limits().max_body_bytes) +
                                      " bytes"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      return write(st_.svc.refuse(431, "headers_too_large",
                                  "the request line and headers are larger than " + std::to_string(max_header_bytes) +
                                      " bytes"));
    }
    if (ec) {
      keep_alive_ = false;
      return write(st_.svc.refuse(400, "bad_request", "the request is not well-formed HTTP/1.1"));
    }
    const auto& msg = parser_->get();
    request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = msg.body();
    keep_alive_ = msg.keep_alive() && !st_.draining;
    stream_.expires_never();
    write(st_.svc.handle(req));
  }

  void write(response r) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "merit");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !st_.draining);
    res->prepare_payload();
    stream_.expires_after(st_.svc.limits().request_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  /// Ends the connection gracefully: after sending, read and discard what the
  /// client still sends (e.g. the rest of a body refused with 413) until it
  /// closes or 2 s pass. Closing with unread data would reset the connection,
  /// and the client could lose the response it was sent.
  void close() {
    beast::error_code ec;
    stream_.expires_never();
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    linger_.expires_after(std::chrono::seconds(2));
    linger_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->stream_.close();
    });
    discard();
  }

  void discard() {
    stream_.socket().async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec,
                                                                                       std::size_t) {
      if (!ec) return self->discard();
      self->linger_.cancel();
      self->stream_.close();
    });
  }

  beast::tcp_stream stream_;
  net::steady_timer linger_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  shared_state& st_;
  bool busy_ = false, keep_alive_ = true;
  std::array<char, 4096> scratch_;
};

tcp::endpoint parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw input_error(errc::value, "--listen", "give HOST:PORT, e.g. 127.0.0.1:8080, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      std::stoul(port_text) > 65535)
    throw input_error(errc::value, "--listen", "the port must be a number 0..65535, got '" + port_text + "'");
  beast::error_code ec;
  const auto addr = net::ip::make_address(host, ec);
  if (ec) throw input_error(errc::value, "--listen", "'" + host + "' is not an IP address (give one, e.g. 127.0.0.1)");
  return {addr, static_cast<unsigned short>(std::stoul(port_text))};
}

}  // namespace

struct server::impl {
  impl(service& svc, const std::string& listen, unsigned threads)
      : st(svc), ioc(static_cast<int>(threads)), acceptor(ioc), signals(ioc, SIGTERM, SIGINT, SIGHUP),
        control(net::make_strand(ioc)), drain_timer(control), threads(threads) {
    st.on_last_closed = [this] { net::post(control, [this] { drain_timer.cancel(); }); };
    const tcp::endpoint ep = parse_listen(listen);
    beast::error_code ec;
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw input_error(errc::io, "--listen", "cannot listen on " + listen + ": " + ec.message());
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (st.draining) return;
        return accept();
      }
      auto s = std::make_shared<session>(std::move(socket), st);
      {
        std::lock_guard<std::mutex> lock(mu);
        sessions.remove_if([](const std::weak_ptr<session>& w) { return w.expired(); });
        sessions.push_back(s);
      }
      s->start();
      accept();
    });
  }

  void wait_signal() {
    signals.async_wait(net::bind_executor(control, [this](beast::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (auto problem = st.svc.reload())
          std::fprintf(stderr, "merit serve: reload failed, still serving the previous models and keys: %s\n", problem->c_str());
        else
          std::fprintf(stderr, "merit serve: models and API keys reloaded\n");
        return wait_signal();
      }
      drain();
    }));
  }

  void drain() {
    std::fprintf(stderr, "merit serve: draining (at most %.1f s)\n",
                 std::chrono::duration<double>(drain_timeout).count());
    st.draining = true;
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    {
      std::lock_guard<std::mutex> lock(mu);
      for (auto& w : sessions)
        if (auto s = w.lock()) s->close_if_idle();
    }
    // Stop at the timeout, or at once when the last connection closes (the
    // timer is cancelled then); either way run() returns.
    drain_timer.expires_after(drain_timeout);
    drain_timer.async_wait([this](beast::error_code) { ioc.stop(); });
    if (st.live == 0) drain_timer.cancel();
  }

  shared_state st;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::strand<net::io_context::executor_type> control;  ///< signals and the drain timer
  net::steady_timer drain_timer;
  unsigned threads;
  std::mutex mu;
  std::list<std::weak_ptr<session>> sessions;
};

server::server(service& svc, const std::string& listen, unsigned threads)
    : impl_(std::make_unique<impl>(svc, listen, std::max(1u, threads))) {}

server::~server() = default;

std::string server::address() const {
  const tcp::endpoint ep = impl_->acceptor.local_endpoint();
  const std::string host = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

int server::run() {
  impl_->wait_signal();
  impl_->accept();
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < impl_->threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  impl_->st.draining = false;  // sessions destroyed with the io_context signal nobody
  return 0;
}

}  // namespace merit::serve
