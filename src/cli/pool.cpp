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

namespace {

/// Runs f, turning the pool layer's argument errors (bad option names) into usage errors.
template <class F>
auto usage(const F& f) {
  try {
    return f();
  } catch (const argument_error& e) {
    throw usage_error{e.detail()};
  }
}

pool::pool_source base_source(const pool_options& o) {
  return o.candidates ? pool::pool_source::candidates(*o.candidates)
                      : usage([&] { return pool::pool_source::evidence_file(*o.evidence, o.format); });
}

bool scores_format(pool::input_format f) {
  return f == pool::input_format::wide_csv || f == pool::input_format::json_candidates;
}

}  // namespace

std::string evidence_format_name(const std::string& path, const std::optional<std::string>& format) {
  if (format) return *format;
  return pool::to_string(pool::evidence_format_of(path, std::nullopt));
}

pool::pool_source pool_options::stream_source() const {
  std::optional<calibration> cal;
  std::optional<duplicate_policy> dup;
  if (calibrate) cal = usage([&] { return pool::parse_calibration(*calibrate); });
  if (duplicates) dup = usage([&] { return pool::parse_duplicates(*duplicates); });
  pool::pool_source src = base_source(*this);
  src.calibrate = cal;
  src.duplicates = dup;
  if (src.evidence && scores_format(src.format) && ((cal && *cal != calibration::none) || dup))
    throw usage_error{"--calibrate and --duplicates need long, jsonl or greenhouse evidence"};
  return src;
}

pool_input read_pool(const competency_model& model, const pool_options& opt) {
  pool::pool_source src = base_source(opt);
  if (src.evidence && scores_format(src.format) && (opt.calibrate || opt.duplicates))
    throw usage_error{"--calibrate and --duplicates need long, jsonl or greenhouse evidence"};
  if (opt.calibrate) src.calibrate = usage([&] { return pool::parse_calibration(*opt.calibrate); });
  if (opt.duplicates) src.duplicates = usage([&] { return pool::parse_duplicates(*opt.duplicates); });
  return pool::read_pool(model, src);
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
