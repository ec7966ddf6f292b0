#pragma once
// Pool options of `merit score`, `merit aggregate`-like commands and `merit
// roles`: --candidates / --evidence / --format / --calibrate / --duplicates,
// turned into a merit::pool::pool_source (the names are parsed by the pool
// layer, include/merit/pool/options.hpp; a bad name is a usage error here).
#include "cli.hpp"

#include <merit/model.hpp>
#include <merit/pool/read.hpp>

#include <cstdio>
#include <optional>
#include <string>

namespace merit::cli {

using pool::pool_input;

/// Consumes --candidates / --evidence / --format / --calibrate / --duplicates.
struct pool_options {
  std::optional<std::string> candidates, evidence, format, calibrate, duplicates;
  static pool_options from(args& a);

  /// The file the pool is read from.
  const std::string& path() const { return candidates ? *candidates : *evidence; }

  /// The source for streaming (merit score, verify-log): checks --calibrate,
  /// --duplicates, then --format, as usage errors.
  pool::pool_source stream_source() const;
};

/// The --format of evidence: as given, else by extension (the pool layer's
/// evidence_format_of: .jsonl -> jsonl, .json -> greenhouse, anything else -> long).
std::string evidence_format_name(const std::string& path, const std::optional<std::string>& format);

/// Reads the whole pool (usage errors for bad option values).
pool_input read_pool(const competency_model& model, const pool_options& opt);

/// Prints what reading evidence found (and the raters' leniency when
/// calibrating) to stderr.
void print_evidence_summary(std::FILE* err, const competency_model& model, const pool_input& pool);

/// Help text shared by the commands that read pools.
extern const char* pool_help;

}  // namespace merit::cli
