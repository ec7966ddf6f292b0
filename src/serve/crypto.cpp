#include "crypto.hpp"

#include <merit/errors.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace merit::serve {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[p[i] >> 4];
    s[2 * i + 1] = digits[p[i] & 15];
  }
  return s;
}

std::optional<std::string> from_hex(std::string_view h) {
  if (h.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(h.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(h[2 * i]), lo = nibble(h[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string sha256_raw(std::string_view a, std::string_view b = {}) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 && EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, md, &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("SHA-256 failed");
  return std::string(reinterpret_cast<const char*>(md), len);
}

constexpr const char* key_tag = "merit-key/1";

}  // namespace

std::string sha256_hex(std::string_view data) {
  const std::string raw = sha256_raw(data);
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string hash_key_line(std::string_view key) {
  if (key.size() < min_key_length)
    throw input_error(errc::value, "<stdin>",
                      "the key is " + std::to_string(key.size()) + " characters; use at least " +
                          std::to_string(min_key_length) + " random characters (e.g. 'openssl rand -hex 32')");
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("no random bytes for the salt");
  const std::string s(reinterpret_cast<const char*>(salt), sizeof salt);
  const std::string h = sha256_raw(s, key);
  return std::string(key_tag) + " " + to_hex(salt, sizeof salt) + " " +
         to_hex(reinterpret_cast<const unsigned char*>(h.data()), h.size());
}

key_set key_set::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(errc::io, path, "cannot open the API key file");
  key_set ks;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields(line);
    std::string tag, salt, hash, extra;
    fields >> tag >> salt >> hash;
    const auto raw_salt = from_hex(salt), raw_hash = from_hex(hash);
    if (tag != key_tag || !raw_salt || raw_salt->empty() || !raw_hash || raw_hash->size() != 32)
      throw input_error(errc::schema, path + ":" + std::to_string(n),
                        "expected a line of 'merit serve hash-key': merit-key/1 <salt hex> <sha256 hex>");
    ks.entries_.push_back({*raw_salt, *raw_hash});
  }
  if (ks.entries_.empty())
    throw input_error(errc::value, path, "the API key file holds no key; add a line from 'merit serve hash-key'");
  return ks;
}

bool key_set::accepts(std::string_view key) const {
  bool found = false;
  for (const entry& e : entries_) {
    const std::string h = sha256_raw(e.salt, key);
    found |= CRYPTO_memcmp(h.data(), e.hash.data(), h.size()) == 0;
  }
  return found;
}

bool valid_signature(std::string_view secret, std::string_view body, std::string_view header) {
  constexpr std::string_view scheme = "sha256 ";
  if (header.substr(0, scheme.size()) != scheme) return false;
  const auto given = from_hex(header.substr(scheme.size()));
  if (!given || given->size() != 32) return false;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(body.data()), body.size(), md, &len))
    return false;
  return len == given->size() && CRYPTO_memcmp(md, given->data(), len) == 0;
}

}  // namespace merit::serve
