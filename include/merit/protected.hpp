#pragma once
/// \file protected.hpp
/// Placeholder: the protected-characteristic matcher lands with the fairness work.
#include <optional>
#include <string>
#include <string_view>
namespace merit {
inline std::optional<std::string> protected_term(std::string_view) { return std::nullopt; }
}  // namespace merit
