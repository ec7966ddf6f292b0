#pragma once
// Reading a candidate pool for `merit score` and `merit aggregate`: competency
// scores (--candidates, wide CSV or JSON) or raw evidence (--evidence, long
// CSV, JSON Lines or Greenhouse scorecards) aggregated by the core.
#include "cli.hpp"

#include <merit/evidence.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/evidence.hpp>
#include <merit/model.hpp>

#include <optional>
#include <string>

namespace merit::cli {

struct pool_input {
  io::candidate_table table;               ///< scores in model order
  std::optional<competency_scores> evidence;  ///< when read from evidence
  io::evidence_report report;
  std::string path;
};

/// Consumes --candidates / --evidence / --format / --calibrate / --duplicates.
struct pool_options {
  std::optional<std::string> candidates, evidence, format, calibrate, duplicates;
  static pool_options from(args& a);
};

/// --calibrate and --duplicates as aggregate options (usage errors for bad values).
aggregate_options aggregate_options_of(const pool_options& opt);

/// The --format of evidence: as given, else by extension (.jsonl -> jsonl,
/// .json -> greenhouse, anything else -> long).
std::string evidence_format_name(const std::string& path, const std::optional<std::string>& format);

pool_input read_pool(const competency_model& model, const pool_options& opt);

/// Prints what reading evidence found (and the raters' leniency when
/// calibrating) to stderr.
void print_evidence_summary(std::FILE* err, const competency_model& model, const pool_input& pool);

/// Help text shared by the commands that read pools.
extern const char* pool_help;

}  // namespace merit::cli
