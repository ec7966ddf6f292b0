#pragma once
// Text helpers the core and the readers share: UTF-8 validation and the
// messages that name a file's likely encoding, "did you mean" suggestions,
// and the exact parse of a plain decimal ("3", "4.5", "-0.25"). No file format here: the
// CSV and JSON readers (merit/io/) and the core's rating conversion
// (evidence.hpp) all call these. Private to the library (detail::); the
// public spelling of a number is merit::io::parse_double.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace merit::detail {

/// `s` with ASCII letters in lower case and surrounding spaces trimmed: how
/// an ATS attribute name is matched to a competency (evidence.hpp) and how
/// the model reader finds two competencies claiming one name.
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

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

/// The Unicode encoding other than UTF-8 whose byte-order mark starts
/// [p, p+n) ("UTF-16 little-endian", ...), or nullptr.
inline const char* foreign_bom(const unsigned char* p, std::size_t n) {
  if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) return "UTF-32 little-endian";
  if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF) return "UTF-32 big-endian";
  if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) return "UTF-16 little-endian";
  if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) return "UTF-16 big-endian";
  return nullptr;
}

/// The message for a file that starts with the byte-order mark of `encoding`.
inline std::string foreign_bom_message(const char* encoding) {
  return std::string("the file is ") + encoding + " (its byte-order mark says so); merit reads UTF-8: save it as "
         "UTF-8 (in Excel: CSV UTF-8)";
}

/// The message for text that breaks UTF-8 at byte `bad` of [p, p+n): the
/// byte(s) at fault and the encoding the text most likely is. Two bytes of
/// 0x81..0xFE in a row are how GBK (and other double-byte Chinese encodings)
/// write a character; a lone byte of 0x80..0xFF among ASCII is a Western
/// single-byte encoding such as Windows-1252. It starts "invalid UTF-8".
inline std::string invalid_utf8_message(const unsigned char* p, std::size_t n, std::size_t bad) {
  static const char hex[] = "0123456789ABCDEF";
  auto byte = [&](unsigned char c) { return std::string("0x") + hex[c >> 4] + hex[c & 15]; };
  const unsigned char c = p[bad];
  const unsigned char next = bad + 1 < n ? p[bad + 1] : 0;
  if (c >= 0x81 && c <= 0xFE && next >= 0x81 && next <= 0xFE)
    return "invalid UTF-8 (bytes " + byte(c) + " " + byte(next) +
           "): the text looks like GBK (Simplified Chinese Windows); save the file as UTF-8";
  if (c >= 0x80)
    return "invalid UTF-8 (byte " + byte(c) +
           "): the text looks like Windows-1252 (Western European Windows); save the file as UTF-8";
  return "invalid UTF-8 (byte " + byte(c) + ")";
}

/// Edit distance of a and b (insertions, deletions, substitutions and
/// swaps of neighbours each count 1: optimal string alignment), with ASCII
/// letters compared in any case.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  const std::size_t w = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * w);
  for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = low(a[i - 1]) == low(b[j - 1]);
      std::size_t v = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && low(a[i - 1]) == low(b[j - 2]) && low(a[i - 2]) == low(b[j - 1]))
        v = std::min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
    }
  return d[a.size() * w + b.size()];
}

/// " (did you mean 'x'?)" for the id of `list` nearest to `name` (the first
/// of equals, in list order), when it is near enough to be a slip: at most a
/// third of the name's length edits, and at least 1. Empty otherwise.
/// `id_of(item)` gives an item's id.
template <class List, class IdOf>
std::string did_you_mean(std::string_view name, const List& list, IdOf id_of) {
  std::size_t best = std::string_view::npos;
  std::string_view best_id;
  for (const auto& item : list) {
    const std::string_view id = id_of(item);
    const std::size_t d = edit_distance(name, id);
    if (d < best) {
      best = d;
      best_id = id;
    }
  }
  if (best == std::string_view::npos || best == 0 || best > std::max<std::size_t>(1, name.size() / 3)) return {};
  return " (did you mean '" + std::string(best_id) + "'?)";
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
