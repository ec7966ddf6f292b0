#pragma once
/// \file pool/read.hpp
/// Reading a pool whole: competency scores (wide CSV, JSON candidates) or raw
/// evidence (long CSV, JSON Lines, Greenhouse scorecards) aggregated by the
/// core. For the readable shortlist and the formats that are not streamed.

#include <merit/evidence.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/evidence.hpp>
#include <merit/model.hpp>
#include <merit/pool/options.hpp>

#include <optional>
#include <string>

namespace merit::pool {

/// Where a pool comes from and how to read it.
struct pool_source {
  std::string path;                             ///< a file, or "-" for standard input
  input_format format = input_format::wide_csv;
  bool evidence = false;                        ///< given as evidence (--evidence), not candidate scores
  std::optional<calibration> calibrate;         ///< rater calibration, when given
  std::optional<duplicate_policy> duplicates;   ///< repeated ratings, when given

  /// Candidate scores in `path` (wide CSV, or JSON candidates for .json).
  static pool_source candidates(const std::string& path);
  /// Evidence in `path`, in `format` (a name) or by extension.
  static pool_source evidence_file(const std::string& path, const std::optional<std::string>& format = std::nullopt);

  /// The aggregate options: calibration and duplicates (defaults when not given).
  aggregate_options aggregation() const;
};

struct pool_input {
  io::candidate_table table;                  ///< scores in model order
  std::optional<competency_scores> evidence;  ///< when read from evidence
  observation_table observations;             ///< the ratings behind `evidence` (empty for scores)
  io::evidence_report report;
  std::string path;
};

/// Reads the whole pool. Throws merit::input_error for bad input, and
/// merit::argument_error "--calibrate and --duplicates need long, jsonl or
/// greenhouse evidence" for calibration or a duplicates policy on scores.
pool_input read_pool(const competency_model& model, const pool_source& source);

}  // namespace merit::pool
