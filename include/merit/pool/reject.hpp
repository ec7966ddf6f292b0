#pragma once
/// \file pool/reject.hpp
/// Bad input rows: what kind of problem each one is, and the one policy that
/// decides whether a bad row is set aside (rejected, the run goes on) or
/// stops the run. Modelled on DuckDB's CSV error handler: every rejected row
/// carries its kind, its place (line, column) and the message.

#include <merit/errors.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace merit::pool {

/// The kinds of bad rows. Their names (to_string) are stable.
enum class reject_kind {
  cast_error,           ///< a value that is not a number, or outside its scale
  too_many_columns,     ///< more fields than the header
  too_few_columns,      ///< fewer fields than the header
  invalid_utf8,         ///< bytes that are not UTF-8
  line_too_long,        ///< a record longer than the limit (always fatal)
  unterminated_quote,   ///< a quoted field that is never closed (always fatal)
  invalid_quote,        ///< a character after a closing quote
  missing_value,        ///< an empty candidate id or rater, a missing JSON key
  unknown_reference,    ///< a competency or method the model does not have
  invalid_json,         ///< a JSON Lines line that is not a JSON object
  duplicate_id,         ///< a candidate id seen on an earlier row
  duplicate_observation,  ///< a rater's repeated rating under --duplicates error
  protected_attribute,  ///< demographic data where only evidence may go
  other,                ///< anything else (its code says more)
};

const char* to_string(reject_kind k) noexcept;

/// The kind of a row error, from its code and message.
reject_kind kind_of(const input_error& e);

/// One rejected input row.
struct rejected_row {
  std::size_t line = 0;
  std::size_t column = 0;
  errc code = errc::value;
  reject_kind kind = reject_kind::other;
  std::string reason;
};

/// The column of a `file:line:column` place (0 when it has none).
std::size_t column_of(const std::string& place);

/// The one reject-or-stop decision for every bad row of a pool. With
/// `collect`, a bad row is recorded and reading goes on; without it, the
/// first bad row stops the run. A row the reader could not get past (`stuck`:
/// a record too long, a quote never closed) stops the run either way: what
/// follows it cannot be split into records.
struct reject_policy {
  bool collect = false;

  /// Records `e` (on `line`) in `rejects`, or keeps it in `fatal`. Returns
  /// true when reading goes on.
  bool handle(const input_error& e, std::size_t line, bool stuck, std::vector<rejected_row>& rejects,
              std::optional<input_error>& fatal) const;
};

}  // namespace merit::pool
