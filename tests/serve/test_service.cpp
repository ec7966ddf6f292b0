// merit serve's request handling without a socket (src/serve/service.hpp)
// and its secrets (src/serve/crypto.hpp).
#include "../../src/serve/crypto.hpp"
#include "../../src/serve/service.hpp"

#include <merit/errors.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

using namespace merit::serve;

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = std::string(MERIT_BINARY_DIR) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const std::string key = "0123456789abcdef0123456789abcdef";

service make_service(merit::serve::limits lim = {}) {
  options o;
  o.model_paths = {std::string(MERIT_SOURCE_DIR) + "/competency_models/sales_enablement.json"};
  o.api_keys_path = temp_file("serve_keys.txt", hash_key_line(key) + "\n");
  o.limits = lim;
  return service(std::move(o));
}

request get(const std::string& target, bool with_key = true) {
  request r{"GET", target, {}, ""};
  if (with_key) r.headers.emplace_back("authorization", "Bearer " + key);
  return r;
}

}  // namespace

TEST_CASE("webhook signatures are HMAC-SHA256 in Greenhouse's form (RFC 4231 test case 2)") {
  const std::string mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  CHECK(valid_signature("Jefe", "what do ya want for nothing?", "sha256 " + mac));
  CHECK_FALSE(valid_signature("Jefe", "what do ya want for nothing!", "sha256 " + mac));
  CHECK_FALSE(valid_signature("jefe", "what do ya want for nothing?", "sha256 " + mac));
  CHECK_FALSE(valid_signature("Jefe", "what do ya want for nothing?", "sha1 " + mac));
  CHECK_FALSE(valid_signature("Jefe", "what do ya want for nothing?", "sha256 " + mac.substr(2)));
  CHECK_FALSE(valid_signature("Jefe", "what do ya want for nothing?", ""));
}

TEST_CASE("API keys: salted hashes, each line different, only the key itself accepted") {
  const std::string a = hash_key_line(key), b = hash_key_line(key);
  CHECK(a != b);  // fresh salt
  CHECK(a.rfind("merit-key/1 ", 0) == 0);
  const key_set ks = key_set::load(temp_file("serve_keys2.txt", "# two lines, one key\n" + a + "\n\n" + b + "\n"));
  CHECK(ks.size() == 2);
  CHECK(ks.accepts(key));
  CHECK_FALSE(ks.accepts(key + "0"));
  CHECK_FALSE(ks.accepts(""));
  REQUIRE_THROWS_WITH(hash_key_line("short"), "<stdin>: the key is 5 characters; use at least 16 random characters "
                                              "(e.g. 'openssl rand -hex 32')");
  const std::string empty = temp_file("serve_keys3.txt", "# nothing\n");
  REQUIRE_THROWS_WITH(key_set::load(empty),
                      empty + ": the API key file holds no key; add a line from 'merit serve hash-key'");
}

TEST_CASE("JSON depth is checked before parsing, strings skipped") {
  CHECK_FALSE(depth_exceeded(R"({"a": [[1]]})", 3));
  CHECK(depth_exceeded(R"({"a": [[1]]})", 2) == std::size_t(7));
  CHECK_FALSE(depth_exceeded(R"({"a": "[[[[[[\"[[["})", 1));
}

TEST_CASE("handle answers without a socket") {
  service svc = make_service();
  const response h = svc.handle(get("/healthz", false));
  CHECK(h.status == 200);
  CHECK(h.body == "{\"status\":\"ok\",\"models\":1}\n");

  const response no_key = svc.handle(get("/v1/models", false));
  CHECK(no_key.status == 401);
  CHECK(no_key.body == "{\"error\":{\"code\":\"unauthorized\",\"message\":\"send 'Authorization: Bearer <key>' with a "
                       "key from the server's key file\"}}\n");

  CHECK(svc.handle(get("/v1/models")).status == 200);
  CHECK(svc.handle(get("/v1/models/sales_enablement/profiles?x=1")).status == 200);
  CHECK(svc.handle(get("/v1/models/sales_enablement/other")).status == 404);

  request score{"POST", "/v1/score", {{"authorization", "Bearer " + key}},
                R"({"candidates": [{"candidate_id": "a", "scores": {"content_clarity": 4}}]})"};
  const response s = svc.handle(score);
  CHECK(s.status == 200);
  CHECK(s.body.rfind("{\"results\":[{\"candidate_id\":\"a\",\"profile\":\"sales_enablement\"", 0) == 0);
}

TEST_CASE("handle refuses a body over the limit even when the network layer let it through") {
  merit::serve::limits lim;
  lim.max_body_bytes = 16;
  service svc = make_service(lim);
  request score{"POST", "/v1/score", {{"authorization", "Bearer " + key}}, R"({"candidates": [], "model": "x"})"};
  const response r = svc.handle(score);
  CHECK(r.status == 413);
  CHECK(r.body == "{\"error\":{\"code\":\"body_too_large\",\"message\":\"the body is larger than 16 bytes\"}}\n");
}

TEST_CASE("reload swaps the API keys with the models, both or neither") {
  const std::string other = "fedcba9876543210fedcba9876543210";
  options o;
  o.model_paths = {std::string(MERIT_SOURCE_DIR) + "/competency_models/sales_enablement.json"};
  o.api_keys_path = temp_file("serve_keys_rotate.txt", hash_key_line(key) + "\n");
  service svc(std::move(o));
  const std::string keys_path = std::string(MERIT_BINARY_DIR) + "/serve_keys_rotate.txt";
  auto models_with = [&](const std::string& k) {
    request r{"GET", "/v1/models", {{"authorization", "Bearer " + k}}, ""};
    return svc.handle(r).status;
  };
  CHECK(models_with(key) == 200);
  CHECK(models_with(other) == 401);

  // Rotation: the new key's line replaces the old one; after the reload only it works.
  temp_file("serve_keys_rotate.txt", hash_key_line(other) + "\n");
  CHECK(models_with(key) == 200);  // nothing changes before the reload
  REQUIRE_FALSE(svc.reload().has_value());
  CHECK(models_with(other) == 200);
  CHECK(models_with(key) == 401);

  // A bad key file: the reload fails, naming the line, and the keys in use stay.
  temp_file("serve_keys_rotate.txt", "not a key line\n");
  const auto problem = svc.reload();
  REQUIRE(problem.has_value());
  CHECK(*problem == keys_path + ":1: expected a line of 'merit serve hash-key': merit-key/1 <salt hex> <sha256 hex>");
  CHECK(models_with(other) == 200);
  CHECK(models_with(key) == 401);
}

TEST_CASE("an error quoting bytes that are not UTF-8 is still a JSON answer (found by fuzz_serve)") {
  service svc = make_service();
  request score{"POST", "/v1/score", {{"authorization", "Bearer " + key}}, "{\"model\": \"sales_\xcf\xcf\"}"};
  const response r = svc.handle(score);
  CHECK(r.status == 400);
  // Each byte that is not UTF-8 is quoted as U+FFFD (EF BF BD).
  CHECK(r.body ==
        "{\"error\":{\"code\":\"parse\",\"message\":\"the body: invalid JSON: syntax error while parsing value - "
        "invalid string: ill-formed UTF-8 byte; last read: '\\\"sales_\xEF\xBF\xBD\xEF\xBF\xBD' (at 1:19)\"}}\n");
}
