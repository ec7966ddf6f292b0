#pragma once
// Numbers in messages: one definition for every header, merit::format_number
// (merit/number.hpp), under the names the library's own code uses.

#include <merit/number.hpp>

#include <string>

namespace merit::detail {

using merit::format_number;

/// The same spelling under the name the model and evidence messages use.
inline std::string number_text(double v) { return format_number(v); }

}  // namespace merit::detail
