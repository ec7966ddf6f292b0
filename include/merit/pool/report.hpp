#pragma once
/// \file pool/report.hpp
/// `merit report` as one library call: read a pool file whole, score it and
/// write a candidate's or the pool's HTML report (io/report_html.hpp,
/// docs/reports.md). The CLI (merit report) and Python (merit.report_candidate,
/// merit.report_pool) call these, so they give the same bytes.

#include <merit/io/html.hpp>
#include <merit/model.hpp>
#include <merit/pool/read.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace merit::pool {

struct report_options {
  std::string profile;                ///< profile id; empty: the model's first profile
  io::kit_lang lang = io::kit_lang::en;
  /// Pool report: the shortlist is the qualified candidates among the first
  /// `top` of the ranking; none: qualified with a fit at or above the model's
  /// fit cut (role_answer.fit_cut).
  std::optional<std::uint64_t> top;
  /// Pool report: a demographic groups file (io/groups.hpp) and the columns
  /// to audit the shortlist by; with them, the adverse-impact chart and table.
  std::optional<std::string> groups;
  std::vector<std::string> by;
  /// Candidate report: the decision log (merit.decision-log/1, `merit score
  /// --audit-log`) of the run that scored this pool. The report finds the
  /// candidate's record, checks it against what it computed
  /// (io/decision_log.hpp check_decision_record) and shows its id.
  std::optional<std::string> decision_log;
};

/// The candidate report of `candidate_id` in the pool read from `source`.
/// Throws input_error (errc::not_found) "no candidate 'ID' (the file has N
/// candidates)" at the file when the id is not in it, and what reading and
/// compiling throw. With `opt.decision_log`, also what find_decision_record
/// and check_decision_record throw: a candidate not in the log, a log of
/// another model or profile, a record whose fit or status differs.
std::string candidate_report(const competency_model& model, const pool_source& source,
                             const std::string& candidate_id, const report_options& opt = {});

/// The pool report of the pool read from `source`. Throws argument_error
/// when `opt.groups` is given without `opt.by` or `opt.by` without
/// `opt.groups`, and what reading the groups file throws.
std::string pool_report(const competency_model& model, const pool_source& source, const report_options& opt = {});

}  // namespace merit::pool
