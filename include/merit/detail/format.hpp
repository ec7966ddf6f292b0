#pragma once
// Numbers in messages: the shortest spelling that reads back as the same
// double ("6", "0.5", "0.3333333333333333"), never an exponent for ordinary
// values. One definition for every header.

#include <charconv>
#include <string>

namespace merit::detail {

inline std::string format_number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace merit::detail
