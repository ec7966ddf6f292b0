// merit serve's request handling (src/serve/service.hpp) without a socket:
// the first byte picks the endpoint, the method and the credentials, the rest
// is the request body. For the Greenhouse webhook the target signs the body
// with the server's secret, so the fuzzer reaches the scorecard reader behind
// the signature check. service::handle never throws; what it answers must be
// a status in 200..503 with a JSON body, and never 500: a 500 is an exception
// the service did not expect (handle's catch-all), which is a finding.
#include "fuzz.hpp"

#include "../../src/serve/crypto.hpp"
#include "../../src/serve/service.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

namespace {

const std::string key = "0123456789abcdef0123456789abcdef";
const std::string secret = "fuzz-webhook-secret";

merit::serve::service& server() {
  static const std::unique_ptr<merit::serve::service> s = [] {
    merit::serve::options o;
    o.model_paths = {MERIT_SOURCE_DIR "/competency_models/sales_enablement.json"};
    o.api_keys_path = merit_fuzz::as_file(merit::serve::hash_key_line(key) + "\n", "-keys.txt");
    o.webhook_secret = secret;
    o.limits.max_candidates = 50;  // keeps one input's work small; the limit's own path is still reached
    return std::make_unique<merit::serve::service>(std::move(o));
  }();
  return *s;
}

std::string signature(const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &n);
  static const char digits[] = "0123456789abcdef";
  std::string hex = "sha256 ";
  for (unsigned int i = 0; i < n; ++i) {
    hex += digits[mac[i] >> 4];
    hex += digits[mac[i] & 15];
  }
  return hex;
}

const char* const targets[] = {"/v1/score", "/v1/evidence", "/v1/roles", "/v1/webhooks/greenhouse",
                               "/v1/models", "/v1/models/sales_enablement/profiles", "/metrics", "/healthz"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  merit::serve::request req;
  req.target = targets[pick & 7];
  req.method = (pick & 0x40) ? "GET" : "POST";
  if (pick & 0x08) req.target += "?x=1";
  req.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!(pick & 0x10)) req.headers.emplace_back("authorization", "Bearer " + key);
  if (!(pick & 0x20)) req.headers.emplace_back("signature", signature(req.body));

  const merit::serve::response res = server().handle(req);
  merit_fuzz::require(res.status != 500, "merit serve answered 500: an exception handle() did not expect", res.body);
  merit_fuzz::require(res.status >= 200 && res.status <= 503, "merit serve answered an unexpected status",
                      std::to_string(res.status));
  if (res.content_type == "application/json") {
    const auto j = nlohmann::json::parse(res.body, nullptr, false);
    merit_fuzz::require(!j.is_discarded(), "merit serve answered a body that is not JSON", res.body);
    if (res.status >= 400)
      merit_fuzz::require(j.contains("error") && j["error"].contains("code") && j["error"].contains("message"),
                          "an error answer without error.code and error.message", res.body);
  }
  return 0;
}
