// merit score: competency scores in, ranked and explained fit out.
#include "cli.hpp"
#include "pool.hpp"
#include "score_stream.hpp"
#include "shortlist.hpp"

#include <merit/bands.hpp>
#include <merit/io/json.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/fit.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/results.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>

#include <algorithm>
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
    "                   [--audit-log FILE.jsonl] [--table | --csv] [--quiet]\n"
    "\n"
    "Scores candidates against a profile of a competency model and ranks them. Wide CSV,\n"
    "long CSV and JSON Lines evidence are streamed and scored in parallel; the output is\n"
    "the same bytes at any thread count (docs/cli-score.md).\n"
    "\n"
    "  --model FILE       competency model (JSON), e.g. competency_models/sales_enablement.json\n"
    "  --profile ID       profile to score against (default: the model's first profile;\n"
    "                     'merit profiles FILE' lists them)\n") + pool_help + std::string(
    "  --out FILE|-       where to write the results (default '-': standard output). A file\n"
    "                     appears only when complete.\n"
    "  --output-format F  csv or jsonl (default: jsonl when --out ends in .jsonl or .ndjson)\n"
    "  --explain          add contrib_<id> and gap_<id> columns: each competency's share of\n"
    "                     the fit and the fit points lost below target\n"
    "  --top K            write only the K best-ranked candidates (memory bounded by K)\n"
    "  --threads N        threads in all, reading included (default: every core); the\n"
    "                     same output for every N\n"
    "  --rejects FILE     write bad rows to FILE (CSV line,column,code,reason) and go on;\n"
    "                     without it the first bad row stops the run (exit 3)\n"
    "  --reliability R    reliability r_xx of the fit for score bands (default: the\n"
    "                     profile's 'reliability'); adds a 'band' column. R is a number,\n"
    "                     or FILE.json[:KEY], the --json output of 'merit reliability icc'\n"
    "                     (KEY default icc1k: the panel's averaged rating) or 'alpha'\n"
    "  --band-c C         band width C x SED (default 1.96, a two-sided 95% test)\n"
    "  --no-band          no band column, even when the profile carries a reliability\n"
    "  --audit-log FILE   decision records (JSON Lines): a header with the model, profile\n"
    "                     and input hashes, then one record per candidate in ranking order;\n"
    "                     check one with 'merit verify-log'\n"
    "  --table            print the readable shortlist even when stdout is not a terminal\n"
    "  --csv              print CSV even when stdout is a terminal\n"
    "  --quiet            no progress bar, no evidence summary or band note on stderr\n"
    "\n"
    "Output CSV: rank,candidate_id,fit,status,coverage[,band] (6 decimals). fit is 0..100;\n"
    "status is qualified, screened_out (a hurdle failed) or incomplete (coverage below\n"
    "the profile's min_coverage, or a hurdle competency not observed). Ranking: fit\n"
    "descending after rounding to 6 decimals, ties by candidate id; no fit ranks last.\n"
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

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

/// One JSON Lines object with the CSV's fields; numbers in the CSV's 6-decimal text.
void append_jsonl_row(std::string& out, const scoring_plan& plan, const io::scored_row& r, io::result_columns cols) {
  out += "{\"rank\":";
  out += std::to_string(r.rank);
  out += ",\"candidate_id\":";
  append_json_string(out, r.candidate_id);
  out += ",\"fit\":";
  if (r.result.has_fit()) io::append_fixed6(out, r.result.fit);
  else out += "null";
  out += ",\"status\":\"";
  out += to_string(r.result.status);
  out += "\",\"coverage\":";
  io::append_fixed6(out, r.result.coverage);
  if (cols.band) {
    out += ",\"band\":";
    out += r.band ? std::to_string(*r.band) : std::string("null");
  }
  if (cols.explain) {
    const auto& ids = plan.competency_ids();
    for (std::size_t k = 0; k < ids.size(); ++k) {
      out += ",\"contrib_" + ids[k] + "\":";
      io::append_fixed6(out, r.contributions ? r.contributions[k] : 0.0);
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
      out += ",\"gap_" + ids[k] + "\":";
      io::append_fixed6(out, r.gaps ? r.gaps[k] : 0.0);
    }
  }
  out += "}\n";
}

void write_chunk(std::string& buf, std::FILE* f, bool force) {
  if (!force && buf.size() < (1u << 20)) return;
  if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size())
    throw input_error(errc::io, "", std::string("cannot write output: ") + std::strerror(errno));
  buf.clear();
}

/// Bands over every scored fit (DESIGN.md): SD is the sample SD of the fits.
struct band_info {
  Eigen::VectorXi band;  ///< by candidate position in input order (scored_pool::seq)
  double sd = 0, width = 0, reliability = 0, c = band_c_95;
  std::string source;
};

band_info compute_bands(const std::vector<double>& fits, double rxx, double c, std::string source) {
  band_info b;
  b.reliability = rxx;
  b.c = c;
  b.source = std::move(source);
  double n = 0, mean = 0, m2 = 0;
  for (double f : fits) {  // Welford: stable for millions of fits
    if (!std::isfinite(f)) continue;
    n += 1;
    const double d = f - mean;
    mean += d / n;
    m2 += d * (f - mean);
  }
  b.sd = n > 1 ? std::sqrt(m2 / (n - 1)) : 0.0;
  b.width = band_width(b.sd, rxx, c);
  b.band = fixed_bands(Eigen::Map<const Vector>(fits.data(), static_cast<Eigen::Index>(fits.size())), b.width);
  return b;
}

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
  const bool force_table = a.flag("--table");
  const bool force_csv = a.flag("--csv");
  const bool quiet = a.flag("--quiet");
  a.finish();
  if (force_table && force_csv) throw usage_error{"--table and --csv exclude each other"};
  if (out_format && *out_format != "csv" && *out_format != "jsonl")
    throw usage_error{"--output-format takes csv or jsonl, got '" + *out_format + "'"};
  std::string reliability_source;
  const bool reliability_given = reliability_text.has_value();
  const double reliability_value = reliability_given ? parse_reliability(*reliability_text, reliability_source) : 0.0;
  if (band_c && !(*band_c > 0)) throw usage_error{"--band-c takes a number > 0"};
  if (audit_path && pool_path(pool_opt) == "-") throw usage_error{"--audit-log needs the input in a file (its hash is recorded)"};
  const bool jsonl = out_format ? *out_format == "jsonl" : (ends_with(out_path, ".jsonl") || ends_with(out_path, ".ndjson"));

  const competency_model model = load_model(model_path);
  const std::string profile_id = profile_arg ? *profile_arg : model.profiles.front().id;
  const scoring_plan plan = compile(model, profile_id);
  const bool table = force_table || (!force_csv && !out_format && out_path == "-" && is_terminal(stdout));

  if (table) {  // the readable shortlist: small pools, read whole
    const pool_input input = read_pool(model, pool_opt);
    if (!quiet) print_evidence_summary(stderr, model, input);
    const io::candidate_table& pool = input.table;
    const auto n = static_cast<Eigen::Index>(pool.ids.size());
    Vector fit(n), coverage(n);
    std::vector<std::int8_t> st(static_cast<std::size_t>(n));
    RowMatrix contrib, gaps;
    score(plan, pool.scores, fit, coverage, st.data(), &contrib, &gaps);
    std::vector<std::size_t> order =
        top ? top_k(pool.ids, fit, static_cast<std::size_t>(*top)) : rank_order(pool.ids, fit);
    atomic_output out(out_path);
    shortlist_view view{model, plan, pool, fit, coverage, st, contrib, gaps, order,
                        input.evidence ? &input.evidence->se : nullptr};
    print_shortlist(out.get(), view);
    out.commit();
    std::fprintf(stderr, "merit score: read %zu rows, scored %zu candidates, rejected 0 rows\n",
                 input.evidence ? input.report.rows : pool.ids.size(), pool.ids.size());
    return exit_ok;
  }

  if (no_band && (reliability_given || band_c)) throw usage_error{"--no-band excludes --reliability and --band-c"};
  std::optional<double> rxx;
  if (reliability_given)
    rxx = reliability_value;
  else if (!no_band && plan.reliability())
    rxx = *plan.reliability();
  stream_options so;
  so.threads = threads ? static_cast<unsigned>(*threads) : std::max(1u, std::thread::hardware_concurrency());
  // The decision log records every candidate in ranking order, so it keeps the whole pool.
  if (top && !audit_path) so.top = static_cast<std::size_t>(*top);
  so.contributions = explain || audit_path;
  so.gaps = explain;
  so.keep_fits = rxx.has_value();
  so.collect_rejects = rejects_path.has_value();
  so.progress = !quiet && is_terminal(stderr);
  so.quiet = quiet;

  std::optional<atomic_output> rejects_out, audit_out;
  if (rejects_path) rejects_out.emplace(*rejects_path);
  if (audit_path) audit_out.emplace(*audit_path);
  atomic_output out(out_path);

  const scored_pool pool = score_pool(model, plan, pool_opt, so);
  if (!quiet && pool.missing_values)
    std::fprintf(stderr, "merit score: %zu evidence rows had a missing value (no observation)\n", pool.missing_values);
  if (!quiet && pool.ungrouped)
    std::fprintf(stderr, "merit score: %s is not grouped by candidate: read in a full pass\n", pool_path(pool_opt).c_str());

  std::optional<band_info> bands;
  if (rxx) {
    bands = compute_bands(pool.all_fits, *rxx, band_c.value_or(band_c_95),
                          reliability_given ? reliability_source : "profile '" + plan.profile_id() + "'");
    if (!quiet)
      std::fprintf(stderr, "merit score: bands of width %.6f = %.2f x SED (fit SD %.6f over %zu candidates, r_xx %.3f from %s)\n",
                   bands->width, bands->c, bands->sd, pool.scored, *rxx, bands->source.c_str());
  }

  const std::size_t shown = top ? std::min<std::size_t>(pool.order.size(), static_cast<std::size_t>(*top)) : pool.order.size();
  const io::result_columns cols{explain, bands.has_value()};
  const std::size_t T = static_cast<std::size_t>(plan.size());
  std::string buf;
  if (!jsonl) io::append_csv_header(buf, plan, cols);
  // Formats rows [from, to) into b (pure: rows may be formatted on several threads).
  auto format_rows = [&](std::string& b, std::size_t from, std::size_t to) {
    for (std::size_t r = from; r < to; ++r) {
      const std::size_t i = pool.order[r];
      std::optional<int> band;
      if (bands) {
        const int bd = bands->band[static_cast<Eigen::Index>(pool.seq[i])];
        if (bd > 0) band = bd;
      }
      io::scored_row row{r + 1, pool.id(i), fit_result{pool.fit[i], pool.coverage[i], static_cast<status>(pool.status[i])},
                         explain ? &pool.contributions[i * T] : nullptr, explain ? &pool.gaps[i * T] : nullptr, band};
      if (jsonl) append_jsonl_row(b, plan, row, cols);
      else io::append_csv_row(b, plan, row, cols);
    }
  };
  // Chunks of rows formatted side by side, written in rank order: the bytes
  // are the same at any thread count. A round's chunks are written while the
  // next round is formatted.
  write_chunk(buf, out.get(), true);
  constexpr std::size_t chunk = std::size_t(1) << 15;
  const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(so.threads, (shown + chunk - 1) / chunk));
  std::vector<std::string> cur(workers), prev(workers);
  auto write_all = [&](std::vector<std::string>& bufs) {
    for (auto& b : bufs) write_chunk(b, out.get(), true);
  };
  for (std::size_t r0 = 0; r0 < shown; r0 += chunk * workers) {
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < workers; ++t) {
      const std::size_t from = r0 + t * chunk;
      if (from >= shown) break;
      helpers.emplace_back([&, t, from] { format_rows(cur[t], from, std::min(shown, from + chunk)); });
    }
    try {
      write_all(prev);
    } catch (...) {
      for (auto& h : helpers) h.join();
      throw;
    }
    format_rows(cur[0], r0, std::min(shown, r0 + chunk));
    for (auto& h : helpers) h.join();
    cur.swap(prev);
  }
  write_all(prev);

  if (audit_out) {
    const std::string& input = pool_path(pool_opt);
    buf = decision_log_header(plan, input, sha256_file(input), a.command_line()).dump() + "\n";
    for (std::size_t r = 0; r < pool.order.size(); ++r) {
      const std::size_t i = pool.order[r];
      buf += decision_log_record(plan, pool.id(i), fit_result{pool.fit[i], pool.coverage[i], static_cast<status>(pool.status[i])},
                                 &pool.contributions[i * T]).dump();
      buf += '\n';
      write_chunk(buf, audit_out->get(), false);
    }
    write_chunk(buf, audit_out->get(), true);
  }
  if (rejects_out) {
    buf = "line,column,code,reason\n";
    for (const auto& rj : pool.rejects) {
      buf += std::to_string(rj.line) + "," + std::to_string(rj.column) + "," + to_string(rj.code) + ",";
      io::append_csv_field(buf, rj.reason);
      buf += '\n';
      write_chunk(buf, rejects_out->get(), false);
    }
    write_chunk(buf, rejects_out->get(), true);
  }
  // Commit the results last: their presence means the run completed.
  if (rejects_out) rejects_out->commit();
  if (audit_out) audit_out->commit();
  out.commit();
  std::fprintf(stderr, "merit score: read %zu rows, scored %zu candidates, rejected %zu rows\n", pool.rows_read,
               pool.scored, pool.rejects.size());
  return pool.rejects.empty() ? exit_ok : exit_rejected;
}

registrar reg_score{{"score", "score and rank candidates against a profile", score_help.c_str(), &run_score}};

}  // namespace
}  // namespace merit::cli
