// merit score: competency scores in, ranked and explained fit out.
#include "cli.hpp"

#include <merit/titles.hpp>
#include "pool.hpp"
#include "shortlist.hpp"

#include <merit/bands.hpp>
#include <merit/pool/options.hpp>
#include <merit/pool/score_file.hpp>
#include <merit/io/json.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/results.hpp>
#include <merit/io/model.hpp>
#include <merit/io/norms.hpp>
#include <merit/scoring_hash.hpp>
#include <merit/model.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>
#include <merit/titles.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace merit::cli {
namespace {

const std::string score_help = std::string(
    "usage: merit score --model FILE [--profile ID] (--candidates FILE | --evidence FILE)\n"
    "                   [--out FILE|-] [--output-format csv|jsonl] [--explain] [--top K]\n"
    "                   [--threads N] [--rejects FILE] [--reliability R] [--band-c C] [--no-band]\n"
    "                   [--audit-log FILE.jsonl [--overwrite-log]] [--norms FILE [--norm-group G]]\n"
    "                   [--table | --csv] [--quiet]\n"
    "\n"
    "Scores candidates against a profile of a competency model and ranks them. Wide CSV,\n"
    "long CSV and JSON Lines evidence are streamed and scored in parallel; the output is\n"
    "the same bytes at any thread count (docs/cli-score.md).\n"
    "\n"
    "  --model FILE       competency model (JSON), e.g. competency_models/sales_enablement.json\n"
    "  --profile ID       profile to score against (default: the model's first profile;\n"
    "                     'merit profiles FILE' lists them)\n"
    "  --title \"T\"        job title instead of --profile (merit match-title, docs/titles.md);\n"
    "                     exit 2 naming the candidate profiles when T is ambiguous\n") + pool_help + std::string(
    "  --out FILE|-       where to write the results (default '-': standard output). A file\n"
    "                     appears only when complete; an output that is the same file as\n"
    "                     the model, the input or another output is refused (exit 2)\n"
    "  --output-format F  csv or jsonl (default: jsonl when --out ends in .jsonl or .ndjson)\n"
    "  --explain          add contrib_<id> and gap_<id> columns: each competency's share of\n"
    "                     the fit and the fit points lost below target\n"
    "  --top K            write only the K best-ranked candidates (memory bounded by K);\n"
    "                     when fewer of them are qualified, a note on stderr says so: the\n"
    "                     rows below the qualified ones are not selected\n"
    "  --threads N        threads in all, reading included (default: every core); the\n"
    "                     same output for every N\n"
    "  --rejects FILE     write bad rows to FILE (CSV line,column,code,reason) and go on;\n"
    "                     without it the first bad row stops the run (exit 3)\n"
    "  --reliability R    reliability r_xx of the fit for score bands (default: the\n"
    "                     profile's 'reliability'); adds a 'band' column. R is a number,\n"
    "                     or FILE.json[:KEY], the --json output of 'merit reliability icc'\n"
    "                     (KEY default icc1k: the panel's averaged rating) or 'alpha'\n"
    "  --band-c C         band width C x SED (default 1.96, a two-sided 95% test); bands\n"
    "                     are formed among qualified candidates only, others have none\n"
    "  --no-band          no band column, even when the profile carries a reliability\n"
    "  --audit-log FILE   decision records (JSON Lines): a header with the model, profile\n"
    "                     and input hashes, then one record per candidate in ranking order;\n"
    "                     check one with 'merit verify-log'. An existing FILE is refused\n"
    "                     (exit 2): a decision log is never replaced silently\n"
    "  --overwrite-log    replace an existing --audit-log FILE\n"
    "  --norms FILE       add 'percentile' (of the fit, in the norm group; docs/norms.md)\n"
    "                     and 'norm_group' columns; FILE is from 'merit norms build' for\n"
    "                     this profile and its scoring hash, else exit 3. Writes CSV (or\n"
    "                     JSON Lines), not the terminal shortlist\n"
    "  --norm-group G     the norm group every candidate of this run is compared with\n"
    "                     (needed when the norms have several groups)\n"
    "  --table            print the readable shortlist even when stdout is not a terminal\n"
    "  --csv              print CSV even when stdout is a terminal\n"
    "  --quiet            no progress bar, no evidence summary or band note on stderr\n"
    "\n"
    "Output CSV: rank,candidate_id,fit,status,coverage[,band] (6 decimals). fit is 0..100;\n"
    "status is qualified, screened_out (a hurdle failed) or incomplete (coverage below\n"
    "the profile's min_coverage, or a hurdle competency not observed). Ranking: qualified\n"
    "candidates first, then incomplete, then screened_out, each by fit descending after\n"
    "rounding to 6 decimals; then candidates with no fit; ties by candidate id.\n"
    "When the output is a terminal, a shortlist with each candidate's strengths, gaps\n"
    "and the role their own pattern of strengths shows (the role answer, as 'merit\n"
    "roles' gives it) is printed instead.\n"
    "\n"
    "The last line on stderr reads 'read R rows, scored S candidates, rejected J rows'.\n"
    "exit status: 0 ok, 1 some rows rejected (see --rejects), 2 bad command line,\n"
    "             3 bad model or input (nothing written), 4 file error, 130 interrupted\n"
    "\n"
    "examples:\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --profile sales_enablement --candidates examples/pool.csv --explain --top 10\n"
    "  merit score --model competency_models/sales_enablement.json \\\n"
    "      --evidence examples/evidence_long.csv --out ranked.jsonl --rejects bad.csv\n");

/// The stderr note when a top K holds candidates who are not qualified: they
/// fill the rows the qualified ones leave, and are not selected.
void note_unqualified_in_top(std::size_t k, std::size_t written, std::size_t qualified) {
  if (qualified >= written) return;
  std::fprintf(stderr,
               "merit score: --top %zu: only %zu of the %zu rows written are qualified; the other %zu "
               "(incomplete, screened out or without a fit) are not selected\n",
               k, qualified, written, written - qualified);
}

/// The progress bar on stderr (a terminal), fed by the pool layer's progress
/// callback; the callback also stops the run when the user interrupted it.
class progress_bar {
 public:
  explicit progress_bar(bool on) : on_(on), start_(clock::now()), last_(start_) {}
  ~progress_bar() {
    if (on_ && drawn_) std::fputs("\r\033[K", stderr);
  }
  /// Clears the bar (before other lines are printed).
  void clear() {
    if (on_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }
  void update(const pool::progress& p) {
    if (!on_) return;
    const auto now = clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(p.rows) / secs : 0;
    if (p.total_bytes && *p.total_bytes > 0) {
      const double frac = std::min(1.0, static_cast<double>(p.bytes) / static_cast<double>(*p.total_bytes));
      const int width = 30, filled = static_cast<int>(frac * width);
      const double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
      std::fprintf(stderr, "\r\033[K[%.*s%*s] %5.1f%%  %zu rows  %.0f rows/s  ETA %.0fs", filled,
                   "##############################", width - filled, "", 100 * frac, p.rows, rate, eta);
    } else {
      std::fprintf(stderr, "\r\033[K%zu rows  %.0f rows/s", p.rows, rate);
    }
    std::fflush(stderr);
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  clock::time_point start_, last_;
  bool drawn_ = false;
};

/// --reliability: a number in 0..1, or FILE.json[:KEY] with a measured
/// reliability (the --json output of `merit reliability icc` or `alpha`).
double parse_reliability(const std::string& text, std::string& source) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (!text.empty() && *end == '\0') {
    if (!(v >= 0 && v <= 1)) throw usage_error{"--reliability takes a number in 0..1"};
    source = "--reliability";
    return v;
  }
  std::string path = text, key;
  const auto colon = text.rfind(':');
  if (colon != std::string::npos && colon > 0 && text.find(".json") < colon) {
    path = text.substr(0, colon);
    key = text.substr(colon + 1);
  }
  const nlohmann::json doc = io::parse_json<input_error>(read_text_file<input_error>(path), path);
  if (key.empty()) key = doc.contains("alpha") ? "alpha" : "icc1k";
  const auto it = doc.find(key);
  if (it == doc.end())
    throw input_error(errc::schema, path, "no '" + key + "' in this reliability file (expected the --json output of "
                                          "'merit reliability icc' or 'alpha')");
  const nlohmann::json& val = it->is_object() && it->contains("value") ? (*it)["value"] : *it;
  if (!val.is_number() || !(val.get<double>() >= 0 && val.get<double>() <= 1))
    throw input_error(errc::value, path + "#/" + key, "reliability must be a number in 0..1");
  source = key + " measured in " + path;
  return val.get<double>();
}

int run_score(args& a) {
  const std::string model_path = a.required("--model");
  const auto profile_arg = a.value("--profile");
  const auto title_arg = a.value("--title");
  const pool_options pool_opt = pool_options::from(a);
  const std::string out_path = a.value("--out").value_or("-");
  const auto out_format = a.value("--output-format");
  const bool explain = a.flag("--explain");
  const auto top = a.integer("--top", 1, 1'000'000'000'000LL);
  const auto threads = a.integer("--threads", 1, 1024);
  const auto rejects_path = a.value("--rejects");
  const auto reliability_text = a.value("--reliability");
  const auto band_c = a.number("--band-c");
  const bool no_band = a.flag("--no-band");
  const auto audit_path = a.value("--audit-log");
  const bool overwrite_log = a.flag("--overwrite-log");
  const bool force_table = a.flag("--table");
  const bool force_csv = a.flag("--csv");
  const bool quiet = a.flag("--quiet");
  const auto norms_path = a.value("--norms");
  const auto norm_group_arg = a.value("--norm-group");
  a.finish();
  if (norm_group_arg && !norms_path) throw usage_error{"--norm-group needs --norms"};
  if (norms_path && force_table) throw usage_error{"--norms adds columns to CSV or JSON Lines; it excludes --table"};
  if (force_table && force_csv) throw usage_error{"--table and --csv exclude each other"};
  if (profile_arg && title_arg) throw usage_error{"--profile and --title exclude each other"};
  std::optional<pool::output_format> format;
  if (out_format) {
    try {
      format = pool::parse_output_format(*out_format);
    } catch (const argument_error& e) {
      throw usage_error{e.detail()};
    }
  }
  std::string reliability_source;
  const bool reliability_given = reliability_text.has_value();
  const double reliability_value = reliability_given ? parse_reliability(*reliability_text, reliability_source) : 0.0;
  if (band_c && !(*band_c > 0)) throw usage_error{"--band-c takes a number > 0"};
  if (audit_path && pool_opt.path() == "-") throw usage_error{"--audit-log needs the input in a file (its hash is recorded)"};
  if (overwrite_log && !audit_path) throw usage_error{"--overwrite-log goes with --audit-log"};
  {  // no file is lost: checked before any work (score_file checks again, for every edge)
    pool::score_options files;
    files.rejects_path = rejects_path;
    files.audit_log_path = audit_path;
    files.overwrite_log = overwrite_log;
    pool::pool_source input;
    input.path = pool_opt.path();
    try {
      pool::check_run_files(input, out_path, files, {{"model", model_path}});
    } catch (const argument_error& e) {
      throw usage_error{e.detail()};
    }
  }

  const competency_model model = load_model(model_path);
  std::string profile_id = profile_arg ? *profile_arg : model.profiles.front().id;
  if (title_arg) {
    try {
      profile_id = profile_for_title(model, *title_arg);
    } catch (const argument_error& e) {
      throw usage_error{"--title: " + e.detail() + " with --profile"};
    }
  }
  const scoring_plan plan = compile(model, profile_id);
  std::optional<norm_table> norms;
  if (norms_path) {  // checked here too, so that the message names the norms file
    norms = io::load_norms(*norms_path);
    on_input(*norms_path, [&] {
      check_norms(*norms, profile_id, scoring_hash(model, profile_id), "fit");
      norms_group(*norms, norm_group_arg.value_or(""));
    });
  }
  const bool table =
      force_table || (!norms && !force_csv && !out_format && out_path == "-" && is_terminal(stdout));

  if (table) {  // the readable shortlist: small pools, read whole
    atomic_output out(out_path);  // before reading: an unwritable folder is reported before any work
    const pool_input input = read_pool(model, pool_opt);
    if (!quiet) print_evidence_summary(stderr, model, input);
    const io::candidate_table& pool = input.table;
    const auto n = static_cast<Eigen::Index>(pool.ids.size());
    Vector fit(n), coverage(n);
    std::vector<std::int8_t> st(static_cast<std::size_t>(n));
    RowMatrix contrib, gaps;
    score(plan, pool.scores, fit, coverage, st.data(), &contrib, &gaps);
    std::vector<std::size_t> order =
        top ? top_k(pool.ids, fit, st, static_cast<std::size_t>(*top)) : rank_order(pool.ids, fit, st);
    shortlist_view view{model, plan, pool, fit, coverage, st, contrib, gaps, order,
                        input.evidence ? &input.evidence->se : nullptr};
    print_shortlist(out.get(), view);
    out.commit();
    if (top) note_unqualified_in_top(static_cast<std::size_t>(*top), order.size(), qualified_count(order, st));
    std::fprintf(stderr, "merit score: read %zu rows, scored %zu candidates, rejected 0 rows\n",
                 input.evidence ? input.report.rows : pool.ids.size(), pool.ids.size());
    return exit_ok;
  }

  if (no_band && (reliability_given || band_c)) throw usage_error{"--no-band excludes --reliability and --band-c"};
  pool::score_options so;
  so.profile = profile_id;
  so.threads = threads ? static_cast<unsigned>(*threads) : std::max(1u, std::thread::hardware_concurrency());
  if (top) so.top = static_cast<std::size_t>(*top);
  so.explain = explain;
  so.format = format;
  so.rejects_path = rejects_path;
  if (reliability_given) {
    so.reliability = reliability_value;
    so.reliability_source = reliability_source;
  }
  so.band_c = band_c;
  so.no_band = no_band;
  so.audit_log_path = audit_path;
  so.overwrite_log = overwrite_log;
  so.command_line = a.command_line();
  so.norms = std::move(norms);
  so.norm_group = norm_group_arg.value_or("");
  if (!quiet) so.on_evidence = [&](const pool_input& in) { print_evidence_summary(stderr, model, in); };
  const pool::pool_source source = pool_opt.stream_source();
  progress_bar bar(!quiet && is_terminal(stderr));
  so.on_scored = [&](const pool::summary& s) {
    bar.clear();
    if (quiet) return;
    if (s.missing_values)
      std::fprintf(stderr, "merit score: %zu evidence rows had a missing value (no observation)\n", s.missing_values);
    if (s.ungrouped)
      std::fprintf(stderr, "merit score: %s is not grouped by candidate: read in a full pass\n", source.path.c_str());
    if (s.bands)
      std::fprintf(stderr, "merit score: bands of width %.6f = %.2f x SED (fit SD %.6f over %zu candidates, r_xx %.3f from %s)\n",
                   s.bands->width, s.bands->c, s.bands->sd, s.scored, s.bands->reliability, s.bands->source.c_str());
  };
  // SIGINT/SIGTERM end the process at once (cli.cpp), removing pending outputs,
  // so the progress callback never needs to cancel the run.
  const pool::summary sum = pool::score_file(model, source, out_path, so, [&](const pool::progress& p) {
    bar.update(p);
    return true;
  });
  if (sum.qualified_in_top) note_unqualified_in_top(*so.top, sum.written, *sum.qualified_in_top);
  std::fprintf(stderr, "merit score: read %zu rows, scored %zu candidates, rejected %zu rows\n", sum.rows_read,
               sum.scored, sum.rejected);
  return sum.rejected == 0 ? exit_ok : exit_rejected;
}

registrar reg_score{{"score", "score and rank candidates against a profile", score_help.c_str(), &run_score}};

}  // namespace
}  // namespace merit::cli
