#pragma once
/// \file pool/options.hpp
/// The names of the pool layer's options, parsed and printed in one place:
/// input formats, the duplicates policy, rater calibration and the output
/// format. The CLI, the C ABI and Python all go through these functions, so
/// a name means the same everywhere; a bad name throws merit::argument_error
/// with the message the CLI prints.

#include <merit/errors.hpp>
#include <merit/evidence.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace merit::pool {

/// Every way a pool can come in: competency scores (wide CSV, a JSON array of
/// candidates) or raw evidence (long CSV, JSON Lines, Greenhouse scorecards).
enum class input_format { wide_csv, long_csv, jsonl, json_candidates, greenhouse };

/// wide, long, jsonl, json, greenhouse.
const char* to_string(input_format f) noexcept;

/// Parses an evidence --format name (wide, long, jsonl, greenhouse); throws
/// argument_error "unknown evidence format 'X' (expected wide, long, jsonl or greenhouse)".
input_format parse_evidence_format(std::string_view name);

/// The format of candidate scores in `path`: json_candidates for .json, else wide_csv.
input_format candidates_format_of(const std::string& path);

/// The format of evidence in `path`: `format` when given (parsed), else by
/// extension (.jsonl -> jsonl, .json -> greenhouse, anything else -> long).
input_format evidence_format_of(const std::string& path, const std::optional<std::string>& format);

/// True for the formats that are streamed block by block (wide CSV, long CSV, JSON Lines).
bool streamable(input_format f) noexcept;

/// "mean" or "error"; throws "--duplicates takes mean or error, got 'X'".
duplicate_policy parse_duplicates(std::string_view name);
const char* to_string(duplicate_policy p) noexcept;

/// "none", "leniency" or "zscore"; throws "--calibrate takes leniency, zscore or none, got 'X'".
calibration parse_calibration(std::string_view name);

enum class output_format { csv, jsonl };

/// "csv" or "jsonl"; throws "--output-format takes csv or jsonl, got 'X'".
output_format parse_output_format(std::string_view name);
const char* to_string(output_format f) noexcept;

/// The output format for `path` when none is named: jsonl for .jsonl and .ndjson, else csv.
output_format output_format_for(const std::string& path);

}  // namespace merit::pool
