#pragma once
/// \file number.hpp
/// How merit spells a number in messages and text output: the shortest
/// spelling that reads back as the same double ("6", "0.5",
/// "0.3333333333333333"), never an exponent for ordinary values. The library's
/// own messages use it, so an edge (CLI, C ABI, bindings) that builds a
/// message of its own should too, and its numbers then read the same.

#include <charconv>
#include <string>

namespace merit {

/// The shortest round-trip spelling of `v` (std::to_chars): 4.5 -> "4.5",
/// 6.0 -> "6", 1.0/3 -> "0.3333333333333333"; "nan", "inf" and "-inf" as such.
inline std::string format_number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace merit
