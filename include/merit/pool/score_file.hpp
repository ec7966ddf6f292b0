#pragma once
/// \file pool/score_file.hpp
/// `merit score` as one library call: stream a pool file, score and rank it,
/// write the results (CSV or JSON Lines, with bands and --explain columns),
/// the rejected rows and the decision log, each file atomically.

#include <merit/bands.hpp>
#include <merit/model.hpp>
#include <merit/norms.hpp>
#include <merit/pool/atomic_file.hpp>
#include <merit/pool/options.hpp>
#include <merit/pool/read.hpp>
#include <merit/pool/reject.hpp>
#include <merit/pool/stream.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace merit::pool {

struct summary;

struct score_options {
  std::string profile;                         ///< profile id; empty: the model's first profile
  unsigned threads = 1;                        ///< threads in all; the same bytes at any count
  std::optional<std::size_t> top;              ///< write only the K best-ranked candidates
  bool explain = false;                        ///< contrib_<id> and gap_<id> columns
  std::optional<output_format> format;         ///< default: by the output's extension
  std::optional<std::string> rejects_path;     ///< collect bad rows into this CSV and go on
  std::optional<double> reliability;           ///< r_xx for bands (default: the profile's)
  std::string reliability_source;              ///< where `reliability` came from (for the summary)
  std::optional<double> band_c;                ///< band width in SEDs (default 1.96)
  bool no_band = false;                        ///< no bands even when the profile has a reliability
  std::optional<std::string> audit_log_path;   ///< decision records (JSON Lines); refused when it exists
  bool overwrite_log = false;                  ///< replace an existing audit log instead of refusing
  std::string command_line;                    ///< recorded in the decision log's header
  /// Norms of the fit (merit/norms.hpp) for `percentile` and `norm_group`
  /// columns; built for this profile, its scoring hash and the fit column,
  /// else an error before anything is read.
  std::optional<norm_table> norms;
  std::string norm_group;                      ///< the candidates' norm group; empty: the norms' only group
  evidence_fn on_evidence;                     ///< what aggregating evidence whole found
  std::function<void(const summary&)> on_scored;  ///< after scoring and bands, before writing
};

/// What a run did.
struct summary {
  std::size_t rows_read = 0;       ///< data rows (lines of evidence) read
  std::size_t scored = 0;          ///< candidates scored
  std::size_t rejected = 0;        ///< rows rejected (see rejects_path)
  std::map<std::string, std::size_t> rejected_by_kind;  ///< by reject_kind name
  std::size_t missing_values = 0;  ///< evidence rows whose value was missing
  std::size_t written = 0;         ///< result rows written
  /// With top K: how many of the rows written are qualified. Rows past them
  /// are in the top K only because fewer than K candidates are qualified;
  /// they are not selected (docs/design.md, the ranking rule).
  std::optional<std::size_t> qualified_in_top;
  bool ungrouped = false;          ///< evidence not grouped by candidate: read in a full pass
  std::string profile;             ///< the profile scored against
  output_format format = output_format::csv;
  /// Bands, when on: the fit SD over every scored candidate and the width.
  struct band_summary {
    double sd = 0, width = 0, reliability = 0, c = band_c_95;
    std::string source;
  };
  std::optional<band_summary> bands;
};

/// The summary as a JSON object (keys as the fields; bands null when off).
nlohmann::ordered_json to_json(const summary& s);

/// The checks score_file makes on its files before any work, for an edge
/// that wants them earlier still: no output (the results, the rejects file,
/// the audit log) may be the same file as the input, one of `inputs` (the CLI
/// adds the model) or another output (check_distinct_files), and an existing
/// audit log is refused unless `overwrite_log`. Throws argument_error.
void check_run_files(const pool_source& input, const std::string& output_path, const score_options& options,
                     std::vector<run_file> inputs = {});

/// Scores the pool `input` against `model` and writes the ranked results to
/// `output_path` ("-": standard output). Throws merit::input_error for bad
/// input (nothing written), merit::argument_error for a bad option, for an
/// output that is the same file as the input or another output
/// (check_distinct_files) and for an audit log that exists without
/// `overwrite_log`, all before any work; and
/// cancelled when `progress` returns false. Every file appears only when the
/// whole run succeeded.
summary score_file(const competency_model& model, const pool_source& input, const std::string& output_path,
                   const score_options& options, const progress_fn& progress = {});

}  // namespace merit::pool
