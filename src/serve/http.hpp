#pragma once
// The service's view of HTTP, free of sockets: a request as the network layer
// read it and the response to send. Request handling (service.hpp) maps one
// to the other, so it is tested and fuzzed without a server.

#include <string>
#include <utility>
#include <vector>

namespace merit::serve {

struct request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< path and query as sent, e.g. "/v1/score"
  /// Header fields with lower-case names, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header field named `lower_name`, or nullptr.
  const std::string* header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return &v;
    return nullptr;
  }
};

struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  ///< besides Content-Type
  std::string body;
};

}  // namespace merit::serve
