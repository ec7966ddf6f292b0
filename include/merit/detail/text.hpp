#pragma once
// Text helpers the core and the readers share: UTF-8 validation and the exact
// parse of a plain decimal ("3", "4.5", "-0.25"). No file format here: the
// CSV and JSON readers (merit/io/) and the core's rating conversion
// (evidence.hpp) all call these. Private to the library (detail::); the
// public spelling of a number is merit::io::parse_double.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace merit::detail {

/// Index of the first byte that breaks UTF-8 in [p, p+n), or n when valid.
inline std::size_t utf8_invalid_at(const unsigned char* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path: 8 bytes at a time while no byte has its high bit set.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned int cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return n;
}

/// k / 10.0 for k < 1000, divided at compile time (the same correctly rounded
/// division as at run time, without its latency).
struct tenths_table {
  static constexpr std::size_t size = 1000;
  double v[size];
  constexpr tenths_table() : v() {
    for (std::size_t k = 0; k < size; ++k) v[k] = static_cast<double>(k) / 10.0;
  }
  constexpr double operator[](std::uint64_t k) const { return v[k]; }
};
inline constexpr tenths_table tenths{};

/// Reads the digits of a plain decimal one character at a time (see
/// plain_decimal); value() is false when they do not make one.
struct decimal_digits {
  std::uint64_t m = 0;
  int digits = 0, frac = -1;
  bool plain = true;

  void add(char c) {
    if (c >= '0' && c <= '9') {
      m = m * 10 + static_cast<unsigned>(c - '0');
      ++digits;
      if (frac >= 0) ++frac;
    } else if (c == '.' && frac < 0 && digits > 0) {
      frac = 0;
    } else {
      plain = false;
    }
  }
  bool value(double& out) const {
    static constexpr double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (!plain || digits == 0 || digits > 15 || frac == 0) return false;
    if (frac == 1 && m < tenths.size) {  // "4.5": the same division, done at compile time
      out = tenths[m];
      return true;
    }
    out = static_cast<double>(m);
    if (frac > 0) out /= pow10[frac];
    return true;
  }

};

/// A plain decimal ("3", "4.5", "-0.25": an optional minus, at most 15 digits,
/// at most one point with digits on both sides) parsed exactly; false for
/// anything else. At most 15 digits make an exact integer m, and m / 10^k
/// (k <= 15) is then one correctly rounded division: the same double
/// from_chars gives.
inline bool plain_decimal(std::string_view s, double& out) {
  const bool neg = !s.empty() && s.front() == '-';
  if (neg) s.remove_prefix(1);
  decimal_digits d;
  for (char c : s) d.add(c);
  if (!d.value(out)) return false;
  if (neg) out = -out;
  return true;
}

}  // namespace merit::detail
