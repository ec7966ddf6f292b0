#pragma once
// The service's secrets: API keys kept as salted SHA-256 hashes, and
// Greenhouse-style webhook signatures (HMAC-SHA256 of the raw body). OpenSSL
// does the hashing and the constant-time comparison.

#include <string>
#include <string_view>
#include <vector>

namespace merit::serve {

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// The line `merit serve hash-key` prints for `key`: "merit-key/1 <salt> <hash>",
/// salt 16 random bytes and hash SHA-256(salt || key), both hex. Throws
/// input_error (errc::value) for a key shorter than min_key_length.
std::string hash_key_line(std::string_view key);
inline constexpr std::size_t min_key_length = 16;

/// The API keys a server accepts, read from a file of hash_key_line lines
/// ('#' comments and blank lines ignored).
class key_set {
 public:
  /// Throws input_error naming file:line for a malformed line, and for a file
  /// without a key (a server nobody can call is a mistake).
  static key_set load(const std::string& path);
  /// True when `key` hashes to one of the entries. Every entry is compared
  /// (CRYPTO_memcmp, no early exit), so the time does not tell which matched.
  bool accepts(std::string_view key) const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    std::string salt, hash;  ///< raw bytes
  };
  std::vector<entry> entries_;
};

/// True when `header` is "sha256 <hex>" (Greenhouse's Signature header) and
/// the hex is HMAC-SHA256(secret, body), compared in constant time.
bool valid_signature(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace merit::serve
