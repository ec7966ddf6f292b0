#pragma once
/// \file fields.hpp
/// The one rule for a field of text, which every reader applies: the
/// evidence readers (long CSV, JSON Lines, Greenhouse, the C ABI's evidence
/// array, the Python columns; through map_to_level), the wide candidates CSV,
/// the reliability CSV (`merit reliability`) and the judgments reader (a
/// matrix entry). docs/input-formats.md states it for users.
///
/// - Trimming: ASCII spaces and tabs at either end of a field are not part of
///   it (spreadsheets write them); nothing else is trimmed, and nothing inside
///   a field is changed.
/// - Missing: a field that is empty after trimming, or is exactly `NA` (R) or
///   `null`, is missing: no value, never zero or a middle value. A JSON null
///   is missing too. Anything else must be a valid value, or it is an error.
///   (A rating scale may name further values that mean "no evidence", such as
///   Greenhouse's `no_decision`: method_scale::missing.)

#include <string_view>

namespace merit {

/// `s` without the ASCII spaces and tabs at either end.
inline std::string_view trim_field(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Whether a field means "no value": empty or blank, `NA` or `null` (after trim_field).
inline bool is_missing_field(std::string_view s) {
  s = trim_field(s);
  return s.empty() || s == "NA" || s == "null";
}

}  // namespace merit
