#include "pool.hpp"

#include <cmath>
#include <cstdio>

namespace merit::cli {

const char* pool_help =
    "  --candidates FILE  competency scores: wide CSV 'candidate_id,<competency id>...' with\n"
    "                     values on the model scale 1..L (empty cell = not observed), or a\n"
    "                     JSON array of {\"candidate_id\": ..., \"scores\": {...}} (.json)\n"
    "  --evidence FILE    raw evidence instead: ratings from many raters and methods,\n"
    "                     aggregated into competency scores first (docs/evidence.md)\n"
    "  --format F         format of --evidence: long (CSV candidate_id,competency_id,method,\n"
    "                     rater,value; default for .csv), jsonl (default for .jsonl),\n"
    "                     greenhouse (Greenhouse Harvest scorecards; default for .json),\n"
    "                     wide (same as --candidates)\n"
    "  --calibrate C      rater calibration before averaging: leniency (remove each rater's\n"
    "                     additive offset) or zscore (standardise within rater)\n"
    "  --duplicates P     a rater's repeated rating of the same candidate, competency and\n"
    "                     method: mean (default; averaged into one rating) or error\n";

pool_options pool_options::from(args& a) {
  pool_options o;
  o.candidates = a.value("--candidates");
  o.evidence = a.value("--evidence");
  o.format = a.value("--format");
  o.calibrate = a.value("--calibrate");
  o.duplicates = a.value("--duplicates");
  if (o.candidates && o.evidence) throw usage_error{"give --candidates or --evidence, not both"};
  if (!o.candidates && !o.evidence) throw usage_error{"missing required option --candidates (or --evidence)"};
  if (o.candidates && (o.format || o.calibrate || o.duplicates))
    throw usage_error{"--format, --calibrate and --duplicates go with --evidence"};
  return o;
}

std::string evidence_format_name(const std::string& path, const std::optional<std::string>& format) {
  if (format) return *format;
  return ends_with(path, ".jsonl") ? "jsonl" : ends_with(path, ".json") ? "greenhouse" : "long";
}

namespace {

io::candidate_table read_wide(const competency_model& model, const std::string& path) {
  if (ends_with(path, ".json")) {
    auto text = read_text_file<input_error>(path);
    return io::read_candidates_json(io::parse_json<input_error>(text, path), model, path);
  }
  auto reader = io::csv_reader::open(path);
  return io::read_wide_csv(reader, model);
}
}  // namespace

aggregate_options aggregate_options_of(const pool_options& opt) {
  aggregate_options ao;
  if (opt.calibrate) {
    if (*opt.calibrate == "leniency") ao.calibration = calibration::leniency;
    else if (*opt.calibrate == "zscore") ao.calibration = calibration::zscore;
    else if (*opt.calibrate != "none") throw usage_error{"--calibrate takes leniency, zscore or none, got '" + *opt.calibrate + "'"};
  }
  if (opt.duplicates) {
    if (*opt.duplicates == "error") ao.duplicates = duplicate_policy::error;
    else if (*opt.duplicates != "mean") throw usage_error{"--duplicates takes mean or error, got '" + *opt.duplicates + "'"};
  }
  return ao;
}

pool_input read_pool(const competency_model& model, const pool_options& opt) {
  pool_input in;
  if (opt.candidates) {
    in.path = *opt.candidates;
    in.table = read_wide(model, in.path);
    return in;
  }
  in.path = *opt.evidence;
  const std::string fmt = evidence_format_name(in.path, opt.format);
  io::evidence_format f;
  try {
    f = io::parse_evidence_format(fmt);
  } catch (const argument_error& e) {
    throw usage_error{e.detail()};
  }
  if (f == io::evidence_format::wide) {
    if (opt.calibrate || opt.duplicates) throw usage_error{"--calibrate and --duplicates need long, jsonl or greenhouse evidence"};
    in.table = read_wide(model, in.path);
    return in;
  }
  const aggregate_options ao = aggregate_options_of(opt);
  observation_table obs;
  if (f == io::evidence_format::long_csv) {
    auto reader = io::csv_reader::open(in.path);
    obs = io::read_long_csv(reader, model, &in.report);
  } else {
    auto text = read_text_file<input_error>(in.path);
    if (f == io::evidence_format::jsonl)
      obs = io::read_jsonl(text, in.path, model, &in.report);
    else
      obs = io::read_greenhouse(io::parse_json<input_error>(text, in.path), in.path, model, &in.report);
  }
  if (obs.size() == 0) throw input_error(errc::schema, in.path, "no usable evidence: every value is missing or unmapped");
  in.evidence = aggregate(model, obs, ao);
  in.table.ids = in.evidence->ids;
  in.table.scores = in.evidence->scores;
  in.table.lines.assign(in.table.ids.size(), 0);
  return in;
}

void print_evidence_summary(std::FILE* err, const competency_model& model, const pool_input& pool) {
  if (!pool.evidence) return;
  const auto& ev = *pool.evidence;
  std::fprintf(err, "merit: %zu observations for %zu candidates from %s", ev.observations, ev.ids.size(), pool.path.c_str());
  if (pool.report.scorecards) std::fprintf(err, " (%zu scorecards)", pool.report.scorecards);
  std::fprintf(err, "; %zu repeated ratings averaged\n", ev.duplicates);
  for (const auto& [name, count] : pool.report.unmapped)
    std::fprintf(err, "merit: warning: attribute '%s' (%zu rating%s) maps to no competency of model '%s'; add it to a "
                      "competency's ats_aliases to use it\n",
                 name.c_str(), count, count == 1 ? "" : "s", model.id.c_str());
  if (ev.calibration != calibration::none) {
    std::fprintf(err, "merit: rater calibration (%s): leniency in scale points (+ lenient, - severe)\n",
                 to_string(ev.calibration));
    std::fprintf(err, "  %-20s %8s %8s %8s %9s\n", "rater", "ratings", "mean", "sd", "leniency");
    for (const auto& r : ev.raters) {
      const double leniency = std::fabs(r.leniency) < 5e-4 ? 0.0 : r.leniency;  // no "-0.000"
      std::fprintf(err, "  %-20s %8zu %8.3f %8.3f %+9.3f\n", r.id.c_str(), r.ratings, r.mean, r.sd, leniency);
    }
  }
}

}  // namespace merit::cli
