#pragma once
/// \file io/json_text.hpp
/// A compact JSON writer into a caller's buffer, writing the bytes
/// nlohmann::json's dump() writes for the same values: numbers in its
/// shortest round-trip form (non-finite ones as null), strings with its
/// escapes. A hot path (the C ABI's per-candidate result) writes with it
/// without building a document, and without allocating once the buffer has
/// grown; the tests compare the two byte for byte.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

namespace merit::io {

namespace json_text_detail {
/// Bytes a JSON string must escape: '"', '\\' and control bytes.
struct escape_table {
  bool escape[256] = {};
  constexpr escape_table() {
    for (int c = 0; c < 0x20; ++c) escape[c] = true;
    escape[static_cast<unsigned char>('"')] = true;
    escape[static_cast<unsigned char>('\\')] = true;
  }
};
inline constexpr escape_table escapes{};
}  // namespace json_text_detail

class json_text {
 public:
  /// Writes into `buffer` from its start (its size is only room: the text
  /// written is view()). Keep the buffer to write again without allocating.
  explicit json_text(std::string& buffer) : buf_(buffer) {}

  /// The text written so far.
  std::string_view view() const { return std::string_view(buf_.data(), n_); }

  json_text& begin_object() { return open('{'); }
  json_text& end_object() { return close('}'); }
  json_text& begin_array() { return open('['); }
  json_text& end_array() { return close(']'); }

  /// A member's key; its value follows.
  json_text& key(std::string_view k) {
    separate();
    quoted(k);
    return key_end();
  }
  /// A key already quoted as string() writes it (`"id"`), for keys written
  /// again and again: copied without a scan.
  json_text& key_quoted(std::string_view quoted) {
    separate();
    literal(quoted);
    return key_end();
  }
  json_text& string(std::string_view s) {
    value_start();
    quoted(s);
    return *this;
  }
  json_text& number(double v) {
    value_start();
    if (!std::isfinite(v)) return literal("null");
    char* p = room(64);  // nlohmann's own number buffer size
    n_ = static_cast<std::size_t>(nlohmann::detail::to_chars(p, p + 64, v) - buf_.data());
    return *this;
  }
  json_text& null() {
    value_start();
    return literal("null");
  }
  /// A value already written as compact JSON (nlohmann's dump()).
  json_text& raw(std::string_view json) {
    value_start();
    return literal(json);
  }

 private:
  static constexpr int max_depth = 32;

  /// `k` more bytes at the end, growing the buffer when needed.
  char* room(std::size_t k) {
    if (n_ + k > buf_.size()) buf_.resize(std::max(2 * buf_.size(), n_ + k + 256));
    return buf_.data() + n_;
  }
  void put(char c) {
    *room(1) = c;
    ++n_;
  }
  json_text& literal(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    n_ += s.size();
    return *this;
  }
  json_text& key_end() {
    put(':');
    after_key_ = true;
    return *this;
  }
  json_text& open(char c) {
    value_start();
    put(c);
    first_[depth_++] = true;
    return *this;
  }
  json_text& close(char c) {
    --depth_;
    put(c);
    return *this;
  }
  void separate() {
    if (depth_ == 0) return;
    if (!first_[depth_ - 1]) put(',');
    first_[depth_ - 1] = false;
  }
  void value_start() {
    if (after_key_) after_key_ = false;
    else separate();
  }
  void quoted(std::string_view s) {
    // Runs without escapes (ids, most text) are copied whole.
    const char* d = s.data();
    std::size_t i = 0;
    while (i < s.size() && !json_text_detail::escapes.escape[static_cast<unsigned char>(d[i])]) ++i;
    char* o = room(s.size() * 6 + 2);  // the longest escape is 6 bytes
    char* const start = o;
    *o++ = '"';
    std::memcpy(o, d, i);
    o += i;
    for (; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(d[i]);
      if (!json_text_detail::escapes.escape[c]) {
        *o++ = d[i];
        continue;
      }
      *o++ = '\\';
      switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\t': *o++ = 't'; break;
        case '\n': *o++ = 'n'; break;
        case '\f': *o++ = 'f'; break;
        case '\r': *o++ = 'r'; break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          const char u[5] = {'u', '0', '0', hex[c >> 4], hex[c & 15]};
          std::memcpy(o, u, 5);
          o += 5;
        }
      }
    }
    *o++ = '"';
    n_ += static_cast<std::size_t>(o - start);
  }

  std::string& buf_;
  std::size_t n_ = 0;
  bool first_[max_depth] = {};
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace merit::io
